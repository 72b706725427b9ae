// Sign-in that cannot starve the node nor lock staff out (issue 11, points 3 and 4): the
// bounded hashing pool, the limits per address, per (address, account) and per account in
// PostgreSQL, the known-device cookie that keeps staff in while their account is locked, the
// password rules (French reasons) and the sessions revoked by a password change.
//
// Requests from several client addresses are handed to the NodeApi itself (an HttpRequest
// with its client_address, as the HTTP server fills it behind trusted proxies); the others
// go through the fixture's HTTP server.
#include <doctest/doctest.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "core/password_hash.h"
#include "core/password_work.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

struct SignInReply {
  int status = 0;
  json body;
  std::string retry_after;
  std::string session_cookie, device_cookie;  // "name=value", empty when not set
};

// POST /api/session from `address`, with `cookie` (e.g. "ess_device=...") if given.
SignInReply SignInFrom(NodeFixture& node, const std::string& address, const std::string& email,
                       const std::string& password, const std::string& cookie = "") {
  HttpRequest req;
  req.method = "POST";
  req.target = req.path = "/api/session";
  req.headers["content-type"] = "application/json";
  if (!cookie.empty()) req.headers["cookie"] = cookie;
  req.body = json{{"email", email}, {"password", password}}.dump();
  req.client_address = address;
  HttpResponse res = node.api()(req);
  SignInReply out{res.status, json::parse(res.body, nullptr, false), "", "", ""};
  for (const auto& [name, value] : res.headers) {
    if (name == "Retry-After") out.retry_after = value;
    if (name != "Set-Cookie") continue;
    std::string pair = value.substr(0, value.find(';'));
    (pair.rfind("ess_device=", 0) == 0 ? out.device_cookie : out.session_cookie) = pair;
  }
  return out;
}

std::string Address(int i) { return "10.0.0." + std::to_string(i); }

bool HasNoEnglish(const std::string& message) {
  return message.find("it is") == std::string::npos && message.find("it's") == std::string::npos &&
         message.find("does not") == std::string::npos;
}

}  // namespace

TEST_CASE(
    "five failures of one (address, account) pair refuse that pair, not another account behind the "
    "address") {
  NodeFixture node;
  Session admin = node.Admin();
  node.AddMember(admin, "Bea", "usagers");  // membre1@example.org / mot-de-passe-membre
  const std::string office = Address(1);
  for (int i = 0; i < 5; ++i) {
    if (i > 0) node.clock.Advance(std::chrono::seconds(10));
    CHECK(SignInFrom(node, office, "admin@example.org", "faux-mot-de-passe").status == 401);
  }
  // The pair is refused, even with the correct password, for 15 minutes after the last failure.
  auto refused = SignInFrom(node, office, "admin@example.org", "mot-de-passe-admin");
  CHECK(refused.status == 429);
  CHECK(refused.body["code"] == "rate_limited");
  CHECK(refused.retry_after == "900");
  // Another account behind the same address is not refused because of these failures.
  CHECK(SignInFrom(node, office, "membre1@example.org", "mot-de-passe-membre").status == 201);
  // The same account from another address is admitted.
  CHECK(SignInFrom(node, Address(2), "admin@example.org", "mot-de-passe-admin").status == 201);
  // Fifteen minutes after the last failure the pair may try again.
  node.clock.Advance(std::chrono::seconds(899));
  CHECK(SignInFrom(node, office, "admin@example.org", "mot-de-passe-admin").status == 429);
  node.clock.Advance(std::chrono::seconds(1));
  CHECK(SignInFrom(node, office, "admin@example.org", "mot-de-passe-admin").status == 201);
  // A success forgets the pair's failures: four more do not refuse it.
  for (int i = 0; i < 4; ++i)
    CHECK(SignInFrom(node, office, "admin@example.org", "faux-mot-de-passe").status == 401);
  CHECK(SignInFrom(node, office, "admin@example.org", "mot-de-passe-admin").status == 201);
  // The counters are rows in PostgreSQL (shared by every node process).
  CHECK(node.Count("SELECT count(*) FROM sign_in_attempt WHERE client_address = '" + office + "'") >
        0);
}

