#include "node/domain/decision_rule.h"

#include <cstdio>
#include <map>
#include <set>

namespace ess::node {

std::string_view VoteChoiceName(VoteChoice choice) {
  switch (choice) {
    case VoteChoice::kAdmit: return "admit";
    case VoteChoice::kReject: return "reject";
    case VoteChoice::kRequestChanges: return "request_changes";
    case VoteChoice::kAbstain: return "abstain";
  }
  return "abstain";
}

std::optional<VoteChoice> VoteChoiceFromName(std::string_view name) {
  for (auto c : {VoteChoice::kAdmit, VoteChoice::kReject, VoteChoice::kRequestChanges, VoteChoice::kAbstain}) {
    if (VoteChoiceName(c) == name) return c;
  }
  return std::nullopt;
}

std::optional<Failure> CheckDecisionRule(const DecisionRule& rule) {
  if (rule.quorum < 1) return Failure::Invalid("invalid_rule", "Le quorum doit valoir au moins 1.", "quorum");
  if (!(rule.majority >= 0.5 && rule.majority < 1.0)) {
    return Failure::Invalid("invalid_rule", "La majorité doit être comprise entre 0,5 et 1 (exclu).", "majority");
  }
  if (rule.min_colleges < 1 || rule.min_colleges > rule.quorum) {
    return Failure::Invalid("invalid_rule", "Le nombre minimal de collèges doit être entre 1 et le quorum.", "min_colleges");
  }
  return std::nullopt;
}

RuleOutcome ApplyDecisionRule(const DecisionRule& rule, std::span<const CastVote> votes) {
  RuleOutcome out;
  const int cast = static_cast<int>(votes.size());
  if (cast < rule.quorum) {
    out.explanation = "Quorum non atteint : " + std::to_string(cast) + " vote(s) sur " +
                      std::to_string(rule.quorum) + " requis.";
    return out;
  }
  std::set<std::string> colleges;
  std::map<VoteChoice, int> counts;
  int expressed = 0;
  for (const auto& v : votes) {
    colleges.insert(v.college);
    if (v.choice != VoteChoice::kAbstain) {
      ++counts[v.choice];
      ++expressed;
    }
  }
  if (static_cast<int>(colleges.size()) < rule.min_colleges) {
    out.explanation = "Collèges insuffisants : " + std::to_string(colleges.size()) + " collège(s) sur " +
                      std::to_string(rule.min_colleges) + " requis.";
    return out;
  }
  char majority[16];
  std::snprintf(majority, sizeof majority, "%.2f", rule.majority);
  for (const auto& [choice, count] : counts) {
    if (static_cast<double>(count) > rule.majority * expressed) {
      out.winner = choice;
      out.explanation = std::to_string(count) + " voix « " + std::string(VoteChoiceName(choice)) +
                        " » sur " + std::to_string(expressed) + " exprimée(s) (" + std::to_string(cast) +
                        " vote(s), " + std::to_string(colleges.size()) + " collège(s)) : majorité " +
                        majority + " atteinte.";
      return out;
    }
  }
  out.explanation = "Pas de majorité " + std::string(majority) + " parmi " + std::to_string(expressed) +
                    " voix exprimée(s).";
  return out;
}

std::string_view DecisionName(Decision decision) {
  switch (decision) {
    case Decision::kAdmit: return "admit";
    case Decision::kReject: return "reject";
    case Decision::kRequestChanges: return "request_changes";
    case Decision::kSuspend: return "suspend";
    case Decision::kReinstate: return "reinstate";
  }
  return "admit";
}

std::optional<DecisionEffect> DecisionFor(InitiativeStatus status, VoteChoice winner) {
  using S = InitiativeStatus;
  if (winner == VoteChoice::kAbstain) return std::nullopt;
  switch (status) {
    case S::kPending:
    case S::kChangesRequested:
      if (winner == VoteChoice::kAdmit) return DecisionEffect{Decision::kAdmit, S::kAdmitted};
      if (winner == VoteChoice::kReject) return DecisionEffect{Decision::kReject, S::kRejected};
      return DecisionEffect{Decision::kRequestChanges, S::kChangesRequested};
    case S::kAdmitted:
      if (winner == VoteChoice::kAdmit) return DecisionEffect{Decision::kAdmit, S::kAdmitted};
      if (winner == VoteChoice::kReject) return DecisionEffect{Decision::kSuspend, S::kSuspended};
      return DecisionEffect{Decision::kRequestChanges, S::kChangesRequested};
    case S::kSuspended:
      if (winner == VoteChoice::kAdmit) return DecisionEffect{Decision::kReinstate, S::kAdmitted};
      if (winner == VoteChoice::kReject) return DecisionEffect{Decision::kReject, S::kRejected};
      return DecisionEffect{Decision::kRequestChanges, S::kChangesRequested};
    case S::kRejected:
    case S::kWithdrawn:
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<DecisionEffect> DecisionForProposal(VoteChoice winner) {
  switch (winner) {
    case VoteChoice::kAdmit: return DecisionEffect{Decision::kAdmit, InitiativeStatus::kAdmitted};
    case VoteChoice::kReject: return DecisionEffect{Decision::kReject, InitiativeStatus::kAdmitted};
    case VoteChoice::kRequestChanges: return DecisionEffect{Decision::kRequestChanges, InitiativeStatus::kAdmitted};
    case VoteChoice::kAbstain: return std::nullopt;
  }
  return std::nullopt;
}

nlohmann::json DecisionRuleJson(const DecisionRule& rule) {
  return {
      {"quorum", rule.quorum}, {"majority", rule.majority}, {"min_colleges", rule.min_colleges}};
}

nlohmann::json CastVotesJson(std::span<const CastVote> votes) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& v : votes) {
    out.push_back({{"member", v.member},
                   {"college", v.college},
                   {"vote", std::string(VoteChoiceName(v.choice))},
                   {"reason", v.reason}});
  }
  return out;
}

}  // namespace ess::node
