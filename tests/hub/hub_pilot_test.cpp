// The national pilot at the hub (docs/decisions/0010-hub-pilot-accounts.md), the HTTP API as a
// handler over a real PostgreSQL: accounts (rules, sign-in, wrong password, limits, disabled
// account), the session's CSRF token and role on every write, the marks on a duplicate pair
// (set, shown, filtered, cleared, bad input, anonymous refused), the dashboard's filters and
// their errors, and the French spreadsheet dialect of the CSV export.
#include <doctest/doctest.h>

#include <map>

#include <nlohmann/json.hpp>

#include "hub/api/hub_http_api.h"
#include "hub/pilot/pilot_accounts.h"
#include "tests/hub/hub_store_fixture.h"
#include "tests/hub/hub_test_support.h"

using namespace ess;
using namespace ess::hub;
using nlohmann::json;
using test::SignedRegionLog;

namespace {

using test::TheReferential;

constexpr const char* kEmail = "pilote@example.org";
constexpr const char* kPassword = "tisane-rhubarbe-cargo-17";

std::string Id(std::uint32_t n, std::uint8_t tag = 0) {
  return RecordIdToString(test::TestRecordId(n, tag));
}

PilotSecurity FastSecurity() {
  PilotSecurity s;
  s.cost = PasswordHashCost::Minimum();
  return s;
}

struct Fixture : test::HubStoreFixture {
  PilotAccounts pilots{pool, clock, FastSecurity()};
  HubHttpApi api{pool,
                 clock,
                 TheReferential(),
                 std::string(kDefaultFederation),
                 {"ess-federation/hub", test::HubTestSigner().public_key()},
                 &pilots};
  SignedRegionLog paca{"93", 1};
  SignedRegionLog occitanie{"76", 2};

  Fixture() : HubStoreFixture(4) {
    Enrol(paca, occitanie);
    using test::InitiativePayload;
    paca.Initiative(test::TestRecordId(1),
                    InitiativePayload("Épicerie solidaire du Panier", "admitted", test::kMarseille,
                                      {{"siret", "73282932000074"}}));
    paca.Initiative(test::TestRecordId(2),
                    InitiativePayload("SCIC Énergie partagée", "admitted", test::kNice,
                                      {{"family", "cooperative"}, {"legal_form", "scic"}}));
    occitanie.Initiative(
        test::TestRecordId(1, 7),
        InitiativePayload("Épicerie Solidaire du panier", "admitted",
                          {"30103", "30", "76", 43.29651, 5.36981}, {{"siret", "73282932000074"}}));
    REQUIRE(replicas.ApplyBatch("93", paca.Batch(0, 2), "t").kind == BatchOutcome::Kind::kAccepted);
    REQUIRE(replicas.ApplyBatch("76", occitanie.Batch(0, 1), "t").kind ==
            BatchOutcome::Kind::kAccepted);
    REQUIRE(pilots.Create(kEmail, "Pilote national", kPassword).ok());
  }

  HttpResponse Call(const std::string& method, const std::string& target,
                    std::map<std::string, std::string> headers = {}, std::string body = {},
                    std::string address = "192.0.2.1") {
    return api(
        test::ApiRequest(method, target, std::move(headers), std::move(body), std::move(address)));
  }

  json Body(const HttpResponse& res) {
    if (res.content_type.find("json") == std::string::npos)
      return json(std::string(res.BodyText()));
    return json::parse(res.BodyText());
  }

  json Get(const std::string& target, int expected_status = 200) {
    HttpResponse res = Call("GET", target);
    CAPTURE(target);
    CAPTURE(res.BodyText());
    CHECK(res.status == expected_status);
    return Body(res);
  }

  struct Session {
    std::string cookie, csrf;
  };
  // Signs in; the session's cookie header value and CSRF token.
  Session SignIn(const std::string& password = kPassword) {
    HttpResponse res = Call("POST", "/api/pilot/session", {},
                            json{{"email", kEmail}, {"password", password}}.dump());
    CAPTURE(res.BodyText());
    REQUIRE(res.status == 201);
    std::string cookie;
    for (const auto& [name, value] : res.headers) {
      if (name == "Set-Cookie") cookie = value.substr(0, value.find(';'));
    }
    CHECK(cookie.rfind("ess_pilot_session=", 0) == 0);
    return {cookie, Body(res)["csrf_token"].get<std::string>()};
  }

  std::string MarkPath() { return "/api/duplicates/76/" + Id(1, 7) + "/93/" + Id(1) + "/mark"; }
};

}  // namespace

