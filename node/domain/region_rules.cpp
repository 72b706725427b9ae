#include "node/domain/region_rules.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/field_rules.h"

namespace ess::node {

namespace {

using nlohmann::json;

std::string Number(int n) { return std::to_string(n); }

std::optional<Failure> CheckRange(int value, int min, int max, const std::string& field, const std::string& what) {
  if (value < min || value > max) {
    return Failure::Invalid("invalid_setting", what + " : un entier de " + Number(min) + " à " + Number(max) + ".", field);
  }
  return std::nullopt;
}

std::optional<Failure> CheckCollegeName(const std::string& name, const std::string& field) {
  auto length = Utf8Length(name);
  const bool padded = !name.empty() && (std::isspace(static_cast<unsigned char>(name.front())) ||
                                        std::isspace(static_cast<unsigned char>(name.back())));
  if (!length || *length < 1 || *length > kCollegeNameMax || padded) {
    return Failure::Invalid("invalid_setting",
                            "Un collège se nomme en 1 à " + std::to_string(kCollegeNameMax) +
                                " caractères, sans espace au début ni à la fin.",
                            field);
  }
  if (name.find(',') != std::string::npos) {
    return Failure::Invalid("invalid_setting",
                            "Le nom d'un collège ne contient ni virgule ni caractère de contrôle.",
                            field);
  }
  // The one text rule (core/field_rules.h): no control, bidi or invisible character.
  if (TextCheck check = CheckText(name, TextKind::kSingleLine); !check.ok()) {
    return Failure::Invalid("invalid_setting", TextFaultMessage(check, "collège"), field);
  }
  return std::nullopt;
}

// How the admin's page names a field, for messages.
std::string LabelOf(const std::string& field) {
  static const std::pair<const char*, const char*> kLabels[] = {
      {"decision_rule", "règle de décision"},
      {"freshness", "fraîcheur des fiches"},
      {"decision_rule.quorum", "quorum"},
      {"decision_rule.majority", "majorité"},
      {"decision_rule.min_colleges", "nombre minimal de collèges"},
      {"colleges", "collèges"},
      {"freshness.validity_days", "durée de validité"},
      {"freshness.grace_days", "délai de grâce"},
      {"freshness.reminder_days", "rappel avant la fin de validité"},
      {"report_threshold", "seuil de signalements"},
      {"endorsement_threshold", "seuil de soutiens"},
      {"contact_edits_without_vote", "coordonnées publiées sans vote"}};
  for (const auto& [f, label] : kLabels) {
    if (field == f) return label;
  }
  return field;
}

// Reads an integer member of `object` into `out`; `field` names it for the client.
std::optional<Failure> ReadInt(const json& object, const char* key, const std::string& field, int& out) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) {
    return Failure::Invalid("required", "Indiquez le réglage « " + LabelOf(field) + " ».", field);
  }
  if (!it->is_number_integer() || it->get<long long>() < -1'000'000 || it->get<long long>() > 1'000'000) {
    return Failure::Invalid("invalid_type", "Le réglage « " + LabelOf(field) + " » est un nombre entier.", field);
  }
  out = it->get<int>();
  return std::nullopt;
}

std::optional<Failure> ReadObject(const json& input, const char* key, const std::vector<const char*>& keys,
                                  const json*& out) {
  auto it = input.find(key);
  if (it == input.end() || !it->is_object()) {
    return Failure::Invalid("required", "Le réglage « " + LabelOf(key) + " » manque (un objet JSON).", key);
  }
  for (const auto& [k, v] : it->items()) {
    if (std::find_if(keys.begin(), keys.end(), [&](const char* known) { return k == known; }) == keys.end()) {
      return Failure::Invalid("unknown_field", std::string("Réglage inconnu : « ") + key + "." + k + " ».",
                              std::string(key) + "." + k);
    }
  }
  out = &*it;
  return std::nullopt;
}

}  // namespace

