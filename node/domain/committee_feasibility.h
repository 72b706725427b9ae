#pragma once
// Whether the region's rules can be met by its committee as it is: the safeguards of the
// governance settings (docs/node.md, "Governance rules and their checks"). Pure functions
// of the rules and the member list; node/service/region_rules_service.h applies them when
// the admin changes the rules, node/service/committee_service.h when a member is
// deactivated, changes college or role.

#include <optional>
#include <string>
#include <vector>

#include "node/domain/committee_member.h"
#include "node/domain/failure.h"
#include "node/domain/region_rules.h"

namespace ess::node {

// kInvalid with a French message naming the field at fault, or nullopt when `members` can
// meet `rules`:
// - `colleges`: no active member belongs to a college that `rules` no longer lists (the
//   message names those members);
// - `decision_rule.quorum`: at most as many votes needed as there are active members (a
//   member with either role votes);
// - `decision_rule.min_colleges`: at most as many colleges required as colleges of `rules`
//   that have an active member.
std::optional<Failure> CheckRulesMet(const RegionRules& rules,
                                     const std::vector<CommitteeMember>& members);

// kInvalid `last_chair` on `role` (or `active`) when `before` had an active chair and `after`
// has none: the last chair cannot be demoted nor deactivated before another is named.
std::optional<Failure> CheckChairKept(const std::vector<CommitteeMember>& before,
                                      const std::vector<CommitteeMember>& after,
                                      const std::string& field);

}  // namespace ess::node
