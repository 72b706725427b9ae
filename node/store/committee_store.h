#pragma once
// The committee and the charter in PostgreSQL (node/sql/020_committee_charter.sql and the
// vote/decision tables of 030_initiatives.sql), inside the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "node/domain/charter.h"
#include "node/domain/committee_member.h"
#include "node/domain/decision_rule.h"

namespace ess::node {

void PrepareCommitteeStatements(pqxx::connection& conn);

struct StoredDecision {
  std::string decision_id;
  std::string initiative_id;
  int initiative_version = 0;
  int review_round = 0;
  std::string decision;
  std::string reasons;
  std::string votes_json;
  std::string rule_json;
  UnixSeconds decided_at = 0;
  std::string subject = "initiative";  // or "edit_proposal"
  bool journalled = true;              // false: kept at the node only (decision_id is no record id)
};

struct QueueItem {
  std::string initiative_id;
  std::string name;
  std::string status;
  std::string commune_name;
  bool under_review = false;
  std::string review_reason;
  int review_round = 0;
  int charter_version = 0;
  int votes = 0;
  int open_reports = 0;
  int endorsements = 0;
  bool has_proposal = false;
  UnixSeconds submitted_at = 0;  // the registration (or import) of the initiative
  int conflicts = 0;             // active members who declared a conflict on it
  std::string my_vote;           // the viewing member's vote in this round; empty: none
  bool my_conflict = false;      // the viewing member declared a conflict on it
};

class CommitteeStore {
 public:
  explicit CommitteeStore(pqxx::transaction_base& txn) : txn_(txn) {}

  void InsertMember(const CommitteeMember& member);
  void UpdateMember(const CommitteeMember& member);
  std::optional<CommitteeMember> Member(const std::string& member_id);
  std::optional<CommitteeMember> MemberOfAccount(const std::string& account_id);
  std::vector<CommitteeMember> Members();
  // Active members of `college`.
  int ActiveMembersIn(const std::string& college);

  // False if the member already voted in that round.
  bool InsertVote(const std::string& initiative_id, int round, const CastVote& vote, UnixSeconds at);
  std::vector<CastVote> Votes(const std::string& initiative_id, int round);
  bool HasConflict(const std::string& initiative_id, const std::string& member_id);
  // False if already declared.
  bool InsertConflict(const std::string& initiative_id, const std::string& member_id,
                      const std::string& reason, UnixSeconds at);
  std::vector<std::pair<std::string, std::string>> Conflicts(const std::string& initiative_id);

  void InsertDecision(const StoredDecision& decision);
  std::vector<StoredDecision> Decisions(const std::string& initiative_id);

  // Under review, or on a charter older than `charter_version` while still in the workflow;
  // my_vote and my_conflict are those of `viewer_member_id` (empty: none, an admin).
  std::vector<QueueItem> Queue(int charter_version, std::size_t limit,
                               const std::string& viewer_member_id);
  // How many journalled revisions of the initiative were admitted, up to `log_index`
  // (the first admission is 1).
  int AdmittedRevisionsUpTo(const std::string& region, const std::string& initiative_id,
                            std::int64_t log_index);

  // Serialises charter publications until the transaction ends (an advisory lock).
  void LockCharterPublication();
  std::optional<CharterVersion> CurrentCharter();
  std::vector<CharterVersion> Charters();
  void InsertCharter(const CharterVersion& charter, const std::string& published_by);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
