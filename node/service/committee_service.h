#pragma once
// The regional ethics committee: members and their colleges and roles (journalled as
// committee_membership records, without names or emails), the review queue, votes with
// written reasons, conflicts of interest, decisions taken by the configured rule (journalled
// as a committee_decision record followed by the initiative's new revision), reviews opened
// by the chair, and each initiative's full history.

#include <string>

#include "node/domain/decision_rule.h"
#include "node/domain/failure.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"
#include "node/store/committee_store.h"
#include "node/store/initiative_store.h"
#include "node/store/staff_reads.h"

namespace ess::node {

struct VoteOutcome {
  RuleOutcome rule;                      // whether the rule reached a decision, and why
  std::optional<std::string> decision;   // the decision taken, if any ("admit"...)
  std::optional<std::string> decision_id;
  std::string subject;                   // what was decided on: "initiative" or "edit_proposal"
  std::string status;                    // the initiative's status afterwards
};

// A journalled revision with the name of its commune (from the referential in force).
struct AdmittedRevision {
  JournalledRevision revision;
  std::string commune_name;
  // Its rank among the initiative's admitted revisions: 1 for the first admission (the
  // journal's record_version counts the pending revisions too).
  int admitted_number = 0;
};

// A vote as sent: the choice's name (admit, reject, request_changes, abstain) and its
// written reason; nullopt when absent (or not a text).
struct VoteInput {
  std::optional<std::string> vote;
  std::optional<std::string> reason;
};

// The committee as the staff pages show it, with the rules in force.
struct CommitteeRoster {
  std::vector<CommitteeMember> members;
  DecisionRule rule;
  std::vector<std::string> colleges;
  int rules_revision = 0;
};

struct ReviewQueueEntry {
  QueueItem item;
  bool endorsed = false;        // endorsements reached the region's threshold
  bool readhesion_due = false;  // past the re-adhesion period of the current charter
  int voters = 0;               // active members less those who declared a conflict on it
  // Open for votes, and the viewing member neither voted nor declared a conflict.
  bool needs_my_vote = false;
};

struct ReviewQueue {
  std::vector<ReviewQueueEntry> items;
  DecisionRule rule;
  int active_members = 0;
};

struct InitiativeHistory {
  std::string id;
  InitiativeStatus status = InitiativeStatus::kPending;
  int review_round = 0;
  bool under_review = false;
  std::vector<CastVote> current_votes;                         // this round's
  std::vector<std::pair<std::string, std::string>> conflicts;  // member id, reason
  std::vector<StoredDecision> decisions;
  std::vector<InitiativeEvent> events;
};

// A committee member to create: the account's name and email, and the membership. The
// member chooses their password from the invitation (node/service/invitation_service.h).
struct NewMember {
  std::optional<std::string> name, email;  // required: nullopt is refused, named
  std::string college;
  std::string role = "member";  // member or chair
};

// What an admin changes in a membership; nullopt keeps the current value.
struct MemberChanges {
  std::optional<std::string> college, role;
  std::optional<bool> active;
};

class CommitteeService {
 public:
  CommitteeService(const NodeContext& context, AccountService& accounts)
      : context_(context), accounts_(accounts) {}

  // Admin: creates the committee account without a usable password and the member,
  // journals the membership and queues the member's invitation (InviteInTransaction).
  Result<CommitteeMember> AddMember(const NewMember& input);
  // Admin: applies the changes given, checks college and role, journals the membership.
  // Refused (kInvalid) when the committee would lose its last active chair (`last_chair`,
  // CheckChairKept) or, if it met the rules in force before, would no longer meet them
  // (CheckRulesMet's codes, on "active" or "college"; node/domain/committee_feasibility.h).
  Result<CommitteeMember> UpdateMember(const std::string& member_id, const MemberChanges& changes);
  Result<CommitteeRoster> Members();

  // Staff: initiatives under review and those whose re-adhesion is due, with what the
  // viewer (a member; an admin sees no vote of theirs) voted and whether they still have to.
  Result<ReviewQueue> Queue(const Principal& viewer);

  // Active member: the vote (admit, reject, request_changes, abstain) and its reason
  // (required, 3..2000 characters). kConflict `not_under_review`, `already_voted`;
  // kForbidden `conflict_of_interest`. After the vote the rule in force is applied; when it
  // decides, the decision is applied in the same transaction:
  // - on the initiative (DecisionFor): journalled as a committee_decision record followed by
  //   the initiative's new revision; an edit proposal waiting for this review then gets its
  //   own round if the initiative stays admitted, and is discarded otherwise;
  // - on an edit proposal (review reason "edit_proposed", DecisionForProposal): admitting
  //   applies it, journalled like any decision (committee_decision naming the revision that
  //   follows it, then that revision); rejecting discards it and sending it back returns it
  //   to its author, neither journalled (nothing public changes). Reports that reached the
  //   threshold meanwhile then open a review of their own.
  Result<VoteOutcome> Vote(const Principal& voter, const std::string& initiative_id,
                           const VoteInput& input);
  // Active member, with a reason (3..2000 characters); that member can no longer vote on
  // the initiative.
  Result<bool> DeclareConflict(const Principal& member, const std::string& initiative_id,
                               const std::optional<std::string>& reason);
  // Chair: puts an admitted or suspended initiative under review (e.g. to suspend or
  // reinstate it), with a reason (3..2000 characters).
  Result<bool> OpenReview(const Principal& chair, const std::string& initiative_id,
                          const std::optional<std::string>& reason);

  // Staff, for the committee workspace: the last admitted revision as journalled (to show
  // what changed since), nullopt if it was never admitted; and the reports, newest first
  // (at most 200). kNotFound for an id that is not a UUID.
  Result<std::optional<AdmittedRevision>> LastAdmittedRevision(const std::string& initiative_id);
  Result<std::vector<InitiativeReport>> Reports(const std::string& initiative_id);

  // Staff: events, decisions with their votes, the current round's votes and conflicts.
  Result<InitiativeHistory> History(const std::string& initiative_id);

 private:
  const NodeContext& context_;
  AccountService& accounts_;
};

}  // namespace ess::node
