#include "node/store/committee_store.h"

#include "node/store/pg_values.h"

namespace ess::node {

namespace {

constexpr const char* kMemberColumns =
    "m.member_id::text, m.account_id::text, a.display_name, a.email, m.college, m.role, m.active";

CommitteeMember MemberFromRow(const pqxx::row& r) {
  return {r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
          r[3].as<std::string>(), r[4].as<std::string>(), r[5].as<std::string>(),
          r[6].as<bool>()};
}

constexpr const char* kCharterColumns =
    "version, record_id::text, text, extract(epoch from published_at)::bigint, readhesion_days";

CharterVersion CharterFromRow(const pqxx::row& r) {
  return {r[0].as<int>(), r[1].as<std::string>(), r[2].as<std::string>(),
          r[3].as<UnixSeconds>(), r[4].as<int>()};
}

}  // namespace

void PrepareCommitteeStatements(pqxx::connection& c) {
  PrepareStatement(c, "member_insert",
            "INSERT INTO committee_member (member_id, account_id, college, role, active) "
            "VALUES ($1::uuid, $2::uuid, $3, $4, $5)");
  PrepareStatement(c, "member_update",
            "UPDATE committee_member SET college = $2, role = $3, active = $4 WHERE member_id = $1::uuid");
  PrepareStatement(c, "member_select", std::string("SELECT ") + kMemberColumns +
                                 " FROM committee_member m JOIN account a USING (account_id) "
                                 "WHERE m.member_id = $1::uuid");
  PrepareStatement(c, "member_of_account", std::string("SELECT ") + kMemberColumns +
                                     " FROM committee_member m JOIN account a USING (account_id) "
                                     "WHERE m.account_id = $1::uuid");
  PrepareStatement(c, "members_list", std::string("SELECT ") + kMemberColumns +
                                " FROM committee_member m JOIN account a USING (account_id) "
                                "ORDER BY a.display_name");
  PrepareStatement(c, "members_active_in_college",
            "SELECT count(*) FROM committee_member WHERE college = $1 AND active");
  PrepareStatement(c, "vote_insert",
            "INSERT INTO committee_vote (initiative_id, review_round, member_id, college, vote, reason, voted_at) "
            "VALUES ($1::uuid, $2, $3::uuid, $4, $5, $6, to_timestamp($7)) ON CONFLICT DO NOTHING");
  PrepareStatement(c, "votes_of_round",
            "SELECT member_id::text, college, vote, reason FROM committee_vote "
            "WHERE initiative_id = $1::uuid AND review_round = $2 ORDER BY cast_order");
  PrepareStatement(c, "conflict_exists",
            "SELECT 1 FROM conflict_of_interest WHERE initiative_id = $1::uuid AND member_id = $2::uuid");
  PrepareStatement(c, "conflict_insert",
            "INSERT INTO conflict_of_interest (initiative_id, member_id, reason, declared_at) "
            "VALUES ($1::uuid, $2::uuid, $3, to_timestamp($4)) ON CONFLICT DO NOTHING");
  PrepareStatement(c, "conflicts_of_initiative",
            "SELECT member_id::text, reason FROM conflict_of_interest WHERE initiative_id = $1::uuid "
            "ORDER BY declared_at");
  PrepareStatement(c, "decision_insert",
            "INSERT INTO committee_decision (decision_id, initiative_id, initiative_version, review_round, "
            "decision, reasons, votes, rule, decided_at, subject, journalled) VALUES ($1::uuid, $2::uuid, "
            "$3, $4, $5, $6, $7::jsonb, $8::jsonb, to_timestamp($9), $10, $11)");
  PrepareStatement(c, "decisions_of_initiative",
            "SELECT decision_id::text, initiative_id::text, initiative_version, review_round, decision, "
            "reasons, votes::text, rule::text, extract(epoch from decided_at)::bigint, subject, journalled "
            "FROM committee_decision WHERE initiative_id = $1::uuid ORDER BY decided_at, review_round, decision_id");
  PrepareStatement(
      c, "committee_queue",
      "SELECT i.initiative_id::text, i.name, i.status, i.commune_name, i.under_review, "
      "i.review_reason, i.review_round, i.charter_version, "
      "(SELECT count(*) FROM committee_vote v WHERE v.initiative_id = i.initiative_id "
      " AND v.review_round = i.review_round), "
      "(SELECT count(*) FROM report r WHERE r.initiative_id = i.initiative_id AND NOT r.handled), "
      "(SELECT count(*) FROM endorsement e WHERE e.initiative_id = i.initiative_id), "
      "EXISTS (SELECT 1 FROM edit_proposal p WHERE p.initiative_id = i.initiative_id), "
      "extract(epoch from i.created_at)::bigint, "
      "(SELECT count(*) FROM conflict_of_interest c JOIN committee_member m USING (member_id) "
      " WHERE c.initiative_id = i.initiative_id AND m.active), "
      "(SELECT v.vote FROM committee_vote v WHERE v.initiative_id = i.initiative_id "
      " AND v.review_round = i.review_round AND v.member_id = NULLIF($3, '')::uuid), "
      "EXISTS (SELECT 1 FROM conflict_of_interest c WHERE c.initiative_id = i.initiative_id "
      " AND c.member_id = NULLIF($3, '')::uuid) "
      "FROM initiative i WHERE i.under_review OR (i.charter_version < $1 AND i.status IN "
      "('pending', 'changes_requested', 'admitted', 'suspended')) "
      "ORDER BY i.under_review DESC, i.updated_at LIMIT $2");
  PrepareStatement(
      c, "admitted_revisions_up_to",
      "SELECT count(*) FROM log_entry WHERE region = $1 AND record_id = $2::uuid "
      "AND kind = 'initiative' AND operation = 'put' AND payload IS NOT NULL AND log_index <= $3 "
      "AND convert_from(payload, 'UTF8')::jsonb ->> 'status' = 'admitted'");
  PrepareStatement(c, "charter_publication_lock",
                   "SELECT pg_advisory_xact_lock(hashtext('ess_node.charter_publication'))");
  PrepareStatement(c, "charter_current", std::string("SELECT ") + kCharterColumns +
                                   " FROM charter_version ORDER BY version DESC LIMIT 1");
  PrepareStatement(c, "charter_list", std::string("SELECT ") + kCharterColumns +
                                " FROM charter_version ORDER BY version");
  PrepareStatement(c, "charter_insert",
            "INSERT INTO charter_version (version, record_id, text, published_at, readhesion_days, "
            "published_by) VALUES ($1, $2::uuid, $3, to_timestamp($4), $5, $6::uuid)");
}

void CommitteeStore::InsertMember(const CommitteeMember& m) {
  txn_.exec_prepared("member_insert", m.member_id, m.account_id, m.college, m.role, m.active);
}

void CommitteeStore::UpdateMember(const CommitteeMember& m) {
  txn_.exec_prepared("member_update", m.member_id, m.college, m.role, m.active);
}

std::optional<CommitteeMember> CommitteeStore::Member(const std::string& member_id) {
  auto r = txn_.exec_prepared("member_select", member_id);
  if (r.empty()) return std::nullopt;
  return MemberFromRow(r[0]);
}

std::optional<CommitteeMember> CommitteeStore::MemberOfAccount(const std::string& account_id) {
  auto r = txn_.exec_prepared("member_of_account", account_id);
  if (r.empty()) return std::nullopt;
  return MemberFromRow(r[0]);
}

std::vector<CommitteeMember> CommitteeStore::Members() {
  std::vector<CommitteeMember> out;
  for (const auto& r : txn_.exec_prepared("members_list")) out.push_back(MemberFromRow(r));
  return out;
}

int CommitteeStore::ActiveMembersIn(const std::string& college) {
  return txn_.exec_prepared("members_active_in_college", college)[0][0].as<int>();
}

bool CommitteeStore::InsertVote(const std::string& initiative_id, int round, const CastVote& v,
                                UnixSeconds at) {
  return txn_.exec_prepared("vote_insert", initiative_id, round, v.member, v.college,
                            std::string(VoteChoiceName(v.choice)), v.reason, at)
             .affected_rows() == 1;
}

std::vector<CastVote> CommitteeStore::Votes(const std::string& initiative_id, int round) {
  std::vector<CastVote> out;
  for (const auto& r : txn_.exec_prepared("votes_of_round", initiative_id, round)) {
    out.push_back({r[0].as<std::string>(), r[1].as<std::string>(),
                   VoteChoiceFromName(r[2].as<std::string>()).value_or(VoteChoice::kAbstain),
                   r[3].as<std::string>()});
  }
  return out;
}

bool CommitteeStore::HasConflict(const std::string& initiative_id, const std::string& member_id) {
  return !txn_.exec_prepared("conflict_exists", initiative_id, member_id).empty();
}

bool CommitteeStore::InsertConflict(const std::string& initiative_id, const std::string& member_id,
                                    const std::string& reason, UnixSeconds at) {
  return txn_.exec_prepared("conflict_insert", initiative_id, member_id, reason, at).affected_rows() == 1;
}

std::vector<std::pair<std::string, std::string>> CommitteeStore::Conflicts(
    const std::string& initiative_id) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& r : txn_.exec_prepared("conflicts_of_initiative", initiative_id)) {
    out.emplace_back(r[0].as<std::string>(), r[1].as<std::string>());
  }
  return out;
}

