// The region's rules edited by the admin (PUT /api/admin/settings): seeded from the
// configuration, validated with French messages naming the field, recorded in a history
// (who, when, before -> after), and applied without a restart to later decisions,
// confirmations, reports and the queue, by this instance and by any other sharing the
// database.
#include <doctest/doctest.h>

#include "node/service/region_rules_service.h"
#include "tests/node/committee_fixtures.h"

using namespace ess;
using namespace ess::test;

namespace {

Reply Put(NodeFixture& node, const json& body, const Session* session) {
  return node.Call("PUT", "/api/admin/settings", body, session);
}

}  // namespace

TEST_CASE("settings: seeded from the configuration, read and changed by the admin only, with CSRF") {
  NodeFixture node;
  Session admin = node.Admin();
  Session member = node.AddMember(admin, "Alice Martin", "usagers");
  auto seeded = node.Get("/api/admin/settings", &admin);
  REQUIRE_MESSAGE(seeded.status == 200, seeded.text);
  CHECK(seeded.body["revision"] == 1);
  CHECK(seeded.body["updated_by"] == "configuration");
  CHECK(seeded.body["decision_rule"] == json{{"quorum", 3}, {"majority", 0.5}, {"min_colleges", 2}});
  CHECK(seeded.body["endorsement_threshold"] == 2);

  CHECK(Put(node, TestRegionRules(), nullptr).status == 401);
  CHECK(Put(node, TestRegionRules(), &member).body["code"] == "forbidden");
  auto no_csrf = node.Call("PUT", "/api/admin/settings", TestRegionRules({{"report_threshold", 1}}),
                           &admin, {{"X-CSRF-Token", "x"}});
  CHECK(no_csrf.status == 403);
  CHECK(no_csrf.body["code"] == "csrf_token_invalid");
  CHECK(node.Get("/api/admin/settings/history", &member).status == 403);
  CHECK(node.Get("/api/admin/settings", &admin).body["revision"] == 1);
}

TEST_CASE("settings: each rule refused with a French message naming its field; nothing changes") {
  NodeFixture node;
  Session admin = node.Admin();
  node.AddMember(admin, "Alice Martin", "usagers");
  struct Case {
    json body;
    std::string code, field;
  };
  json no_quorum = TestRegionRules();
  no_quorum["decision_rule"].erase("quorum");
  json no_colleges = TestRegionRules();
  no_colleges.erase("colleges");
  const std::vector<Case> cases = {
      {TestRegionRules({{"decision_rule", {{"quorum", 0}}}}), "invalid_setting",
       "decision_rule.quorum"},
      {TestRegionRules({{"decision_rule", {{"quorum", 101}}}}), "invalid_setting",
       "decision_rule.quorum"},
      {TestRegionRules({{"decision_rule", {{"quorum", "trois"}}}}), "invalid_type",
       "decision_rule.quorum"},
      {TestRegionRules({{"decision_rule", {{"quorum", 2.5}}}}), "invalid_type",
       "decision_rule.quorum"},
      {no_quorum, "required", "decision_rule.quorum"},
      {TestRegionRules({{"decision_rule", {{"majority", 0.4}}}}), "invalid_setting",
       "decision_rule.majority"},
      {TestRegionRules({{"decision_rule", {{"majority", 1}}}}), "invalid_setting",
       "decision_rule.majority"},
      {TestRegionRules({{"decision_rule", {{"min_colleges", 0}}}}), "invalid_setting",
       "decision_rule.min_colleges"},
      {TestRegionRules({{"decision_rule", {{"min_colleges", 4}, {"quorum", 5}}}}),
       "invalid_setting", "decision_rule.min_colleges"},
      {TestRegionRules({{"decision_rule", {{"min_colleges", 3}, {"quorum", 2}}}}),
       "invalid_setting", "decision_rule.min_colleges"},
      {TestRegionRules({{"decision_rule", {{"unanimity", true}}}}), "unknown_field",
       "decision_rule.unanimity"},
      {TestRegionRules({{"colleges", json::array()}}), "invalid_setting", "colleges"},
      {TestRegionRules({{"colleges", {"usagers", "pairs", "usagers"}}}), "invalid_setting",
       "colleges[2]"},
      {TestRegionRules({{"colleges", {"usagers", "pairs", "a,b"}}}), "invalid_setting",
       "colleges[2]"},
      {TestRegionRules({{"colleges", {"usagers", "pairs", " partenaires"}}}), "invalid_setting",
       "colleges[2]"},
      {TestRegionRules({{"colleges", {"usagers", 3}}}), "invalid_type", "colleges[1]"},
      {no_colleges, "required", "colleges"},
      {TestRegionRules({{"freshness", {{"validity_days", 0}}}}), "invalid_setting",
       "freshness.validity_days"},
      {TestRegionRules({{"freshness", {{"grace_days", -1}}}}), "invalid_setting",
       "freshness.grace_days"},
      {TestRegionRules({{"freshness", {{"reminder_days", 400}}}}), "invalid_setting",
       "freshness.reminder_days"},
      {TestRegionRules({{"report_threshold", 0}}), "invalid_setting", "report_threshold"},
      {TestRegionRules({{"endorsement_threshold", 0}}), "invalid_setting", "endorsement_threshold"},
      {TestRegionRules({{"edit_link_days", 30}, {"session_hours", 2}}), "unknown_field",
       "session_hours"},
      // A college that active members belong to cannot go.
      {TestRegionRules({{"colleges", {"pairs", "partenaires"}}}), "college_in_use", "colleges"},
  };
  for (const auto& c : cases) {
    auto r = Put(node, c.body, &admin);
    CHECK_MESSAGE(r.status == 422, c.body.dump(), " -> ", r.text);
    CHECK_MESSAGE(r.body["code"] == c.code, c.body.dump(), " -> ", r.text);
    CHECK_MESSAGE(r.body["field"] == c.field, c.body.dump(), " -> ", r.text);
    CHECK(r.body["message"].get<std::string>().size() > 10);
  }
  auto bad_json = node.CallRaw("PUT", "/api/admin/settings", "{", {{"Content-Type", "application/json"},
                                                                   {"Cookie", admin.cookie}, {"X-CSRF-Token", admin.csrf}});
  CHECK(bad_json.status == 400);
  CHECK(node.Get("/api/admin/settings", &admin).body["revision"] == 1);
  CHECK(node.Get("/api/admin/settings/history", &admin).body["changes"].size() == 1);
  CHECK(node.rules().Get()->revision == 1);
}