TEST_CASE(
    "twenty failures lock the account for others, the correct password is accepted from a known "
    "device") {
  NodeFixture node;
  Session admin = node.Admin();
  // The staff member's browser signed in before: it holds the known-device cookie.
  auto before = SignInFrom(node, Address(200), "admin@example.org", "mot-de-passe-admin");
  REQUIRE(before.status == 201);
  REQUIRE(before.device_cookie.size() == std::string("ess_device=").size() + 64);
  // An attacker spreads 20 failures over addresses (4 each: under the pair limit).
  for (int i = 0; i < 20; ++i) {
    CHECK(SignInFrom(node, Address(1 + i / 4), "admin@example.org", "devine-" + std::to_string(i))
              .status == 401);
    node.clock.Advance(std::chrono::seconds(30));
  }
  auto locked = SignInFrom(node, Address(100), "admin@example.org", "mot-de-passe-admin");
  CHECK(locked.status == 429);
  CHECK(locked.body["code"] == "account_locked");
  const std::string message = locked.body["message"];
  CHECK(message.find("verrouillé") != std::string::npos);
  // The last failure was at 09:30 after the start (00:00 + 19 x 30 s = 00:09:30): locked until
  // 01:09.
  CHECK(message.find("1 janvier 2026 à 01:09 (UTC)") != std::string::npos);
  CHECK(locked.retry_after == "3570");
  // From the known device: still checked (a wrong password is refused)...
  CHECK(
      SignInFrom(node, Address(200), "admin@example.org", "faux-mot-de-passe", before.device_cookie)
          .status == 401);
  // ...and admitted with the correct one, from any address.
  auto known = SignInFrom(node, Address(201), "admin@example.org", "mot-de-passe-admin",
                          before.device_cookie);
  CHECK(known.status == 201);
  CHECK(known.device_cookie == before.device_cookie);
  // A forged device token does not help.
  CHECK(SignInFrom(node, Address(100), "admin@example.org", "mot-de-passe-admin",
                   "ess_device=" + std::string(64, 'a'))
            .body["code"] == "account_locked");
  // An hour after the last failure the lock is gone (the known device's wrong password above
  // was forgotten by its success: a success forgets its pair's failures).
  node.clock.Advance(std::chrono::seconds(3569));
  CHECK(SignInFrom(node, Address(100), "admin@example.org", "mot-de-passe-admin").body["code"] ==
        "account_locked");
  node.clock.Advance(std::chrono::seconds(1));
  CHECK(SignInFrom(node, Address(100), "admin@example.org", "mot-de-passe-admin").status == 201);
}

TEST_CASE(
    "an unknown email is counted like an account: its replies tell nothing about which emails "
    "exist") {
  NodeFixture node;
  for (int i = 0; i < 20; ++i) {
    CHECK(
        SignInFrom(node, Address(1 + i / 4), "personne@example.org", "devine-" + std::to_string(i))
            .status == 401);
  }
  CHECK(SignInFrom(node, Address(50), "personne@example.org", "autre-essai").body["code"] ==
        "account_locked");
}

TEST_CASE("one address over all accounts: a generous limit per minute; old attempts are purged") {
  node::NodeSettings settings = TestSettings();
  settings.sign_in.address_attempts_per_minute = 30;  // the default (the fixture raises it)
  NodeFixture limited(settings);
  Session admin = limited.Admin();  // from 127.0.0.1 through the server
  const std::string crowd = Address(7);
  for (int i = 0; i < 30; ++i) {
    CHECK(SignInFrom(limited, crowd, "n" + std::to_string(i) + "@example.org", "faux-mot-de-passe")
              .status == 401);
  }
  auto refused = SignInFrom(limited, crowd, "admin@example.org", "mot-de-passe-admin");
  CHECK(refused.status == 429);
  CHECK(refused.body["code"] == "rate_limited");
  CHECK(refused.retry_after == "60");
  CHECK(SignInFrom(limited, Address(8), "admin@example.org", "mot-de-passe-admin").status == 201);
  limited.clock.Advance(std::chrono::seconds(61));
  CHECK(SignInFrom(limited, crowd, "admin@example.org", "mot-de-passe-admin").status == 201);
  // Rows older than twice the longest window (2 hours) go at the next attempt.
  CHECK(limited.Count("SELECT count(*) FROM sign_in_attempt") >= 32);
  limited.clock.Advance(std::chrono::hours(3));
  SignInFrom(limited, Address(9), "admin@example.org", "mot-de-passe-admin");
  CHECK(limited.Count("SELECT count(*) FROM sign_in_attempt") == 1);
}