void CommitteeStore::InsertDecision(const StoredDecision& d) {
  txn_.exec_prepared("decision_insert", d.decision_id, d.initiative_id, d.initiative_version,
                     d.review_round, d.decision, d.reasons, d.votes_json, d.rule_json, d.decided_at,
                     d.subject, d.journalled);
}

std::vector<StoredDecision> CommitteeStore::Decisions(const std::string& initiative_id) {
  std::vector<StoredDecision> out;
  for (const auto& r : txn_.exec_prepared("decisions_of_initiative", initiative_id)) {
    out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<int>(), r[3].as<int>(),
                   r[4].as<std::string>(), r[5].as<std::string>(), r[6].as<std::string>(),
                   r[7].as<std::string>(), r[8].as<UnixSeconds>(), r[9].as<std::string>(), r[10].as<bool>()});
  }
  return out;
}

std::vector<QueueItem> CommitteeStore::Queue(int charter_version, std::size_t limit,
                                             const std::string& viewer_member_id) {
  std::vector<QueueItem> out;
  for (const auto& r :
       txn_.exec_prepared("committee_queue", charter_version, limit, viewer_member_id)) {
    out.push_back({r[0].as<std::string>(), r[1].as<std::string>(), r[2].as<std::string>(),
                   r[3].as<std::string>(), r[4].as<bool>(), r[5].as<std::string>(), r[6].as<int>(),
                   r[7].as<int>(), r[8].as<int>(), r[9].as<int>(), r[10].as<int>(),
                   r[11].as<bool>(), r[12].as<UnixSeconds>(), r[13].as<int>(),
                   r[14].is_null() ? std::string() : r[14].as<std::string>(), r[15].as<bool>()});
  }
  return out;
}

int CommitteeStore::AdmittedRevisionsUpTo(const std::string& region,
                                          const std::string& initiative_id,
                                          std::int64_t log_index) {
  return txn_.exec_prepared("admitted_revisions_up_to", region, initiative_id, log_index)[0][0]
      .as<int>();
}

void CommitteeStore::LockCharterPublication() { txn_.exec_prepared("charter_publication_lock"); }

std::optional<CharterVersion> CommitteeStore::CurrentCharter() {
  auto r = txn_.exec_prepared("charter_current");
  if (r.empty()) return std::nullopt;
  return CharterFromRow(r[0]);
}

std::vector<CharterVersion> CommitteeStore::Charters() {
  std::vector<CharterVersion> out;
  for (const auto& r : txn_.exec_prepared("charter_list")) out.push_back(CharterFromRow(r));
  return out;
}

void CommitteeStore::InsertCharter(const CharterVersion& c, const std::string& published_by) {
  txn_.exec_prepared("charter_insert", c.version, c.record_id, c.text, c.published_at,
                     c.readhesion_days, published_by);
}

}  // namespace ess::node
