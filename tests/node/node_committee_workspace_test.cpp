// The committee workspace's reads (issue 15, point 4), through the HTTP API against the real
// PostgreSQL: the queue's submission date, the viewer's own vote and whether they still have
// to vote, members counted without those in conflict; the vote's outcome as counts with its
// French sentence; the first admitted revision numbered 1; the SIRET's check key and the
// charter's signatory.
#include <doctest/doctest.h>

#include "node/domain/decision_rule.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

json QueueItemOf(NodeFixture& node, const Session& viewer, const std::string& id) {
  auto r = node.Get("/api/committee/queue", &viewer);
  REQUIRE_MESSAGE(r.status == 200, r.text);
  for (const auto& item : r.body["items"]) {
    if (item["id"] == id) return item;
  }
  FAIL("not in the queue: " << id);
  return {};
}

json VoteOn(NodeFixture& node, const std::string& id, const Session& member,
            const std::string& choice) {
  auto r = node.Post("/api/committee/initiatives/" + id + "/votes",
                     {{"vote", choice}, {"reason", "Projet conforme à la charte"}}, &member);
  REQUIRE_MESSAGE(r.status == 201, r.text);
  return r.body;
}

}  // namespace

TEST_CASE(
    "the queue: submission date, my vote, whether I still have to vote, conflicts set aside") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  const std::string submitted = node::FormatRfc3339(node::NowSeconds(node.clock));

  auto before = QueueItemOf(node, c.members[0], id);
  CHECK(before["submitted_at"] == submitted);
  CHECK(before["my_vote"].is_null());
  CHECK(before["my_conflict"] == false);
  CHECK(before["needs_my_vote"] == true);
  CHECK(before["conflicts"] == 0);
  CHECK(before["voters"] == 3);
  CHECK(node.Get("/api/committee/queue", &c.members[0]).body["active_members"] == 3);

  auto conflict = node.Post("/api/committee/initiatives/" + id + "/conflicts",
                            {{"reason", "Je siège au bureau de l'association"}}, &c.members[0]);
  REQUIRE_MESSAGE(conflict.status == 201, conflict.text);
  VoteOn(node, id, c.members[1], "admit");

  auto conflicted = QueueItemOf(node, c.members[0], id);
  CHECK(conflicted["my_conflict"] == true);
  CHECK(conflicted["needs_my_vote"] == false);
  CHECK(conflicted["conflicts"] == 1);
  CHECK(conflicted["voters"] == 2);  // 3 active members, 1 in conflict
  auto voted = QueueItemOf(node, c.members[1], id);
  CHECK(voted["my_vote"] == "admit");
  CHECK(voted["needs_my_vote"] == false);
  CHECK(voted["votes"] == 1);
  CHECK(QueueItemOf(node, c.members[2], id)["needs_my_vote"] == true);
  // An admin follows the queue and has no vote of theirs.
  auto admin = QueueItemOf(node, c.admin, id);
  CHECK(admin["my_vote"].is_null());
  CHECK(admin["needs_my_vote"] == false);
  CHECK(admin["voters"] == 2);

  // A conflict of an inactive member no longer sets anyone aside (a fourth member keeps the
  // quorum within reach).
  node.AddMember(c.admin, "Denis Morel", "pairs");
  CHECK(QueueItemOf(node, c.members[2], id)["voters"] == 3);
  auto roster = node.Get("/api/committee/members", &c.admin).body["members"];
  std::string alice;
  for (const auto& m : roster)
    if (m["name"] == "Alice Martin") alice = m["id"];
  REQUIRE_FALSE(alice.empty());
  auto off = node.Call("PATCH", "/api/admin/committee/members/" + alice, json{{"active", false}},
                       &c.admin);
  REQUIRE_MESSAGE(off.status == 200, off.text);
  auto after = QueueItemOf(node, c.members[2], id);
  CHECK(after["conflicts"] == 0);
  CHECK(after["voters"] == 3);
}