TEST_CASE("settings: a change is recorded (who, when, before -> after) and applies to what follows") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  std::vector<Session> members = {node.AddMember(admin, "Alice Martin", "usagers"),
                                  node.AddMember(admin, "Bruno Petit", "pairs"),
                                  node.AddMember(admin, "Chloé Roux", "partenaires")};
  node.AdvanceDays(1);
  admin = node.Renew(admin);
  for (auto& m : members) m = node.Renew(m);
  json next = TestRegionRules({{"decision_rule", {{"quorum", 2}, {"majority", 0.6}}},
                               {"colleges", {"usagers", "pairs", "partenaires", "habitants"}},
                               {"freshness", {{"validity_days", 200}, {"grace_days", 10}}},
                               {"report_threshold", 1},
                               {"endorsement_threshold", 1},
                               {"revision", 1}});
  auto changed = Put(node, next, &admin);
  REQUIRE_MESSAGE(changed.status == 200, changed.text);
  CHECK(changed.body["revision"] == 2);
  CHECK(changed.body["updated_by"] == "admin:admin@example.org");
  CHECK(changed.body["updated_at"] == "2026-01-02T00:00:00Z");
  CHECK(changed.body["decision_rule"]["quorum"] == 2);
  // The same again changes nothing; an edit made from a stale page is refused.
  CHECK(Put(node, next, &admin).status == 409);
  next.erase("revision");
  CHECK(Put(node, next, &admin).body["revision"] == 2);

  auto history = node.Get("/api/admin/settings/history", &admin);
  REQUIRE(history.status == 200);
  REQUIRE(history.body["changes"].size() == 2);
  const json& latest = history.body["changes"][0];
  CHECK(latest["revision"] == 2);
  CHECK(latest["changed_by"] == "admin:admin@example.org");
  CHECK(latest["changed_at"] == "2026-01-02T00:00:00Z");
  CHECK(latest["changes"][0] == json{{"field", "decision_rule.quorum"}, {"before", 3}, {"after", 2}});
  CHECK(latest["changes"][1] == json{{"field", "decision_rule.majority"}, {"before", 0.5}, {"after", 0.6}});
  CHECK(latest["changes"].size() == 7);
  CHECK(history.body["changes"][1]["changed_by"] == "configuration");
  CHECK(history.body["changes"][1]["changes"][0]["before"].is_null());

  // The committee's pages see the new rule and colleges.
  auto committee = node.Get("/api/committee/members", &members[0]);
  CHECK(committee.body["rule"] == json{{"quorum", 2}, {"majority", 0.6}, {"min_colleges", 2}});
  CHECK(committee.body["colleges"].size() == 4);
  CHECK(node.Post("/api/admin/committee/members",
                  {{"name", "Dana Roy"}, {"email", "dana@example.org"}, {"college", "habitants"}},
                  &admin)
            .status == 201);

  // The next decision uses it: two votes from two colleges decide, and the decision says so.
  auto [id, token] = node.Submit();
  const std::size_t start = node.JournalSize();
  node.VoteAll({members[0], members[1]}, id, "admit");
  auto journal = node.VerifiedJournal();
  REQUIRE(node.JournalKinds(start) == std::vector<std::string>{"committee_decision", "initiative"});
  CHECK((*journal[start].payload)["rule"] == json{{"quorum", 2}, {"majority", 0.6}, {"min_colleges", 2}});
  // Freshness: a confirmation now starts a period of 200 days, then 10 of grace.
  auto confirmed = node.Owner("POST", "/api/initiatives/" + id + "/owner/confirm", token);
  REQUIRE(confirmed.status == 200);
  CHECK(confirmed.body["valid_until"] == "2026-07-21T00:00:00Z");
  CHECK(confirmed.body["hide_after"] == "2026-07-31T00:00:00Z");
  // Participation: one report reopens a review, one endorsement marks it endorsed.
  REQUIRE(node.Post("/api/initiatives/" + id + "/endorsements", json::object()).status == 201);
  REQUIRE(node.Post("/api/initiatives/" + id + "/reports", {{"reason", "closed"}}).status == 201);
  auto queue = node.Get("/api/committee/queue", &members[2]);
  REQUIRE(queue.body["items"].size() == 1);
  CHECK(queue.body["items"][0]["review_reason"] == "reports");
  CHECK(queue.body["items"][0]["endorsed"] == true);
  CHECK(queue.body["rule"]["quorum"] == 2);
}

