// Bad input through the HTTP API: every validation rule, oversized bodies, malformed JSON,
// missing CSRF token, wrong role, another initiative's edit token... each refused with the
// documented error ({code, message, field} and status), and nothing changed.
#include <doctest/doctest.h>

#include "node/service/shared_rate_limiter.h"
#include "node/store/node_statements.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

struct Snapshot {
  std::size_t journal;
  long long initiatives, votes, links, reports, members, charters;
};

Snapshot Take(NodeFixture& node) {
  return {node.JournalSize(),
          node.Count("SELECT count(*) FROM initiative"),
          node.Count("SELECT count(*) FROM committee_vote"),
          node.Count("SELECT count(*) FROM edit_link WHERE revoked_at IS NULL"),
          node.Count("SELECT count(*) FROM report"),
          node.Count("SELECT count(*) FROM committee_member"),
          node.Count("SELECT count(*) FROM charter_version")};
}

void CheckUnchanged(NodeFixture& node, const Snapshot& before) {
  Snapshot now = Take(node);
  CHECK(now.journal == before.journal);
  CHECK(now.initiatives == before.initiatives);
  CHECK(now.votes == before.votes);
  CHECK(now.links == before.links);
  CHECK(now.reports == before.reports);
  CHECK(now.members == before.members);
  CHECK(now.charters == before.charters);
}

void CheckError(const Reply& r, int status, const std::string& code, const std::string& field = "") {
  CHECK_MESSAGE(r.status == status, r.text);
  CHECK_MESSAGE(r.body["code"] == code, r.text);
  CHECK(r.body["message"].is_string());
  if (!field.empty()) CHECK_MESSAGE(r.body["field"] == field, r.text);
}

}  // namespace

TEST_CASE("each validation rule of a submission is refused with its code and field; nothing is written") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  Snapshot before = Take(node);
  struct Case {
    json changes;
    std::string code, field;
  };
  std::string long_name(201, 'x');
  std::string long_description(5001, 'x');
  const std::vector<Case> cases = {
      {{{"name", nullptr}}, "required", "name"},
      {{{"name", " "}}, "required", "name"},
      {{{"name", "x"}}, "too_short", "name"},
      {{{"name", long_name}}, "too_long", "name"},
      {{{"name", 42}}, "invalid_type", "name"},
      {{{"name", "bad \x01 control"}}, "invalid_text", "name"},
      {{{"description", long_description}}, "too_long", "description"},
      {{{"family", "sarl"}}, "unknown_code", "family"},
      {{{"legal_form", "sarl"}}, "unknown_code", "legal_form"},
      {{{"legal_form", "scop"}}, "inconsistent", "legal_form"},
      {{{"activities", json::array()}}, "invalid_count", "activities"},
      {{{"activities", {"alimentation", "peche_au_gros"}}}, "unknown_code", "activities[1]"},
      {{{"activities", {"alimentation", "alimentation"}}}, "duplicate", "activities[1]"},
      {{{"activities", "alimentation"}}, "invalid_type", "activities"},
      {{{"commune", "99999"}}, "unknown_commune", "commune"},
      {{{"commune", "75056"}}, "wrong_region", "commune"},
      {{{"department", "06"}}, "inconsistent", "department"},
      {{{"region", "11"}}, "inconsistent", "region"},
      {{{"postcode", "75001"}}, "inconsistent", "postcode"},
      {{{"postcode", "13-02"}}, "invalid_postcode", "postcode"},
      {{{"latitude", 40.4168}, {"longitude", -3.7038}}, "outside_france", "latitude"},
      {{{"latitude", -20.88}, {"longitude", 55.45}}, "outside_region", "latitude"},
      {{{"latitude", "43.3"}}, "invalid_type", "latitude"},
      // Both mistyped: the first is named (the JSON reading named the longitude).
      {{{"latitude", "43.3"}, {"longitude", "5.4"}}, "invalid_type", "latitude"},
      {{{"email", "pas-une-adresse"}}, "invalid_email", "email"},
      {{{"phone", "04 ab"}}, "invalid_phone", "phone"},
      {{{"website", "javascript:alert(1)"}}, "invalid_url", "website"},
      {{{"siret", "73282932000075"}}, "invalid_siret", "siret"},
      {{{"siret", "1234"}}, "invalid_siret", "siret"},
      {{{"employer", "oui"}}, "invalid_type", "employer"},
      {{{"offers", {{{"description", "sans titre"}}}}}, "required", "offers[0].title"},
      {{{"offers", {{{"title", "x"}, {"prix", 3}}}}}, "unknown_field", "offers[0].prix"},
      {{{"private", {{"contact_email", "non"}}}}, "invalid_email", "private.contact_email"},
      {{{"private", {{"iban", "FR76"}}}}, "unknown_field", "private.iban"},
      {{{"couleur", "vert"}}, "unknown_field", "couleur"},
      {{{"charter", nullptr}}, "charter_required", "charter"},
      {{{"charter", {{"version", 1}}}}, "required", "charter.adhered_by"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.changes.dump());
    CheckError(node.Post("/api/initiatives", NodeFixture::ValidInitiative(c.changes)), 422, c.code, c.field);
  }
  CheckError(node.Post("/api/initiatives", NodeFixture::ValidInitiative({}, 7)), 409, "charter_outdated", "charter.version");
  CheckUnchanged(node, before);
  // The La Poste exception and coordinates taken from the commune are accepted.
  auto ok = node.Post("/api/initiatives", NodeFixture::ValidInitiative(
                                              {{"siret", "35600000049837"}, {"latitude", nullptr}, {"longitude", nullptr}}));
  REQUIRE_MESSAGE(ok.status == 201, ok.text);
  CHECK(ok.body["initiative"]["latitude"] == 43.24963);
}