TEST_CASE("the pool full answers 503 sign_in_busy at once, without hashing") {
  NodeFixture node;
  Session admin = node.Admin();
  const std::string device =
      SignInFrom(node, Address(2), "admin@example.org", "mot-de-passe-admin").device_cookie;
  PasswordWork& work = node.api().accounts().password_work();
  CHECK(work.capacity() == 2);  // the defaults: 1 thread, 1 waiting (and 1 for known devices)
  std::vector<PasswordWork::Admission> held;
  while (auto admission = work.TryAdmit()) held.push_back(std::move(*admission));
  CHECK(held.size() == 2);
  const auto runs = work.runs();
  auto busy = SignInFrom(node, Address(1), "admin@example.org", "mot-de-passe-admin");
  CHECK(busy.status == 503);
  CHECK(busy.body["code"] == "sign_in_busy");
  CHECK(busy.body["message"].get<std::string>().find("réessayez") != std::string::npos);
  CHECK(busy.retry_after == "2");
  // A password change and an account creation too.
  auto change = node.Post(
      "/api/session/password",
      {{"current_password", "mot-de-passe-admin"}, {"new_password", "phrase-de-passe-neuve"}},
      &admin);
  CHECK(change.status == 503);
  CHECK(change.headers["retry-after"] == "2");
  CHECK(node.Post("/api/admin/accounts",
                  {{"email", "c@example.org"}, {"name", "Chloé"}, {"password", "un-mot-de-passe"}},
                  &admin)
            .status == 503);
  CHECK(work.runs() == runs);
  // A known device has one admission of its own: a flood of strangers' sign-ins does not keep
  // the staff member's browser out.
  auto known = SignInFrom(node, Address(2), "admin@example.org", "mot-de-passe-admin", device);
  CHECK(known.status == 201);
  CHECK(work.runs() == runs + 1);
  held.clear();
  CHECK(SignInFrom(node, Address(1), "admin@example.org", "mot-de-passe-admin").status == 201);
  CHECK(work.runs() == runs + 2);
}

TEST_CASE(
    "PasswordWork: at most threads + queue callers at once, the others refused without waiting") {
  // A hasher that blocks until released, counting what it ran.
  struct Gate final : PasswordHashing {
    mutable std::mutex mutex;
    mutable std::condition_variable changed;
    mutable int running = 0;
    bool open = false;
    std::string Hash(std::string_view) const override { return "h"; }
    bool Verify(std::string_view, std::string_view) const override {
      std::unique_lock lock(mutex);
      ++running;
      changed.notify_all();
      changed.wait(lock, [&] { return open; });
      return true;
    }
  };
  auto gate = std::make_shared<Gate>();
  PasswordWork work({1, 2, 1}, gate);
  std::atomic<int> done{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < 3; ++i) {
    auto admission = work.TryAdmit();
    REQUIRE(admission);
    callers.emplace_back([&work, &done, a = std::move(*admission)]() mutable {
      work.Verify(a, "h", "p");
      ++done;
    });
  }
  CHECK(PollUntil(std::chrono::seconds(5), [&] {
    std::lock_guard lock(gate->mutex);
    return gate->running == 1;  // one thread: one hash at a time, two waiting
  }));
  CHECK_FALSE(work.TryAdmit());
  CHECK(work.admitted() == 3);
  {
    auto reserved = work.TryAdmit(Admit::kKnownDevice);  // one more for a known device
    CHECK(reserved);
    CHECK_FALSE(work.TryAdmit(Admit::kKnownDevice));
  }
  {
    std::lock_guard lock(gate->mutex);
    gate->open = true;
  }
  gate->changed.notify_all();
  for (auto& t : callers) t.join();
  CHECK(done == 3);
  CHECK(work.admitted() == 0);
  CHECK(work.runs() == 3);
  CHECK(work.TryAdmit());
}

