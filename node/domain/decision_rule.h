#pragma once
// The ethics committee's decision rule, configured per region and applied by code after
// every vote:
//   - quorum: at least `quorum` votes cast in the review round (abstentions count);
//   - colleges: the votes come from at least `min_colleges` distinct stakeholder colleges;
//   - majority: an option (admit, reject, request changes) wins when its votes are more than
//     `majority` times the expressed votes (all but abstentions), e.g. 0.5 = absolute
//     majority, 0.66 = two thirds.
// Until all three hold there is no decision and the review stays open.
//
// What a winning option means depends on the initiative's status (DecisionFor): admitting a
// pending initiative admits it, rejecting an admitted one suspends it (charter breach),
// admitting a suspended one reinstates it.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/domain/failure.h"
#include "node/domain/initiative.h"

namespace ess::node {

enum class VoteChoice { kAdmit, kReject, kRequestChanges, kAbstain };
std::string_view VoteChoiceName(VoteChoice choice);  // "admit", "reject", "request_changes", "abstain"
std::optional<VoteChoice> VoteChoiceFromName(std::string_view name);

struct CastVote {
  std::string member;   // committee member id (record id of its memberships)
  std::string college;  // the member's college when voting
  VoteChoice choice = VoteChoice::kAbstain;
  std::string reason;
};

struct DecisionRule {
  int quorum = 3;
  double majority = 0.5;
  int min_colleges = 2;
};
// kInvalid unless quorum >= 1, 0.5 <= majority < 1, 1 <= min_colleges <= quorum.
std::optional<Failure> CheckDecisionRule(const DecisionRule& rule);

// Where the rule stands after the votes, as counts the pages word in their language, and as
// a French sentence for the decision's journalled reasons (e.g. "2 voix pour l'admission sur
// 3 exprimées (3 votes, 2 collèges) : majorité de plus de 50 % atteinte.").
struct RuleOutcome {
  std::optional<VoteChoice> winner;  // never kAbstain
  std::string explanation;           // French
  // "quorum_missing", "colleges_missing", "no_majority" or "decided".
  std::string state;
  int cast = 0;          // votes of the round, abstentions included
  int expressed = 0;     // votes but abstentions
  int colleges = 0;      // distinct colleges of the votes
  int winner_votes = 0;  // the winning option's votes (0 without a winner)
};
RuleOutcome ApplyDecisionRule(const DecisionRule& rule, std::span<const CastVote> votes);

// The forms a committee_decision record journals and staff pages show:
// {"quorum", "majority", "min_colleges"} and [{"member", "college", "vote", "reason"}].
nlohmann::json DecisionRuleJson(const DecisionRule& rule);
// {"state", "cast", "expressed", "colleges", "winner" (a vote name or null), "winner_votes"}.
nlohmann::json RuleOutcomeJson(const RuleOutcome& outcome);
// A share in French words: 0.5 -> "50 %", 0.666 -> "66,6 %" (U+00A0 before the sign).
std::string FrenchPercent(double share);
nlohmann::json CastVotesJson(std::span<const CastVote> votes);

enum class Decision { kAdmit, kReject, kRequestChanges, kSuspend, kReinstate };
std::string_view DecisionName(Decision decision);  // protocol names

struct DecisionEffect {
  Decision decision;
  InitiativeStatus new_status;
};
// The decision a winning option makes for an initiative in `status`; nullopt when the status
// admits no committee decision (rejected, withdrawn).
std::optional<DecisionEffect> DecisionFor(InitiativeStatus status, VoteChoice winner);
// The decision a winning option makes on an edit proposal of an admitted initiative
// (edit_proposal.h): admit applies it, reject discards it, request_changes sends it back to
// its author. The initiative stays admitted whatever the outcome (new_status = kAdmitted).
// nullopt for kAbstain.
std::optional<DecisionEffect> DecisionForProposal(VoteChoice winner);

}  // namespace ess::node