TEST_CASE("no charter yet, no referential: refused") {
  {
    NodeFixture node;
    CheckError(node.Post("/api/initiatives", NodeFixture::ValidInitiative()), 409, "no_charter");
    CHECK(node.Get("/api/charter").status == 404);
    CHECK(node.JournalSize() == 0);
  }
  NodeFixture bare(TestSettings(), /*with_referential=*/false);
  CheckError(bare.Post("/api/initiatives", NodeFixture::ValidInitiative()), 503, "no_referential");
  CHECK(bare.Get("/api/referential").status == 503);
}

TEST_CASE("oversized bodies, malformed JSON, unknown routes") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  Snapshot before = Take(node);
  json big = NodeFixture::ValidInitiative({{"description", std::string(70 * 1024, 'x')}});
  CheckError(node.Post("/api/initiatives", big), 413, "too_large");
  // Over the server's own limit (1 MiB here): refused before any handler runs.
  auto huge = node.CallRaw("POST", "/api/initiatives", std::string(1024 * 1024 + 10, ' '), {{"Content-Type", "application/json"}});
  CHECK(huge.status == 413);
  CheckError(node.CallRaw("POST", "/api/initiatives", "{\"name\": ", {{"Content-Type", "application/json"}}), 400,
             "malformed_json");
  CheckError(node.CallRaw("POST", "/api/initiatives", "[1, 2]", {{"Content-Type", "application/json"}}), 400,
             "malformed_json");
  CheckError(node.CallRaw("POST", "/api/initiatives", "{\"name\": \"\xff\xfe\"}", {{"Content-Type", "application/json"}}),
             400, "malformed_json");
  CheckError(node.Get("/api/nowhere"), 404, "not_found");
  CheckError(node.Call("DELETE", "/api/initiatives"), 405, "method_not_allowed");
  CheckError(node.Get("/api/initiatives/not-a-uuid"), 404, "not_found");
  CheckError(node.Get("/api/initiatives?bbox=1,2,3"), 422, "invalid_parameter", "bbox");
  CheckError(node.Get("/api/initiatives?per_page=1000"), 422, "invalid_parameter", "per_page");
  CheckUnchanged(node, before);
}

