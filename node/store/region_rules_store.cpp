#include "node/store/region_rules_store.h"

#include <nlohmann/json.hpp>

#include "node/store/pg_values.h"

namespace ess::node {

namespace {

constexpr const char* kColumns =
    "revision, quorum, majority, min_colleges, array_to_json(colleges)::text, validity_days, "
    "grace_days, "
    "reminder_days, report_threshold, endorsement_threshold, extract(epoch from "
    "updated_at)::bigint, updated_by, "
    "contact_edits_without_vote";

StoredRegionRules FromRow(const pqxx::row& r) {
  StoredRegionRules out;
  out.revision = r[0].as<int>();
  out.rules.decision_rule = {r[1].as<int>(), r[2].as<double>(), r[3].as<int>()};
  out.rules.colleges = nlohmann::json::parse(r[4].as<std::string>()).get<std::vector<std::string>>();
  out.rules.freshness = {r[5].as<int>(), r[6].as<int>(), r[7].as<int>()};
  out.rules.report_threshold = r[8].as<int>();
  out.rules.endorsement_threshold = r[9].as<int>();
  out.updated_at = r[10].as<UnixSeconds>();
  out.updated_by = r[11].as<std::string>();
  out.rules.contact_edits_without_vote = r[12].as<bool>();
  return out;
}

}  // namespace

void PrepareRegionRulesStatements(pqxx::connection& c) {
  PrepareStatement(c, "region_rules_select", std::string("SELECT ") + kColumns + " FROM region_rules");
  PrepareStatement(c, "region_rules_select_lock",
                   std::string("SELECT ") + kColumns + " FROM region_rules FOR UPDATE");
  PrepareStatement(c, "region_rules_revision", "SELECT revision FROM region_rules");
  PrepareStatement(
      c, "region_rules_seed",
      "INSERT INTO region_rules (singleton, revision, quorum, majority, min_colleges, colleges, "
      "validity_days, grace_days, reminder_days, report_threshold, endorsement_threshold, "
      "updated_at, updated_by, contact_edits_without_vote) VALUES (true, 1, $1, $2, $3, "
      "$4::text[], $5, $6, $7, $8, $9, to_timestamp($10), 'configuration', $11) "
      "ON CONFLICT (singleton) DO NOTHING");
  PrepareStatement(
      c, "region_rules_update",
      "UPDATE region_rules SET revision = $1, quorum = $2, majority = $3, min_colleges = $4, "
      "colleges = $5::text[], validity_days = $6, grace_days = $7, reminder_days = $8, "
      "report_threshold = $9, endorsement_threshold = $10, updated_at = to_timestamp($11), "
      "updated_by = $12, contact_edits_without_vote = $13");
  PrepareStatement(c, "region_rules_change_insert",
                   "INSERT INTO region_rules_change (revision, changed_at, changed_by, before, after) "
                   "VALUES ($1, to_timestamp($2), $3, $4::jsonb, $5::jsonb)");
  PrepareStatement(c, "region_rules_changes",
                   "SELECT revision, extract(epoch from changed_at)::bigint, changed_by, before::text, "
                   "after::text FROM region_rules_change ORDER BY revision DESC LIMIT $1");
}

std::optional<StoredRegionRules> RegionRulesStore::Load(bool lock) {
  auto r = txn_.exec_prepared(lock ? "region_rules_select_lock" : "region_rules_select");
  if (r.empty()) return std::nullopt;
  return FromRow(r[0]);
}

std::optional<int> RegionRulesStore::Revision() {
  auto r = txn_.exec_prepared("region_rules_revision");
  if (r.empty()) return std::nullopt;
  return r[0][0].as<int>();
}

bool RegionRulesStore::Seed(const RegionRules& rules, UnixSeconds at) {
  const auto& d = rules.decision_rule;
  const auto& f = rules.freshness;
  bool seeded =
      txn_.exec_prepared("region_rules_seed", d.quorum, d.majority, d.min_colleges,
                         TextArrayLiteral(rules.colleges), f.validity_days, f.grace_days,
                         f.reminder_days, rules.report_threshold, rules.endorsement_threshold, at,
                         rules.contact_edits_without_vote)
          .affected_rows() == 1;
  if (seeded) {
    const char* no_before = nullptr;
    txn_.exec_prepared("region_rules_change_insert", 1, at, "configuration", no_before,
                       RegionRulesJson(rules).dump());
  }
  return seeded;
}

void RegionRulesStore::Update(const RegionRules& before, const RegionRules& rules, int revision, UnixSeconds at,
                              const std::string& by) {
  const auto& d = rules.decision_rule;
  const auto& f = rules.freshness;
  txn_.exec_prepared("region_rules_update", revision, d.quorum, d.majority, d.min_colleges,
                     TextArrayLiteral(rules.colleges), f.validity_days, f.grace_days,
                     f.reminder_days, rules.report_threshold, rules.endorsement_threshold, at, by,
                     rules.contact_edits_without_vote);
  txn_.exec_prepared("region_rules_change_insert", revision, at, by, RegionRulesJson(before).dump(),
                     RegionRulesJson(rules).dump());
}

std::vector<StoredRegionRulesChange> RegionRulesStore::Changes(std::size_t limit) {
  std::vector<StoredRegionRulesChange> out;
  for (const auto& r : txn_.exec_prepared("region_rules_changes", limit)) {
    StoredRegionRulesChange c;
    c.revision = r[0].as<int>();
    c.changed_at = r[1].as<UnixSeconds>();
    c.changed_by = r[2].as<std::string>();
    auto after = RegionRulesFromJson(nlohmann::json::parse(r[4].as<std::string>()));
    std::optional<Result<RegionRules>> before;
    if (!r[3].is_null())
      before = RegionRulesFromJson(nlohmann::json::parse(r[3].as<std::string>()));
    c.readable = after.ok() && (!before || before->ok());
    if (c.readable) {
      c.after = after.value();
      if (before) c.before = before->value();
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace ess::node