std::optional<Failure> CheckRegionRules(const RegionRules& r) {
  const DecisionRule& d = r.decision_rule;
  if (auto bad = CheckRange(d.quorum, 1, kQuorumMax, "decision_rule.quorum", "Le quorum (votes nécessaires pour décider)")) {
    return bad;
  }
  if (!(d.majority >= 0.5 && d.majority < 1.0)) {
    return Failure::Invalid("invalid_setting",
                            "La majorité est la part des voix exprimées qu'une option doit dépasser : de 0,5 "
                            "(majorité absolue) à moins de 1 (0,99 pour l'unanimité ou presque).",
                            "decision_rule.majority");
  }
  if (r.colleges.empty() || r.colleges.size() > kCollegesMax) {
    return Failure::Invalid("invalid_setting",
                            "La région compte de 1 à " + std::to_string(kCollegesMax) + " collèges.", "colleges");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < r.colleges.size(); ++i) {
    const std::string field = "colleges[" + std::to_string(i) + "]";
    if (auto bad = CheckCollegeName(r.colleges[i], field)) return bad;
    if (!seen.insert(r.colleges[i]).second) {
      return Failure::Invalid("invalid_setting", "Le collège « " + r.colleges[i] + " » figure deux fois.", field);
    }
  }
  if (d.min_colleges < 1) {
    return Failure::Invalid("invalid_setting", "Le nombre minimal de collèges vaut au moins 1.", "decision_rule.min_colleges");
  }
  if (d.min_colleges > static_cast<int>(r.colleges.size())) {
    return Failure::Invalid("invalid_setting",
                            "Le nombre minimal de collèges (" + Number(d.min_colleges) +
                                ") ne peut dépasser le nombre de collèges de la région (" +
                                std::to_string(r.colleges.size()) + ").",
                            "decision_rule.min_colleges");
  }
  if (d.min_colleges > d.quorum) {
    return Failure::Invalid("invalid_setting",
                            "Le nombre minimal de collèges (" + Number(d.min_colleges) + ") ne peut dépasser le quorum (" +
                                Number(d.quorum) + ") : chaque collège compte au moins un vote.",
                            "decision_rule.min_colleges");
  }
  const FreshnessPolicy& f = r.freshness;
  if (auto bad = CheckRange(f.validity_days, 1, kPeriodDaysMax, "freshness.validity_days",
                            "La durée de validité d'une fiche, en jours,")) {
    return bad;
  }
  if (auto bad = CheckRange(f.grace_days, 0, kPeriodDaysMax, "freshness.grace_days", "Le délai de grâce, en jours,")) {
    return bad;
  }
  if (f.reminder_days < 0 || f.reminder_days > f.validity_days) {
    return Failure::Invalid("invalid_setting",
                            "Le rappel part de 0 à " + Number(f.validity_days) +
                                " jours (la durée de validité) avant la fin de validité.",
                            "freshness.reminder_days");
  }
  if (auto bad = CheckRange(r.report_threshold, 1, kThresholdMax, "report_threshold",
                            "Le seuil de signalements")) {
    return bad;
  }
  if (auto bad = CheckRange(r.endorsement_threshold, 1, kThresholdMax, "endorsement_threshold",
                            "Le seuil de soutiens")) {
    return bad;
  }
  return std::nullopt;
}

json RegionRulesJson(const RegionRules& r) {
  return {{"decision_rule",
           {{"quorum", r.decision_rule.quorum},
            {"majority", r.decision_rule.majority},
            {"min_colleges", r.decision_rule.min_colleges}}},
          {"colleges", r.colleges},
          {"freshness",
           {{"validity_days", r.freshness.validity_days},
            {"grace_days", r.freshness.grace_days},
            {"reminder_days", r.freshness.reminder_days}}},
          {"report_threshold", r.report_threshold},
          {"endorsement_threshold", r.endorsement_threshold},
          {"contact_edits_without_vote", r.contact_edits_without_vote}};
}

