#include "node/domain/decision_rule.h"

#include <algorithm>
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

namespace {

// Why an option is counted, in the words of the decision's reasons.
std::string_view VotedFor(VoteChoice choice) {
  switch (choice) {
    case VoteChoice::kAdmit: return "pour l'admission";
    case VoteChoice::kReject: return "pour le refus";
    case VoteChoice::kRequestChanges: return "pour une demande de modifications";
    case VoteChoice::kAbstain: return "d'abstention";
  }
  return "";
}

// "1 vote", "3 votes"; `plural` is the word with its plural mark.
std::string Count(int n, std::string_view singular, std::string_view plural) {
  return std::to_string(n) + " " + std::string(n > 1 ? plural : singular);
}

}  // namespace

std::string FrenchPercent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", share * 100.0);
  std::string out = text;
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  std::replace(out.begin(), out.end(), '.', ',');
  return out + "\u00a0%";
}

RuleOutcome ApplyDecisionRule(const DecisionRule& rule, std::span<const CastVote> votes) {
  RuleOutcome out;
  out.cast = static_cast<int>(votes.size());
  std::set<std::string> colleges;
  std::map<VoteChoice, int> counts;
  for (const auto& v : votes) {
    colleges.insert(v.college);
    if (v.choice != VoteChoice::kAbstain) {
      ++counts[v.choice];
      ++out.expressed;
    }
  }
  out.colleges = static_cast<int>(colleges.size());
  if (out.cast < rule.quorum) {
    out.state = "quorum_missing";
    out.explanation = "Quorum non atteint : " + Count(out.cast, "vote", "votes") + " sur " +
                      std::to_string(rule.quorum) + " requis.";
    return out;
  }
  if (out.colleges < rule.min_colleges) {
    out.state = "colleges_missing";
    out.explanation = "Collèges insuffisants : " + Count(out.colleges, "collège", "collèges") +
                      " sur " + std::to_string(rule.min_colleges) + " requis.";
    return out;
  }
  const std::string majority = "majorité de plus de " + FrenchPercent(rule.majority);
  for (const auto& [choice, count] : counts) {
    if (static_cast<double>(count) > rule.majority * out.expressed) {
      out.winner = choice;
      out.winner_votes = count;
      out.state = "decided";
      out.explanation =
          std::to_string(count) + " voix " + std::string(VotedFor(choice)) + " sur " +
          Count(out.expressed, "exprimée", "exprimées") + " (" + Count(out.cast, "vote", "votes") +
          ", " + Count(out.colleges, "collège", "collèges") + ") : " + majority + " atteinte.";
      return out;
    }
  }
  out.state = "no_majority";
  out.explanation = "Pas de " + majority + " parmi " + std::to_string(out.expressed) +
                    " voix exprimée" + (out.expressed > 1 ? "s." : ".");
  return out;
}

nlohmann::json RuleOutcomeJson(const RuleOutcome& o) {
  return {{"state", o.state},
          {"cast", o.cast},
          {"expressed", o.expressed},
          {"colleges", o.colleges},
          {"winner",
           o.winner ? nlohmann::json(std::string(VoteChoiceName(*o.winner))) : nlohmann::json()},
          {"winner_votes", o.winner_votes}};
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