TEST_CASE("pilot accounts: the node's password rules, one account per email") {
  Fixture f;
  auto weak = f.pilots.Create("autre@example.org", "Autre pilote", "motdepasse");
  REQUIRE_FALSE(weak.ok());
  CHECK(weak.refusal.code == "weak_password");
  CHECK(f.pilots.Create("autre@example.org", "Autre pilote", "123456789012").refusal.code ==
        "weak_password");  // too simple (cracklib)
  CHECK(f.pilots.Create("pas-une-adresse", "Autre", kPassword).refusal.code == "invalid_email");
  CHECK(f.pilots.Create("autre@example.org", "A", kPassword).refusal.code == "invalid_name");
  auto taken = f.pilots.Create("PILOTE@example.org", "Pilote", "chardon-lavande-pirogue-42");
  CHECK(taken.refusal.status == 409);
  REQUIRE(f.pilots.All().size() == 1);
  CHECK(f.pilots.All()[0].role == "pilot");
  // Argon2id, never the password itself.
  CHECK(f.pilots.All()[0].password_hash.rfind("$argon2id$", 0) == 0);
}

TEST_CASE("pilot sign-in: session cookie and CSRF token, wrong password, disabled account") {
  Fixture f;
  HttpResponse wrong = f.Call("POST", "/api/pilot/session", {},
                              json{{"email", kEmail}, {"password", "pas le bon mot"}}.dump());
  CHECK(wrong.status == 401);
  CHECK(f.Body(wrong)["code"] == "bad_credentials");
  HttpResponse unknown = f.Call("POST", "/api/pilot/session", {},
                                json{{"email", "x@example.org"}, {"password", kPassword}}.dump());
  CHECK(unknown.status == 401);
  CHECK(f.Body(unknown)["message"] == f.Body(wrong)["message"]);  // tells nothing more
  CHECK(f.Call("POST", "/api/pilot/session", {}, json{{"email", kEmail}}.dump()).status == 422);

  auto s = f.SignIn();
  HttpResponse me = f.Call("GET", "/api/pilot/session", {{"cookie", s.cookie}});
  CHECK(me.status == 200);
  CHECK(f.Body(me)["pilot"]["name"] == "Pilote national");
  CHECK(f.Body(me)["pilot"]["role"] == "pilot");
  CHECK(f.Body(me)["csrf_token"] == s.csrf);
  CHECK(f.Call("GET", "/api/pilot/session").status == 401);
  // Logout needs the CSRF token too.
  CHECK(f.Call("DELETE", "/api/pilot/session", {{"cookie", s.cookie}}).status == 403);
  CHECK(f.Call("DELETE", "/api/pilot/session", {{"cookie", s.cookie}, {"x-csrf-token", s.csrf}})
            .status == 200);
  CHECK(f.Call("GET", "/api/pilot/session", {{"cookie", s.cookie}}).status == 401);

  // A disabled account: its sessions end and it cannot sign in.
  auto again = f.SignIn();
  REQUIRE(f.pilots.SetActive(kEmail, false));
  CHECK(f.Call("GET", "/api/pilot/session", {{"cookie", again.cookie}}).status == 401);
  CHECK(f.Call("POST", "/api/pilot/session", {},
               json{{"email", kEmail}, {"password", kPassword}}.dump())
            .status == 401);
  REQUIRE(f.pilots.SetActive(kEmail, true));
  f.SignIn();
  // A new password ends every session.
  auto before = f.SignIn();
  REQUIRE(f.pilots.SetPassword(kEmail, "chardon-lavande-pirogue-42").ok());
  CHECK(f.Call("GET", "/api/pilot/session", {{"cookie", before.cookie}}).status == 401);
  f.SignIn("chardon-lavande-pirogue-42");
}

TEST_CASE(
    "the pilot changes the password: the current one checked, the rules, other sessions end") {
  Fixture f;
  auto s = f.SignIn();
  auto other = f.SignIn();
  const std::map<std::string, std::string> auth = {{"cookie", s.cookie}, {"x-csrf-token", s.csrf}};
  const auto change = [&](const std::string& current, const std::string& next,
                          std::map<std::string, std::string> headers) {
    return f.Call("POST", "/api/pilot/session/password", std::move(headers),
                  json{{"current_password", current}, {"new_password", next}}.dump());
  };
  CHECK(change(kPassword, "chardon-lavande-pirogue-42", {{"cookie", s.cookie}}).status == 403);
  HttpResponse wrong = change("pas le bon", "chardon-lavande-pirogue-42", auth);
  CHECK(wrong.status == 403);
  CHECK(f.Body(wrong)["field"] == "current_password");
  HttpResponse weak = change(kPassword, "123456789012", auth);
  CHECK(weak.status == 422);
  CHECK(f.Body(weak)["field"] == "new_password");
  REQUIRE(change(kPassword, "chardon-lavande-pirogue-42", auth).status == 200);
  CHECK(f.Call("GET", "/api/pilot/session", {{"cookie", s.cookie}}).status == 200);
  CHECK(f.Call("GET", "/api/pilot/session", {{"cookie", other.cookie}}).status == 401);
  f.SignIn("chardon-lavande-pirogue-42");
}

