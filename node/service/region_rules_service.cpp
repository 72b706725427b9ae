#include "node/service/region_rules_service.h"

#include <spdlog/spdlog.h>

#include "node/domain/committee_feasibility.h"
#include "node/store/committee_store.h"
#include "node/store/region_rules_store.h"

namespace ess::node {

namespace {

std::shared_ptr<const RegionRulesSnapshot> SnapshotOf(const StoredRegionRules& stored) {
  return std::make_shared<const RegionRulesSnapshot>(
      RegionRulesSnapshot{stored.rules, stored.revision});
}

RegionRulesView ViewOf(const StoredRegionRules& stored, const NodeSettings& settings) {
  return {stored.rules,      stored.revision, stored.updated_at,
          stored.updated_by, settings.region, settings.edit_link_days};
}

Failure NoSettings() {
  return Failure::Of(FailureKind::kUnavailable, "no_settings",
                     "Les règles de la région ne sont pas encore chargées.");
}

}  // namespace

void LoadRegionRules(PgPool& pool, const RegionRules& initial, RegionRulesHolder& holder, const Clock& clock) {
  auto stored = pool.WithTransaction([&](pqxx::work& txn) {
    RegionRulesStore store(txn);
    if (store.Seed(initial, NowSeconds(clock))) {
      spdlog::info("règles de la région enregistrées depuis la configuration (révision 1)");
    }
    return *store.Load(false);
  });
  holder.Replace(SnapshotOf(stored));
}

std::shared_ptr<const RegionRulesSnapshot> CurrentRules(pqxx::transaction_base& txn, RegionRulesHolder& holder) {
  auto held = holder.Get();
  RegionRulesStore store(txn);
  auto revision = store.Revision();
  if (!revision || *revision == held->revision) return held;
  auto stored = store.Load(false);
  if (!stored) return held;
  auto fresh = SnapshotOf(*stored);
  holder.Replace(fresh);
  return fresh;
}

Result<RegionRulesView> RegionRulesService::Get() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<RegionRulesView> {
    auto stored = RegionRulesStore(txn).Load(false);
    if (!stored) return NoSettings();
    context_.rules.Replace(SnapshotOf(*stored));
    return ViewOf(*stored, context_.settings);
  });
}

Result<RegionRulesView> RegionRulesService::Update(const Principal& admin,
                                                   const RegionRulesChange& change) {
  if (auto bad = CheckRegionRules(change.rules)) return *bad;
  const RegionRules& rules = change.rules;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<RegionRulesView> {
    RegionRulesStore store(txn);
    auto current = store.Load(/*lock=*/true);
    if (!current) return NoSettings();
    if (change.expected_revision && *change.expected_revision != current->revision) {
      Failure f = Failure::Of(FailureKind::kConflict, "settings_changed",
                              "Les règles ont été modifiées entre-temps (version " +
                                  std::to_string(current->revision) +
                                  ") : rechargez la page avant de les changer.");
      f.field = "revision";
      return f;
    }
    // The committee must be able to meet the rules: checked when the decision rule or the
    // colleges change (a fresh node's first rules stand until its committee is named).
    const DecisionRule& was = current->rules.decision_rule;
    if (rules.decision_rule.quorum != was.quorum ||
        rules.decision_rule.min_colleges != was.min_colleges ||
        rules.colleges != current->rules.colleges) {
      if (auto bad = CheckRulesMet(rules, CommitteeStore(txn).Members())) return *bad;
    }
    if (RegionRulesChanges(current->rules, rules).empty()) {
      return ViewOf(*current, context_.settings);
    }
    StoredRegionRules next{rules, current->revision + 1, NowSeconds(context_.clock), admin.Actor()};
    store.Update(current->rules, next.rules, next.revision, next.updated_at, next.updated_by);
    context_.rules.Replace(SnapshotOf(next));
    spdlog::info("règles de la région : révision {} par {}", next.revision, next.updated_by);
    return ViewOf(next, context_.settings);
  });
}

Result<std::vector<RegionRulesHistoryEntry>> RegionRulesService::History() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    std::vector<RegionRulesHistoryEntry> out;
    for (const auto& c : RegionRulesStore(txn).Changes(100)) {
      RegionRulesHistoryEntry entry{c.revision, c.changed_at, c.changed_by, {}};
      if (c.readable) entry.changes = RegionRulesChanges(c.before, c.after);
      out.push_back(std::move(entry));
    }
    return Result<std::vector<RegionRulesHistoryEntry>>(std::move(out));
  });
}

}  // namespace ess::node