TEST_CASE("sessions: bad credentials, missing CSRF token, wrong role; nothing changed") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  Session member = node.AddMember(admin, "Alice Martin", "usagers");
  Session chair = node.AddMember(admin, "Chloé Roux", "pairs", "chair");
  auto [id, token] = node.Submit();
  Snapshot before = Take(node);

  CheckError(node.Post("/api/session", {{"email", "admin@example.org"}, {"password", "mauvais-mot-de-passe"}}), 401,
             "bad_credentials");
  CheckError(node.Post("/api/session", {{"email", "inconnu@example.org"}, {"password", "mot-de-passe-admin"}}), 401,
             "bad_credentials");
  // The cookie is HttpOnly and SameSite=Strict.
  auto login = node.Post("/api/session", {{"email", "admin@example.org"}, {"password", "mot-de-passe-admin"}});
  CHECK(login.headers["set-cookie"].find("HttpOnly") != std::string::npos);
  CHECK(login.headers["set-cookie"].find("SameSite=Strict") != std::string::npos);

  // No session at all.
  CheckError(node.Post("/api/admin/charter", {{"text", "v2"}}), 401, "not_authenticated");
  CheckError(node.Get("/api/committee/queue"), 401, "not_authenticated");
  // A session without (or with a wrong) CSRF token.
  auto no_csrf = node.Call("POST", "/api/admin/charter", json{{"text", "v2"}}, &admin, {{"X-CSRF-Token", ""}});
  CheckError(no_csrf, 403, "csrf_token_invalid");
  Session forged = admin;
  forged.csrf = member.csrf;
  CheckError(node.Post("/api/admin/charter", {{"text", "v2"}}, &forged), 403, "csrf_token_invalid");
  CheckError(node.Post("/api/committee/initiatives/" + id + "/votes", {{"vote", "admit"}, {"reason", "très bien"}},
                       &forged),
             403, "csrf_token_invalid");
  // Wrong roles.
  CheckError(node.Post("/api/admin/charter", {{"text", "v2"}}, &member), 403, "forbidden");
  CheckError(
      node.Post("/api/admin/committee/members",
                {{"name", "Intrus"}, {"email", "intrus@example.org"}, {"college", "usagers"}},
                &chair),
      403, "forbidden");
  CheckError(node.Post("/api/committee/initiatives/" + id + "/votes", {{"vote", "admit"}, {"reason", "très bien"}}, &admin),
             403, "forbidden");
  CheckError(node.Post("/api/committee/initiatives/" + id + "/reviews", {{"reason", "à revoir"}}, &member), 403, "forbidden");
  CheckError(node.Post("/api/admin/initiatives/" + id + "/erase", json::object(), &member), 403, "forbidden");
  CheckError(node.Get("/api/admin/outbox", &member), 403, "forbidden");
  // Public search cannot see other statuses.
  CheckError(node.Get("/api/initiatives?status=pending"), 403, "forbidden");
  CheckUnchanged(node, before);

  // Logging out ends the session.
  CHECK(node.Call("DELETE", "/api/session", std::nullopt, &member).status == 200);
  CheckError(node.Get("/api/committee/queue", &member), 401, "not_authenticated");
}

TEST_CASE("votes: reasons, conflicts of interest, double votes, deactivated members") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  Session a = node.AddMember(admin, "Alice Martin", "usagers");
  Session b = node.AddMember(admin, "Bruno Petit", "pairs");
  auto [id, token] = node.Submit();
  const std::string votes = "/api/committee/initiatives/" + id + "/votes";
  CheckError(node.Post(votes, {{"vote", "admit"}}, &a), 422, "required", "reason");
  CheckError(node.Post(votes, {{"vote", "oui"}, {"reason", "très bien"}}, &a), 422, "invalid_vote", "vote");
  CheckError(node.Post("/api/committee/initiatives/" + id + "/conflicts", {{"reason", "x"}}, &b), 422, "invalid_text", "reason");
  REQUIRE(node.Post("/api/committee/initiatives/" + id + "/conflicts", {{"reason", "Je siège à son CA"}}, &b).status == 201);
  Snapshot before = Take(node);
  CheckError(node.Post(votes, {{"vote", "admit"}, {"reason", "très bien"}}, &b), 403, "conflict_of_interest");
  CheckUnchanged(node, before);
  REQUIRE(node.Post(votes, {{"vote", "admit"}, {"reason", "très bien"}}, &a).status == 201);
  CheckError(node.Post(votes, {{"vote", "reject"}, {"reason", "finalement non"}}, &a), 409, "already_voted");
  CheckError(node.Post("/api/committee/initiatives/" + id + "/conflicts", {{"reason", "Je siège à son CA"}}, &a), 409,
             "already_voted");
  // A deactivated member keeps a session but may no longer vote; the change is journalled.
  const std::size_t journal = node.JournalSize();
  auto deactivated = node.Call("PATCH", "/api/admin/committee/members/" + a.member_id, json{{"active", false}}, &admin);
  REQUIRE_MESSAGE(deactivated.status == 200, deactivated.text);
  CHECK(node.JournalKinds(journal) == std::vector<std::string>{"committee_membership"});
  CheckError(node.Get("/api/committee/queue", &a), 403, "forbidden");
  CheckError(node.Call("PATCH", "/api/admin/committee/members/" + a.member_id, json{{"college", "martiens"}}, &admin), 422,
             "unknown_college", "college");
  // Malformed membership input: named, and nothing journalled.
  const std::size_t unchanged = node.JournalSize();
  CheckError(node.Call("PATCH", "/api/admin/committee/members/" + a.member_id,
                       json{{"active", "non"}}, &admin),
             422, "invalid_field", "active");
  CheckError(node.Call("PATCH", "/api/admin/committee/members/" + a.member_id,
                       json{{"email", "x@example.org"}}, &admin),
             422, "invalid_field", "email");
  const json complete = {
      {"name", "Chloé Roux"}, {"email", "chloe@example.org"}, {"college", "usagers"}};
  // The member chooses their password from the invitation: the admin may not give one.
  json with_password = complete;
  with_password["password"] = "mot-de-passe-chloe";
  CheckError(node.Post("/api/admin/committee/members", with_password, &admin), 422, "invalid_field",
             "password");
  json numeric_college = complete;
  numeric_college["college"] = 7;
  CheckError(node.Post("/api/admin/committee/members", numeric_college, &admin), 422,
             "invalid_type", "college");
  CHECK(node.JournalSize() == unchanged);
}