TEST_CASE("pilot sign-in limits: five failures from one address refuse that pair, not others") {
  Fixture f;
  const std::string bad = json{{"email", kEmail}, {"password", "pas le bon mot"}}.dump();
  for (int i = 0; i < 5; ++i) CHECK(f.Call("POST", "/api/pilot/session", {}, bad).status == 401);
  HttpResponse limited = f.Call("POST", "/api/pilot/session", {},
                                json{{"email", kEmail}, {"password", kPassword}}.dump());
  CHECK(limited.status == 429);
  CHECK(f.Body(limited)["code"] == "rate_limited");
  // Another address still signs in; the first one after the window.
  CHECK(f.Call("POST", "/api/pilot/session", {},
               json{{"email", kEmail}, {"password", kPassword}}.dump(), "192.0.2.9")
            .status == 201);
  f.clock.Advance(std::chrono::minutes(16));
  f.SignIn();
}

TEST_CASE("duplicate marks: set with a note, shown and filtered, cleared; the regions' data kept") {
  Fixture f;
  const json before = f.Get("/api/duplicates");
  REQUIRE(before["total"] == 1);
  CHECK(before["items"][0]["mark"].is_null());
  const std::string body =
      json{{"mark", "distinct"}, {"note", "Deux épiceries distinctes."}}.dump();

  // Anonymous, without the CSRF token, or with a forged one: refused.
  CHECK(f.Call("PUT", f.MarkPath(), {}, body).status == 401);
  auto s = f.SignIn();
  CHECK(f.Call("PUT", f.MarkPath(), {{"cookie", s.cookie}}, body).status == 403);
  CHECK(f.Body(f.Call("PUT", f.MarkPath(), {{"cookie", s.cookie}, {"x-csrf-token", "forged"}},
                      body))["code"] == "csrf_token_invalid");
  const std::map<std::string, std::string> auth = {{"cookie", s.cookie}, {"x-csrf-token", s.csrf}};
  // Bad input.
  HttpResponse bad_mark = f.Call("PUT", f.MarkPath(), auth, json{{"mark", "maybe"}}.dump());
  CHECK(bad_mark.status == 422);
  CHECK(f.Body(bad_mark)["field"] == "mark");
  CHECK(f.Call("PUT", f.MarkPath(), auth, json{{"note", "x"}}.dump()).status == 422);
  CHECK(f.Body(
            f.Call("PUT", f.MarkPath(), auth,
                   json{{"mark", "distinct"}, {"note", std::string(1001, 'a')}}.dump()))["field"] ==
        "note");
  CHECK(f.Body(f.Call("PUT", f.MarkPath(), auth,
                      json{{"mark", "distinct"}, {"note", "a\u202Eb"}}.dump()))["field"] == "note");
  // The pair's order (first region before the second) and UUIDs.
  const std::string reversed = "/api/duplicates/93/" + Id(1) + "/76/" + Id(1, 7) + "/mark";
  CHECK(f.Body(f.Call("PUT", reversed, auth, body))["code"] == "invalid_pair");
  CHECK(f.Call("PUT", "/api/duplicates/76/x/93/y/mark", auth, body).status == 422);
  const std::string absent = "/api/duplicates/76/" + Id(9, 7) + "/93/" + Id(1) + "/mark";
  CHECK(f.Call("PUT", absent, auth, body).status == 404);

  HttpResponse set = f.Call("PUT", f.MarkPath(), auth, body);
  CAPTURE(set.BodyText());
  REQUIRE(set.status == 200);
  json marked = f.Get("/api/duplicates");  // public: anyone reads the mark
  REQUIRE(marked["total"] == 1);
  const json& mark = marked["items"][0]["mark"];
  CHECK(mark["mark"] == "distinct");
  CHECK(mark["note"] == "Deux épiceries distinctes.");
  CHECK(mark["marked_by"] == "Pilote national");
  CHECK(mark["marked_at"].get<std::string>().rfind("2026-01-01", 0) == 0);
  CHECK(f.Get("/api/duplicates?marked=yes")["total"] == 1);
  CHECK(f.Get("/api/duplicates?marked=no")["total"] == 0);
  CHECK(f.Get("/api/duplicates?marked=peut-etre", 422)["field"] == "marked");
  // Marked again: replaced.
  REQUIRE(f.Call("PUT", f.MarkPath(), auth, json{{"mark", "same_structure"}}.dump()).status == 200);
  CHECK(f.Get("/api/duplicates")["items"][0]["mark"]["mark"] == "same_structure");
  CHECK(f.Get("/api/duplicates")["items"][0]["mark"]["note"] == "");
  // The regions' records are what they were.
  CHECK(f.Get("/api/initiatives/93/" + Id(1))["name"] == "Épicerie solidaire du Panier");
  CHECK(f.Get("/api/initiatives")["total"] == 3);

  CHECK(f.Call("DELETE", f.MarkPath(), {{"cookie", s.cookie}}).status == 403);
  CHECK(f.Call("DELETE", f.MarkPath(), auth).status == 200);
  CHECK(f.Get("/api/duplicates")["items"][0]["mark"].is_null());
  CHECK(f.Call("DELETE", f.MarkPath(), auth).status == 404);
}