Result<RegionRules> RegionRulesFromJson(const json& input, const std::vector<std::string>& ignored_keys) {
  if (!input.is_object()) return Failure::Invalid("invalid_type", "Les règles de la région forment un objet JSON.");
  static const std::vector<std::string> kKeys = {"decision_rule",
                                                 "colleges",
                                                 "freshness",
                                                 "report_threshold",
                                                 "endorsement_threshold",
                                                 "contact_edits_without_vote"};
  for (const auto& [key, value] : input.items()) {
    if (std::find(kKeys.begin(), kKeys.end(), key) != kKeys.end()) continue;
    if (std::find(ignored_keys.begin(), ignored_keys.end(), key) != ignored_keys.end()) continue;
    return Failure::Invalid("unknown_field", "Réglage inconnu ou non modifiable ici : « " + key + " ».", key);
  }
  RegionRules r;
  const json* rule = nullptr;
  if (auto bad = ReadObject(input, "decision_rule", {"quorum", "majority", "min_colleges"}, rule)) return *bad;
  if (auto bad = ReadInt(*rule, "quorum", "decision_rule.quorum", r.decision_rule.quorum)) return *bad;
  auto majority = rule->find("majority");
  if (majority == rule->end() || majority->is_null()) {
    return Failure::Invalid("required", "Indiquez la majorité, par exemple 0.5 ou 0.66.", "decision_rule.majority");
  }
  if (!majority->is_number()) {
    return Failure::Invalid("invalid_type", "La majorité est un nombre, par exemple 0.5 ou 0.66.", "decision_rule.majority");
  }
  r.decision_rule.majority = majority->get<double>();
  if (auto bad = ReadInt(*rule, "min_colleges", "decision_rule.min_colleges", r.decision_rule.min_colleges)) return *bad;

  auto colleges = input.find("colleges");
  if (colleges == input.end() || !colleges->is_array()) {
    return Failure::Invalid("required", "Indiquez les collèges de la région (une liste de noms).", "colleges");
  }
  r.colleges.clear();
  for (std::size_t i = 0; i < colleges->size(); ++i) {
    const json& c = (*colleges)[i];
    if (!c.is_string()) {
      return Failure::Invalid("invalid_type", "Un collège se nomme par un texte.", "colleges[" + std::to_string(i) + "]");
    }
    r.colleges.push_back(c.get<std::string>());
  }

  const json* freshness = nullptr;
  if (auto bad = ReadObject(input, "freshness", {"validity_days", "grace_days", "reminder_days"}, freshness)) return *bad;
  if (auto bad = ReadInt(*freshness, "validity_days", "freshness.validity_days", r.freshness.validity_days)) return *bad;
  if (auto bad = ReadInt(*freshness, "grace_days", "freshness.grace_days", r.freshness.grace_days)) return *bad;
  if (auto bad = ReadInt(*freshness, "reminder_days", "freshness.reminder_days", r.freshness.reminder_days)) return *bad;
  if (auto bad = ReadInt(input, "report_threshold", "report_threshold", r.report_threshold)) return *bad;
  if (auto bad = ReadInt(input, "endorsement_threshold", "endorsement_threshold", r.endorsement_threshold)) return *bad;
  if (auto it = input.find("contact_edits_without_vote"); it != input.end() && !it->is_null()) {
    if (!it->is_boolean()) {
      return Failure::Invalid(
          "invalid_type",
          "Le réglage « " + LabelOf("contact_edits_without_vote") + " » vaut true ou false.",
          "contact_edits_without_vote");
    }
    r.contact_edits_without_vote = it->get<bool>();
  }
  if (auto bad = CheckRegionRules(r)) return *bad;
  return r;
}

std::vector<RegionRulesFieldChange> RegionRulesChanges(const std::optional<RegionRules>& before,
                                                       const RegionRules& after) {
  std::vector<RegionRulesFieldChange> out;
  auto compare = [&](const char* field, auto member) {
    const RegionRuleValue next = member(after);
    if (!before) {
      out.push_back({field, std::nullopt, next});
      return;
    }
    RegionRuleValue previous = member(*before);
    if (previous != next) out.push_back({field, std::move(previous), next});
  };
  using R = const RegionRules&;
  compare("decision_rule.quorum", [](R r) { return RegionRuleValue(r.decision_rule.quorum); });
  compare("decision_rule.majority", [](R r) { return RegionRuleValue(r.decision_rule.majority); });
  compare("decision_rule.min_colleges",
          [](R r) { return RegionRuleValue(r.decision_rule.min_colleges); });
  compare("colleges", [](R r) { return RegionRuleValue(r.colleges); });
  compare("freshness.validity_days",
          [](R r) { return RegionRuleValue(r.freshness.validity_days); });
  compare("freshness.grace_days", [](R r) { return RegionRuleValue(r.freshness.grace_days); });
  compare("freshness.reminder_days",
          [](R r) { return RegionRuleValue(r.freshness.reminder_days); });
  compare("report_threshold", [](R r) { return RegionRuleValue(r.report_threshold); });
  compare("endorsement_threshold", [](R r) { return RegionRuleValue(r.endorsement_threshold); });
  compare("contact_edits_without_vote",
          [](R r) { return RegionRuleValue(r.contact_edits_without_vote); });
  return out;
}

}  // namespace ess::node