TEST_CASE("edit tokens: another initiative's token, revoked, expired, malformed: refused, nothing changed") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  auto [a, token_a] = node.Submit();
  auto [b, token_b] = node.Submit({{"name", "Garage solidaire"}});
  Snapshot before = Take(node);
  json edit = NodeFixture::ValidInitiative({{"name", "Détourné"}, {"charter", nullptr}});

  CheckError(node.Owner("PUT", "/api/initiatives/" + b + "/owner", token_a, edit), 403, "edit_token_mismatch");
  CheckError(node.Owner("POST", "/api/initiatives/" + b + "/owner/withdraw", token_a), 403, "edit_token_mismatch");
  CheckError(node.Owner("POST", "/api/initiatives/" + b + "/owner/erase", token_a), 403, "edit_token_mismatch");
  CheckError(node.Call("PUT", "/api/initiatives/" + b + "/owner", edit), 401, "edit_token_required");
  CheckError(node.Owner("PUT", "/api/initiatives/" + b + "/owner", std::string(64, '0'), edit), 401, "edit_token_invalid");
  CheckError(node.Owner("PUT", "/api/initiatives/" + b + "/owner", "' OR 1=1 --", edit), 401, "edit_token_invalid");
  CheckError(node.Owner("PUT", "/api/initiatives/" + a + "/owner", token_a,
                        NodeFixture::ValidInitiative({{"siret", "1"}, {"charter", nullptr}})),
             422, "invalid_siret", "siret");
  CheckUnchanged(node, before);
  CHECK(node.Get("/api/initiatives/" + b, &admin).body["name"] == "Garage solidaire");

  // The owner revokes their link: it no longer works.
  REQUIRE(node.Owner("DELETE", "/api/initiatives/" + a + "/owner/link", token_a).status == 200);
  CheckError(node.Owner("GET", "/api/initiatives/" + a + "/owner", token_a), 401, "edit_token_invalid");
  // The admin revokes every link of B, then issues a new one.
  REQUIRE(node.Call("DELETE", "/api/admin/initiatives/" + b + "/edit-links", std::nullopt, &admin).status == 200);
  CheckError(node.Owner("GET", "/api/initiatives/" + b + "/owner", token_b), 401, "edit_token_invalid");
  auto issued = node.Post("/api/admin/initiatives/" + b + "/edit-links", json::object(), &admin);
  REQUIRE(issued.status == 201);
  std::string fresh = issued.body["edit_token"];
  CHECK(node.Owner("GET", "/api/initiatives/" + b + "/owner", fresh).status == 200);
  // Links expire (60 days in the test settings).
  node.AdvanceDays(61);
  CheckError(node.Owner("GET", "/api/initiatives/" + b + "/owner", fresh), 401, "edit_token_expired");
  // Only the hash is stored.
  CHECK(node.Count("SELECT count(*) FROM edit_link WHERE encode(token_hash, 'hex') = '" + fresh + "'") == 0);
}