TEST_CASE("settings: another instance sees a change at its next request; a restart keeps the stored rules") {
  NodeFixture node;
  Session admin = node.Admin();
  // Another node process behind the same load balancer, started with the configuration's values.
  node::RegionRulesHolder other(TestSettings().initial_rules);
  node::LoadRegionRules(node.pool(), TestSettings().initial_rules, other, node.clock);
  CHECK(other.Get()->revision == 1);
  // (A rule the committee must meet would need members: the report threshold does not.)
  REQUIRE(Put(node, TestRegionRules({{"report_threshold", 5}}), &admin).status == 200);
  auto seen = node.pool().WithTransaction([&](pqxx::work& txn) { return node::CurrentRules(txn, other); });
  CHECK(seen->revision == 2);
  CHECK(seen->rules.report_threshold == 5);
  CHECK(other.Get()->rules.report_threshold == 5);
  // A restart with other values in the configuration: the stored rules stay in force.
  node::RegionRules configured = TestSettings().initial_rules;
  configured.report_threshold = 7;
  node::RegionRulesHolder restarted(configured);
  node::LoadRegionRules(node.pool(), configured, restarted, node.clock);
  CHECK(restarted.Get()->revision == 2);
  CHECK(restarted.Get()->rules.report_threshold == 5);
  CHECK(node.Get("/api/admin/settings/history", &admin).body["changes"].size() == 2);
}

TEST_CASE("settings: the seed's history lists every field, a period of 0 days included") {
  // The seed was listed as a change from all-zero rules, so a grace or reminder period of 0
  // days from the configuration was left out of it.
  node::NodeSettings settings = TestSettings();
  settings.initial_rules.freshness = {365, 0, 0};
  NodeFixture node(settings);
  Session admin = node.Admin();
  auto history = node.Get("/api/admin/settings/history", &admin);
  REQUIRE_MESSAGE(history.status == 200, history.text);
  REQUIRE(history.body["changes"].size() == 1);
  const json& seed = history.body["changes"][0]["changes"];
  REQUIRE(seed.size() == 10);
  CHECK(seed[5] == json{{"field", "freshness.grace_days"}, {"before", nullptr}, {"after", 0}});
  CHECK(seed[6] == json{{"field", "freshness.reminder_days"}, {"before", nullptr}, {"after", 0}});
}
