#include "node/domain/committee_feasibility.h"

#include <algorithm>
#include <set>

namespace ess::node {

namespace {

bool HasActiveChair(const std::vector<CommitteeMember>& members) {
  return std::any_of(members.begin(), members.end(),
                     [](const CommitteeMember& m) { return m.active && m.role == "chair"; });
}

}  // namespace

std::optional<Failure> CheckRulesMet(const RegionRules& rules,
                                     const std::vector<CommitteeMember>& members) {
  const auto& colleges = rules.colleges;
  std::vector<std::string> stranded;
  int active = 0;
  std::set<std::string> represented;
  for (const auto& m : members) {
    if (!m.active) continue;
    ++active;
    if (std::find(colleges.begin(), colleges.end(), m.college) == colleges.end()) {
      stranded.push_back(m.name + " (" + m.college + ")");
    } else {
      represented.insert(m.college);
    }
  }
  if (!stranded.empty()) {
    std::string list;
    for (const auto& s : stranded) list += (list.empty() ? "" : ", ") + s;
    return Failure::Invalid("college_in_use",
                            "Un collège retiré compte encore des membres actifs : " + list +
                                ". Changez d'abord leur collège (page Comité et collèges).",
                            "colleges");
  }
  const DecisionRule& rule = rules.decision_rule;
  if (rule.quorum > active) {
    return Failure::Invalid(
        "quorum_unreachable",
        "Le quorum (" + std::to_string(rule.quorum) +
            " votes) dépasse le nombre de membres actifs du comité (" + std::to_string(active) +
            ") : aucune décision ne pourrait être prise. Ajoutez des membres ou baissez le quorum.",
        "decision_rule.quorum");
  }
  if (rule.min_colleges > static_cast<int>(represented.size())) {
    return Failure::Invalid("colleges_unreachable",
                            "Le nombre minimal de collèges (" + std::to_string(rule.min_colleges) +
                                ") dépasse le nombre de collèges qui ont un membre actif (" +
                                std::to_string(represented.size()) +
                                ") : aucune décision ne pourrait être prise.",
                            "decision_rule.min_colleges");
  }
  return std::nullopt;
}

std::optional<Failure> CheckChairKept(const std::vector<CommitteeMember>& before,
                                      const std::vector<CommitteeMember>& after,
                                      const std::string& field) {
  if (!HasActiveChair(before) || HasActiveChair(after)) return std::nullopt;
  return Failure::Invalid("last_chair",
                          "C'est la seule présidence active du comité : nommez d'abord une autre "
                          "présidence avant de retirer celle-ci.",
                          field);
}

}  // namespace ess::node
