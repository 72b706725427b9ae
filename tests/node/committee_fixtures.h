#pragma once
// What several committee tests start from, on a NodeFixture: one initiative admitted by the
// fixture's committee, and the region rules as PUT /api/admin/settings takes them.

#include <string>
#include <tuple>
#include <vector>

#include "tests/node/node_fixture.h"

namespace ess::test {

// A node with its charter and committee (NodeFixture::SetUpCommittee) and one initiative
// the three members voted in; `token` is its owner's private link.
struct AdmittedInitiative {
  NodeFixture node;
  Session admin;
  std::vector<Session> members;
  std::string id, token;

  AdmittedInitiative() {
    Committee committee = node.SetUpCommittee();
    admin = committee.admin;
    members = committee.members;
    std::tie(id, token) = node.Submit();
    node.VoteAll(members, id, "admit");
  }
};

// The committee's test rules (3 votes from 2 of 3 colleges) with `changes` merged in.
inline json TestRegionRules(const json& changes = json::object()) {
  json j = {{"decision_rule", {{"quorum", 3}, {"majority", 0.5}, {"min_colleges", 2}}},
            {"colleges", {"usagers", "pairs", "partenaires"}},
            {"freshness", {{"validity_days", 365}, {"grace_days", 60}, {"reminder_days", 30}}},
            {"report_threshold", 3},
            {"endorsement_threshold", 2}};
  j.merge_patch(changes);
  return j;
}

}  // namespace ess::test
