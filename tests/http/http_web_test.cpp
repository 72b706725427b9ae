// The reusable web pieces of http/ (no server): JSON bodies, rate limiting, cookie
// sessions and CSRF, secret tokens, Argon2id password hashes, documents with an ETag.
#include <doctest/doctest.h>

#include <algorithm>

#include "core/clock.h"
#include "core/password_hash.h"
#include "core/secret_token.h"
#include "http/cached_document.h"
#include "http/json_body.h"
#include "http/rate_limiter.h"
#include "http/session_cookie.h"

using namespace ess;

TEST_CASE("JSON bodies: size limit, syntax, object only") {
  HttpRequest req;
  req.body = R"({"a": 1})";
  auto ok = ParseJsonBody(req, 100);
  REQUIRE(ok.value);
  CHECK((*ok.value)["a"] == 1);
  CHECK(ParseJsonBody(req, 3).error->status == 413);
  req.body = "{";
  CHECK(ParseJsonBody(req, 100).error->status == 400);
  req.body = "[]";
  CHECK(ParseJsonBody(req, 100).error->body.find("malformed_json") != std::string::npos);
  req.body = "";
  CHECK(ParseJsonBody(req, 100).error);
  CHECK(ParseJsonBody(req, 100, true).value == nlohmann::json::object());
  std::string type_error;
  nlohmann::json j = {{"s", "x"}, {"n", 1}};
  CHECK(JsonString(j, "s", &type_error) == "x");
  CHECK_FALSE(JsonString(j, "n", &type_error));
  CHECK_FALSE(type_error.empty());
}

TEST_CASE("rate limiter: burst, refill with the clock, per key") {
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'000'000))};
  InMemoryRateLimiter limiter(clock, {6, 2});  // 6 a minute, burst 2
  CHECK(limiter.Take("a").allowed);
  CHECK(limiter.Take("a").allowed);
  RateDecision refused = limiter.Take("a");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_seconds == 10);
  CHECK(limiter.Take("b").allowed);
  clock.Advance(std::chrono::seconds(10));
  CHECK(limiter.Take("a").allowed);
  CHECK_FALSE(limiter.Take("a").allowed);
  // A clock that goes back refills nothing and takes nothing back.
  clock.Advance(-std::chrono::seconds(30));
  CHECK_FALSE(limiter.Take("a").allowed);
}

TEST_CASE("token bucket: refill up to the burst, Retry-After, when it is full again") {
  const RateLimit limit{6, 2};
  TokenBucket bucket = TokenBucket::Full(limit, 0);
  CHECK(bucket.TryTake());
  CHECK(bucket.TryTake());
  CHECK_FALSE(bucket.TryTake());
  CHECK(bucket.tokens == 0);
  CHECK(bucket.RetryAfterSeconds(limit) == 10);
  bucket.Refill(limit, 5'000);  // half a token
  CHECK(bucket.RetryAfterSeconds(limit) == 5);
  bucket.Refill(limit, 3'600'000);
  CHECK(bucket.tokens == 2);  // never above the burst
  CHECK(TokenBucket::FullAfterMs(limit) == 20'000);
  CHECK(TokenBucket{0, 0}.RetryAfterSeconds(RateLimit{0, 1}) == 60);
}

TEST_CASE("session cookie and CSRF token") {
  SessionCookieOptions options{"ess_session", true, 3600};
  std::string cookie = SessionSetCookie(options, "abc");
  CHECK(cookie == "ess_session=abc; Path=/; HttpOnly; SameSite=Strict; Max-Age=3600; Secure");
  CHECK(SessionClearCookie(options).find("Max-Age=0") != std::string::npos);
  HttpRequest req;
  req.method = "POST";
  req.headers["cookie"] = "other=1; ess_session=tok";
  CHECK(SessionTokenOf(req, options) == "tok");
  CHECK(IsStateChanging(req));
  CHECK_FALSE(CsrfTokenMatches(req, "csrf"));
  req.headers["x-csrf-token"] = "csrf";
  CHECK(CsrfTokenMatches(req, "csrf"));
  CHECK_FALSE(CsrfTokenMatches(req, "csrf2"));
  CHECK_FALSE(CsrfTokenMatches(req, ""));
  req.method = "GET";
  CHECK_FALSE(IsStateChanging(req));
}

TEST_CASE("secret tokens: random, well formed, stored as a hash") {
  std::string a = NewSecretToken(), b = NewSecretToken();
  CHECK(a != b);
  CHECK(IsWellFormedSecretToken(a));
  CHECK_FALSE(IsWellFormedSecretToken(a.substr(1)));
  CHECK_FALSE(IsWellFormedSecretToken(std::string(64, 'G')));
  CHECK(SecretTokenHash(a) != SecretTokenHash(b));
  CHECK(SecretTokensEqual(a, a));
  CHECK_FALSE(SecretTokensEqual(a, b));
}

TEST_CASE("Argon2id password hashes") {
  PasswordHasher hasher(PasswordHashCost::Minimum());
  std::string hash = hasher.Hash("correct horse battery");
  CHECK(hash.rfind("$argon2id$", 0) == 0);
  CHECK(hasher.Verify(hash, "correct horse battery"));
  CHECK_FALSE(hasher.Verify(hash, "correct horse battery!"));
  CHECK_FALSE(hasher.Verify("not a hash", "x"));
  CHECK(hasher.Hash("same") != hasher.Hash("same"));  // salted
  CHECK_THROWS_AS(PasswordHasher({0, 1}), std::invalid_argument);
}

TEST_CASE("documents served with an ETag: 200 with the body, 304 when the client holds it") {
  const ServedDocument document = WithEtag(R"({"version":"1"})");
  CHECK(document.etag.size() == 34);  // quoted 32 hex digits
  CHECK(WithEtag(R"({"version":"2"})").etag != document.etag);
  CHECK(EtagMatches(document.etag, document.etag));
  CHECK(EtagMatches("\"x\", W/" + document.etag, document.etag));
  CHECK(EtagMatches("*", document.etag));
  CHECK_FALSE(EtagMatches("\"x\"", document.etag));

  HttpRequest request;
  HttpResponse first = CachedDocument(request, document);
  CHECK(first.status == 200);
  CHECK(first.BodyText() == *document.body);
  CHECK(first.shared_body == document.body);  // served from the one copy, not copied
  request.headers["if-none-match"] = document.etag;
  HttpResponse again = CachedDocument(request, document);
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(std::find(again.headers.begin(), again.headers.end(),
                  std::pair<std::string, std::string>("ETag", document.etag)) != again.headers.end());
}