TEST_CASE("public writes are rate limited per client address") {
  node::NodeSettings settings = TestSettings();
  settings.public_rate_limit = {1, 3};
  NodeFixture node(settings);
  Session admin = node.Admin();  // 1 login
  node.PublishCharter(admin);
  for (int i = 0; i < 3; ++i) CHECK(node.Post("/api/initiatives", NodeFixture::ValidInitiative()).status == 201);
  auto limited = node.Post("/api/initiatives", NodeFixture::ValidInitiative());
  CheckError(limited, 429, "rate_limited");
  CHECK(limited.headers.count("retry-after") == 1);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 3);
  node.clock.Advance(std::chrono::seconds(61));
  CHECK(node.Post("/api/initiatives", NodeFixture::ValidInitiative()).status == 201);
  // Sign-ins have their own limits, per address and per account: node_sign_in_test.
}

TEST_CASE("the public rate limits are shared by every process on the node's database") {
  NodeFixture node;
  // Two processes: two pools on the one database, each with its own limiter (and its own
  // in-memory flood guard), the same clock.
  PgPool other_pool(
      PgPoolOptions{node.connection_string(), 2, std::chrono::seconds(10),
                    [](pqxx::connection& c) { node::PrepareNodeStatements(c, true); }});
  const RateLimit limit{6, 3};  // 6 a minute, burst 3
  node::SharedRateLimiter first(node.pool(), node.clock, "public", limit);
  node::SharedRateLimiter second(other_pool, node.clock, "public", limit);
  node::SharedRateLimiter other_limit(other_pool, node.clock, "similar", limit);
  CHECK(first.Take("203.0.113.7").allowed);
  CHECK(second.Take("203.0.113.7").allowed);
  CHECK(first.Take("203.0.113.7").allowed);
  // The bucket is empty for both processes, not for another address or another limit.
  RateDecision refused = second.Take("203.0.113.7");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after_seconds == 10);
  CHECK_FALSE(first.Take("203.0.113.7").allowed);
  CHECK(first.Take("198.51.100.1").allowed);
  CHECK(other_limit.Take("203.0.113.7").allowed);
  // One token back after 10 s, taken by whichever process asks first.
  node.clock.Advance(std::chrono::seconds(10));
  CHECK(second.Take("203.0.113.7").allowed);
  CHECK_FALSE(first.Take("203.0.113.7").allowed);
  CHECK(node.Count("SELECT count(*) FROM rate_limit_bucket") == 3);
  // Buckets idle until full again are deleted (at most once a minute per process).
  node.clock.Advance(std::chrono::minutes(2));
  CHECK(first.Take("192.0.2.9").allowed);
  CHECK(node.Count("SELECT count(*) FROM rate_limit_bucket WHERE limit_name = 'public'") == 1);
  CHECK(node.Count("SELECT count(*) FROM rate_limit_bucket WHERE limit_name = 'similar'") == 1);
}

TEST_CASE("a journal blocked by the hub (node restored from an old backup) refuses writes clearly") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();
  // What the uploader records when the hub holds more of this region's log than the node.
  node.pool().WithTransaction([](pqxx::work& txn) {
    txn.exec(
        "INSERT INTO hub_replication_state (region, append_blocked, append_blocked_reason) "
        "VALUES ('93', true, 'le hub détient 12 entrées, ce nœud 7')");
  });
  auto refused = node.Post("/api/initiatives", NodeFixture::ValidInitiative());
  CHECK(refused.status == 503);
  CHECK(refused.body["code"] == "journal_blocked");
  CHECK(refused.body["message"].get<std::string>().find("sauvegarde") != std::string::npos);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  CHECK(node.JournalSize() == journal);
  // Reads still work.
  CHECK(node.Get("/api/initiatives").status == 200);
}

TEST_CASE(
    "a charter publication with a missing text or a days count of another type is refused, nothing "
    "published") {
  NodeFixture node;
  Session admin = node.Admin();
  CheckError(node.Post("/api/admin/charter", {{"readhesion_days", "trente"}}, &admin), 422,
             "required", "text");
  CheckError(node.Post("/api/admin/charter", {{"text", 12}}, &admin), 422, "required", "text");
  CheckError(node.Post("/api/admin/charter",
                       {{"text", "Charte régionale"}, {"readhesion_days", "trente"}}, &admin),
             422, "invalid_type", "readhesion_days");
  CheckError(node.Post("/api/admin/charter",
                       {{"text", "Charte régionale"}, {"readhesion_days", 2.5}}, &admin),
             422, "invalid_type", "readhesion_days");
  CHECK(node.Get("/api/charter").status == 404);
  CHECK(node.PublishCharter(admin) == 1);
}
