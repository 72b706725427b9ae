#pragma once
// The region's rules that its admin may change while the node runs: the committee's decision
// rule, the stakeholder colleges, the validity period of a record, the participation
// thresholds and whether contact edits are published without a vote. The configuration file gives
// their initial values; from the first start on they live in PostgreSQL
// (node/sql/050_region_rules.sql) and the admin edits them (PUT /api/admin/settings), each change
// recorded with who, when, before and after.
//
// A change applies to what happens after it: decisions taken later use the new rule (each
// decision records the rule it used), confirmations made later get the new validity and
// grace periods, reminders use the new reminder period. Dates already set on records stay
// (they are journalled in their payloads).

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/domain/decision_rule.h"
#include "node/domain/failure.h"
#include "node/domain/freshness.h"

namespace ess::node {

struct RegionRules {
  DecisionRule decision_rule;
  // Stakeholder colleges members may belong to (ISO 26000's six by default).
  std::vector<std::string> colleges = {"consommateurs", "entreprises", "pouvoirs_publics",
                                       "salaries", "ong", "recherche_conseil"};
  FreshnessPolicy freshness;
  int report_threshold = 3;       // open reports that put an admitted initiative under review
  int endorsement_threshold = 5;  // endorsements shown as "endorsed" in the queue
  // An edit of an admitted initiative that changes only contact fields (IsContactField,
  // node/domain/edit_proposal.h) is published at once, journalled, without a committee
  // vote. Off by default: the committee keeps reviewing every change until the admin
  // decides otherwise (docs/node.md, "Contact edits").
  bool contact_edits_without_vote = false;
};

// Limits of the admin's values (the database checks the same).
inline constexpr int kQuorumMax = 100;
inline constexpr std::size_t kCollegesMax = 20;
inline constexpr std::size_t kCollegeNameMax = 60;
inline constexpr int kPeriodDaysMax = 3650;
inline constexpr int kThresholdMax = 100'000;

// kInvalid with a French message and the field at fault ("decision_rule.quorum",
// "colleges[2]", "freshness.validity_days"...), or nullopt when every rule holds:
// quorum 1..100; 0.5 <= majority < 1 (an option must get *more than* this share of the
// expressed votes, so 1 could never be reached); 1 <= min_colleges <= quorum and <= the
// number of colleges; 1..20 distinct colleges of 1..60 characters without comma or control
// character; validity 1..3650 days; grace 0..3650 days; reminder 0..validity days;
// thresholds 1..100000.
std::optional<Failure> CheckRegionRules(const RegionRules& rules);

// The rules' one JSON form: the admin's page reads and sends it (node/api/region_rules_json.h)
// and each recorded change keeps the rules before and after in it (region_rules_change's
// jsonb columns, read back for the history), so it lives here, beside the rules.
// {"decision_rule": {quorum, majority, min_colleges}, "colleges": [...], "freshness":
//  {validity_days, grace_days, reminder_days}, "report_threshold", "endorsement_threshold",
//  "contact_edits_without_vote"}.
nlohmann::json RegionRulesJson(const RegionRules& rules);

// Reads the form RegionRulesJson writes, every key required but "contact_edits_without_vote"
// (a boolean, false when absent: the rules stored before it existed had it off);
// `ignored_keys` may also appear (and are left to the caller). Type errors and unknown keys are
// kInvalid failures naming the field; the values are then checked with CheckRegionRules.
Result<RegionRules> RegionRulesFromJson(const nlohmann::json& input,
                                        const std::vector<std::string>& ignored_keys = {});

// One rule's value: an integer (quorum, periods, thresholds), the majority, the colleges, or
// a switch (contact_edits_without_vote).
using RegionRuleValue = std::variant<int, double, std::vector<std::string>, bool>;

struct RegionRulesFieldChange {
  std::string field;  // "decision_rule.quorum", "colleges", "freshness.grace_days"...
  std::optional<RegionRuleValue> before;  // nullopt: the rules' first values (the seed)
  RegionRuleValue after;
};

// What changed, field by field, in the order of RegionRules' fields. With `before` nullopt
// (the seed from the configuration), every field, each with no value before.
std::vector<RegionRulesFieldChange> RegionRulesChanges(const std::optional<RegionRules>& before,
                                                       const RegionRules& after);

}  // namespace ess::node
