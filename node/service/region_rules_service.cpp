#include "node/service/region_rules_service.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "node/store/committee_store.h"

namespace ess::node {

namespace {

using nlohmann::json;

std::shared_ptr<const RegionRulesSnapshot> SnapshotOf(const StoredRegionRules& stored) {
  return std::make_shared<const RegionRulesSnapshot>(RegionRulesSnapshot{stored.rules, stored.revision});
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

json RegionRulesService::ToJson(const StoredRegionRules& stored) const {
  json j = RegionRulesJson(stored.rules);
  j["region"] = context_.settings.region;
  j["revision"] = stored.revision;
  j["updated_at"] = FormatRfc3339(stored.updated_at);
  j["updated_by"] = stored.updated_by;
  j["edit_link_days"] = context_.settings.edit_link_days;
  return j;
}

Result<json> RegionRulesService::Get() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<json> {
    auto stored = RegionRulesStore(txn).Load(false);
    if (!stored) {
      return Failure::Of(FailureKind::kUnavailable, "no_settings", "Les règles de la région ne sont pas encore chargées.");
    }
    context_.rules.Replace(SnapshotOf(*stored));
    return ToJson(*stored);
  });
}

Result<json> RegionRulesService::Update(const Principal& admin, const json& input) {
  auto rules = RegionRulesFromJson(input, {"revision", "region", "edit_link_days", "updated_at", "updated_by"});
  if (!rules.ok()) return rules.failure();
  std::optional<int> expected_revision;
  if (auto it = input.find("revision"); it != input.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Failure::Invalid("invalid_type", "« revision » est le numéro de la version affichée.", "revision");
    }
    expected_revision = it->get<int>();
  }
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<json> {
    RegionRulesStore store(txn);
    auto current = store.Load(/*lock=*/true);
    if (!current) {
      return Failure::Of(FailureKind::kUnavailable, "no_settings", "Les règles de la région ne sont pas encore chargées.");
    }
    if (expected_revision && *expected_revision != current->revision) {
      Failure f = Failure::Of(FailureKind::kConflict, "settings_changed",
                              "Les règles ont été modifiées entre-temps (version " + std::to_string(current->revision) +
                                  ") : rechargez la page avant de les changer.");
      f.field = "revision";
      return f;
    }
    CommitteeStore committee(txn);
    for (std::size_t i = 0; i < current->rules.colleges.size(); ++i) {
      const std::string& college = current->rules.colleges[i];
      const auto& next = rules.value().colleges;
      if (std::find(next.begin(), next.end(), college) != next.end()) continue;
      if (int members = committee.ActiveMembersIn(college); members > 0) {
        return Failure::Invalid("college_in_use",
                                "Le collège « " + college + " » compte encore " + std::to_string(members) +
                                    " membre(s) actif(s) : changez d'abord leur collège (page Comité et collèges).",
                                "colleges");
      }
    }
    if (RegionRulesChanges(current->rules, rules.value()).empty()) return ToJson(*current);
    StoredRegionRules next{rules.value(), current->revision + 1, NowSeconds(context_.clock), admin.Actor()};
    store.Update(current->rules, next.rules, next.revision, next.updated_at, next.updated_by);
    context_.rules.Replace(SnapshotOf(next));
    spdlog::info("règles de la région : révision {} par {}", next.revision, next.updated_by);
    return ToJson(next);
  });
}

Result<json> RegionRulesService::History() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<json> {
    json out = json::array();
    for (const auto& c : RegionRulesStore(txn).Changes(100)) {
      json changes;
      if (c.before) {
        auto before = RegionRulesFromJson(*c.before);
        auto after = RegionRulesFromJson(c.after);
        changes = before.ok() && after.ok() ? RegionRulesChanges(before.value(), after.value()) : json::array();
      } else {
        changes = json::array();
        auto after = RegionRulesFromJson(c.after);
        if (after.ok()) {
          for (auto& item : RegionRulesChanges(RegionRules{{0, 0, 0}, {}, {0, 0, 0}, 0, 0}, after.value())) {
            item["before"] = nullptr;
            changes.push_back(std::move(item));
          }
        }
      }
      out.push_back({{"revision", c.revision},
                     {"changed_at", FormatRfc3339(c.changed_at)},
                     {"changed_by", c.changed_by},
                     {"changes", changes}});
    }
    return json{{"changes", out}};
  });
}

}  // namespace ess::node