TEST_CASE("the vote's outcome as counts and in French words; the first admission is revision 1") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  auto first = VoteOn(node, id, c.members[0], "admit");
  CHECK(first["outcome"]["state"] == "quorum_missing");
  CHECK(first["outcome"]["cast"] == 1);
  CHECK(first["rule"] == "Quorum non atteint : 1 vote sur 3 requis.");
  VoteOn(node, id, c.members[1], "admit");
  auto third = VoteOn(node, id, c.members[2], "reject");
  CHECK(third["outcome"] == json{{"state", "decided"},
                                 {"cast", 3},
                                 {"expressed", 3},
                                 {"colleges", 2},
                                 {"winner", "admit"},
                                 {"winner_votes", 2}});
  CHECK(third["rule"] ==
        "2 voix pour l'admission sur 3 exprimées (3 votes, 2 collèges) : majorité de plus de "
        "50\u00a0% atteinte.");
  auto history = node.Get("/api/initiatives/" + id + "/history", &c.members[0]);
  REQUIRE(history.status == 200);
  const std::string reasons = history.body["decisions"][0]["reasons"];
  CHECK(reasons.find("pour l'admission") != std::string::npos);
  CHECK(reasons.find("« admit »") == std::string::npos);  // the old wording named the code

  auto revision =
      node.Get("/api/committee/initiatives/" + id + "/admitted-revision", &c.members[0]);
  REQUIRE(revision.status == 200);
  CHECK(revision.body["revision"]["record_version"] == 2);  // the pending revision was 1
  CHECK(revision.body["revision"]["admitted_number"] == 1);
  auto proposal = node.Get("/api/committee/initiatives/" + id + "/proposal", &c.members[0]);
  CHECK(proposal.body["admitted"]["admitted_number"] == 1);
  // A confirmation journals another admitted revision: the second.
  auto confirm = node.Owner("POST", "/api/initiatives/" + id + "/owner/confirm", token);
  REQUIRE_MESSAGE(confirm.status == 200, confirm.text);
  revision = node.Get("/api/committee/initiatives/" + id + "/admitted-revision", &c.members[0]);
  CHECK(revision.body["revision"]["admitted_number"] == 2);
}

TEST_CASE("the SIRET's check key and the charter's signatory") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  auto checks = node.Get("/api/committee/initiatives/" + id + "/checks", &c.members[0]);
  REQUIRE_MESSAGE(checks.status == 200, checks.text);
  CHECK(checks.body["siret"] == json{{"value", "73282932000074"}, {"valid", true}});
  CHECK(checks.body["charter"]["version"] == 1);
  CHECK(checks.body["charter"]["adhered_by"] == "Marie Durand");
  CHECK(checks.body["charter"]["adhered_at"].is_string());
  // A SIRET whose key does not hold (as an older import could have stored it).
  node.pool().WithTransaction([&](pqxx::work& txn) {
    txn.exec_params("UPDATE initiative SET siret = '73282932000075' WHERE initiative_id = $1::uuid",
                    id);
  });
  checks = node.Get("/api/committee/initiatives/" + id + "/checks", &c.members[0]);
  CHECK(checks.body["siret"] == json{{"value", "73282932000075"}, {"valid", false}});
  auto without = node.Submit({{"siret", nullptr}, {"name", "Recyclerie sans SIRET"}});
  CHECK(node.Get("/api/committee/initiatives/" + without.first + "/checks", &c.members[0])
            .body["siret"]
            .is_null());
  CHECK(node.Get("/api/committee/initiatives/" + id + "/checks").status == 401);
}

TEST_CASE("decision rule sentences in French") {
  node::DecisionRule rule{3, 0.5, 2};
  std::vector<node::CastVote> votes = {{"a", "x", node::VoteChoice::kRequestChanges, ""},
                                       {"b", "y", node::VoteChoice::kAbstain, ""},
                                       {"c", "y", node::VoteChoice::kReject, ""}};
  auto split = node::ApplyDecisionRule(rule, votes);
  CHECK(split.state == "no_majority");
  CHECK(split.explanation == "Pas de majorité de plus de 50\u00a0% parmi 2 voix exprimées.");
  votes.push_back({"d", "x", node::VoteChoice::kRequestChanges, ""});
  auto asked = node::ApplyDecisionRule(node::DecisionRule{3, 0.66, 2}, votes);
  CHECK(asked.explanation ==
        "2 voix pour une demande de modifications sur 3 exprimées (4 votes, 2 collèges) : majorité "
        "de plus "
        "de 66\u00a0% atteinte.");
  CHECK(node::FrenchPercent(0.666) == "66,6\u00a0%");
  auto one = node::ApplyDecisionRule(
      node::DecisionRule{3, 0.5, 2},
      std::vector<node::CastVote>{{"a", "x", node::VoteChoice::kAdmit, ""},
                                  {"b", "x", node::VoteChoice::kAdmit, ""},
                                  {"c", "x", node::VoteChoice::kAdmit, ""}});
  CHECK(one.explanation == "Collèges insuffisants : 1 collège sur 2 requis.");
}