TEST_CASE("an API without pilot accounts has no pilot routes") {
  test::HubStoreFixture store;
  HubHttpApi read_only{store.pool,
                       store.clock,
                       TheReferential(),
                       std::string(kDefaultFederation),
                       {"ess-federation/hub", test::HubTestSigner().public_key()}};
  HttpRequest req;
  req.method = "POST";
  req.target = req.path = "/api/pilot/session";
  CHECK(read_only(req).status != 201);
  CHECK(read_only(req).status >= 400);
}

TEST_CASE("dashboard filters: region, department, period; bad parameters named") {
  Fixture f;
  json all = f.Get("/api/indicators");
  CHECK(all["on_map"] == 3);
  CHECK(all["filters"]["region"].is_null());
  json paca = f.Get("/api/indicators?region=93");
  CHECK(paca["on_map"] == 2);
  CHECK(paca["filters"]["region"] == "93");
  REQUIRE(paca["by_department"].size() == 2);
  CHECK(paca["by_department"][0]["code"] == "06");
  CHECK(paca["by_department"][0]["label"] == "Alpes-Maritimes");
  CHECK(paca["by_region"].size() == 1);
  json bdr = f.Get("/api/indicators?region=93&department=13");
  CHECK(bdr["on_map"] == 1);
  CHECK(bdr["by_family"].size() == 1);
  CHECK(f.Get("/api/indicators?department=30")["on_map"] == 1);
  // Every initiative the hub knows, by the region filter only.
  CHECK(f.Get("/api/indicators?region=76")["by_status"][0]["count"] == 1);
  // The period of first admission, both ends inclusive.
  CHECK(f.Get("/api/indicators?from=2000-01-01&to=2100-12-31")["on_map"] == 3);
  CHECK(f.Get("/api/indicators?from=2099-01-01")["on_map"] == 0);
  CHECK(f.Get("/api/indicators?to=2000-01-01")["on_map"] == 0);
  CHECK(f.Get("/api/indicators?from=2099-01-01")["monthly_growth"].empty());

  CHECK(f.Get("/api/indicators?region=XX", 422)["field"] == "region");
  CHECK(f.Get("/api/indicators?department=999", 422)["field"] == "department");
  json outside = f.Get("/api/indicators?region=93&department=30", 422);
  CHECK(outside["field"] == "department");
  CHECK(outside["message"].get<std::string>().find("Gard") != std::string::npos);
  CHECK(f.Get("/api/indicators?from=2026-02-30", 422)["field"] == "from");
  CHECK(f.Get("/api/indicators?from=01/02/2026", 422)["field"] == "from");
  CHECK(f.Get("/api/indicators?to=2026-1-1", 422)["field"] == "to");
  CHECK(f.Get("/api/indicators?from=2026-03-01&to=2026-02-01", 422)["field"] == "to");
}

TEST_CASE("CSV export: RFC 4180 by default, French spreadsheet dialect on request") {
  Fixture f;
  const std::string plain = f.Get("/api/export/initiatives.csv?region=93").get<std::string>();
  CHECK(plain.rfind("region,id,name,", 0) == 0);
  CHECK(plain.find("43.2965") != std::string::npos);
  const std::string french =
      f.Get("/api/export/initiatives.csv?region=93&dialect=fr").get<std::string>();
  CHECK(french.rfind("\xEF\xBB\xBFregion;id;name;", 0) == 0);
  CHECK(french.find("43,2965") != std::string::npos);
  CHECK(french.find("43.2965") == std::string::npos);
  CHECK(french.find(";Épicerie solidaire du Panier;") != std::string::npos);
  CHECK(f.Get("/api/export/initiatives.csv?dialect=excel", 422)["field"] == "dialect");
}