TEST_CASE("a password change logs out the account's other sessions and forgets its other devices") {
  NodeFixture node;
  Session admin = node.Admin();
  auto here = SignInFrom(node, Address(1), "admin@example.org", "mot-de-passe-admin");
  auto elsewhere = SignInFrom(node, Address(2), "admin@example.org", "mot-de-passe-admin");
  REQUIRE(here.status == 201);
  REQUIRE(elsewhere.status == 201);
  Session current{here.session_cookie + "; " + here.device_cookie, here.body["csrf_token"], "", "",
                  ""};
  Session other{elsewhere.session_cookie, elsewhere.body["csrf_token"], "", "", ""};
  CHECK(node.Count("SELECT count(*) FROM known_device") == 3);  // Admin()'s, here's, elsewhere's
  auto changed = node.Post(
      "/api/session/password",
      {{"current_password", "mot-de-passe-admin"}, {"new_password", "phrase-de-passe-neuve"}},
      &current);
  REQUIRE_MESSAGE(changed.status == 200, changed.text);
  CHECK(node.Get("/api/session", &current).status == 200);
  CHECK(node.Get("/api/session", &other).status == 401);
  CHECK(node.Get("/api/session", &admin).status == 401);
  CHECK(node.Count("SELECT count(*) FROM account_session") == 1);
  CHECK(node.Count("SELECT count(*) FROM known_device") == 1);
  // The old password no longer signs in; the new one does.
  CHECK(SignInFrom(node, Address(3), "admin@example.org", "mot-de-passe-admin").status == 401);
  CHECK(SignInFrom(node, Address(3), "admin@example.org", "phrase-de-passe-neuve").status == 201);
}

TEST_CASE(
    "password rules: 12 to 200 characters, not common, refused in French; old weak passwords still "
    "sign in") {
  NodeFixture node;
  Session admin = node.Admin();
  struct Case {
    std::string password, email, name, message_part;
  };
  const Case cases[] = {
      {"court-11car", "a@example.org", "Alice", "de 12 à 200 caractères"},
      {std::string(201, 'x'), "a@example.org", "Alice", "de 12 à 200 caractères"},
      {"administration", "a@example.org", "Alice", "mot du dictionnaire"},
      {"password123", "a@example.org", "Alice", "de 12 à 200"},
      {"Password1234x", "a@example.org", "Alice", ""},  // accepted: not refused here, see below
      {"aaaaaaaaaaaa", "a@example.org", "Alice", "caractères différents"},
      {"123456789012", "a@example.org", "Alice", "trop simple"},
      {"abcdefghijkl", "a@example.org", "Alice", "trop simple"},
      {"camille.dupont1", "camille.dupont@example.org", "Camille Dupont", "adresse ou au nom"},
  };
  int created = 0;
  for (const auto& c : cases) {
    CAPTURE(c.password);
    auto r = node.Post("/api/admin/accounts",
                       {{"email", c.email}, {"name", c.name}, {"password", c.password}}, &admin);
    if (c.message_part.empty()) {
      CHECK(r.status == 201);
      ++created;
      continue;
    }
    CHECK(r.status == 422);
    CHECK(r.body["code"] == "weak_password");
    CHECK(r.body["field"] == "password");
    const std::string message = r.body["message"];
    CHECK(message.find(c.message_part) != std::string::npos);
    CHECK(HasNoEnglish(message));
  }
  CHECK(created == 1);
  // A member's password chosen from their invitation and password changes apply the same rules.
  REQUIRE(node.Post("/api/admin/committee/members",
                    {{"name", "Bob"}, {"email", "bob@example.org"}, {"college", "usagers"}}, &admin)
              .status == 201);
  auto member = node.Post(
      "/api/invitation/password",
      {{"token", TokenInMessage(node.DeliveredMessage(0))}, {"password", "123456789012"}});
  CHECK(member.status == 422);
  CHECK(member.body["code"] == "weak_password");
  CHECK(member.body["message"].get<std::string>().find("trop simple") != std::string::npos);
  auto change = node.Post(
      "/api/session/password",
      {{"current_password", "mot-de-passe-admin"}, {"new_password", "aaaaaaaaaaaa"}}, &admin);
  CHECK(change.status == 422);
  CHECK(change.body["field"] == "new_password");
  CHECK(change.body["message"].get<std::string>().find("caractères différents") !=
        std::string::npos);
  CHECK(node.api().accounts().CreateAdmin("x@example.org", "Xavier", "azerty").failure().code ==
        "weak_password");
  // An account whose password predates the rules keeps signing in with it.
  const std::string old_hash = PasswordHasher(PasswordHashCost::Minimum()).Hash("court");
  node.pool().WithTransaction([&](pqxx::work& txn) {
    txn.exec("UPDATE account SET password_hash = " + txn.quote(old_hash) +
             " WHERE email = 'a@example.org'");
  });
  CHECK(SignInFrom(node, Address(1), "a@example.org", "court").status == 201);
}
