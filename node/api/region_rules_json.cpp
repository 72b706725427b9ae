#include "node/api/region_rules_json.h"

#include <optional>
#include <string>
#include <variant>

namespace ess::node {

using nlohmann::json;

namespace {

json RuleValueJson(const RegionRuleValue& value) {
  return std::visit([](const auto& v) { return json(v); }, value);
}

}  // namespace

Result<RegionRulesChange> RegionRulesChangeFromJson(const json& body) {
  auto rules = RegionRulesFromJson(
      body, {"revision", "region", "edit_link_days", "updated_at", "updated_by"});
  if (!rules.ok()) return rules.failure();
  std::optional<int> expected_revision;
  if (auto it = body.find("revision"); it != body.end() && !it->is_null()) {
    if (!it->is_number_integer()) {
      return Failure::Invalid("invalid_type", "« revision » est le numéro de la version affichée.",
                              "revision");
    }
    expected_revision = it->get<int>();
  }
  return RegionRulesChange{std::move(rules.value()), expected_revision};
}

json RegionRulesViewJson(const RegionRulesView& view) {
  json j = RegionRulesJson(view.rules);
  j["region"] = view.region;
  j["revision"] = view.revision;
  j["updated_at"] = FormatRfc3339(view.updated_at);
  j["updated_by"] = view.updated_by;
  j["edit_link_days"] = view.edit_link_days;
  return j;
}

json RegionRulesHistoryJson(const std::vector<RegionRulesHistoryEntry>& history) {
  json out = json::array();
  for (const RegionRulesHistoryEntry& entry : history) {
    json changes = json::array();
    for (const RegionRulesFieldChange& c : entry.changes) {
      changes.push_back({{"field", c.field},
                         {"before", c.before ? RuleValueJson(*c.before) : json(nullptr)},
                         {"after", RuleValueJson(c.after)}});
    }
    out.push_back({{"revision", entry.revision},
                   {"changed_at", FormatRfc3339(entry.changed_at)},
                   {"changed_by", entry.changed_by},
                   {"changes", std::move(changes)}});
  }
  return json{{"changes", std::move(out)}};
}

}  // namespace ess::node
