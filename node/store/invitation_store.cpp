#include "node/store/invitation_store.h"

#include "node/store/pg_values.h"

namespace ess::node {

void PrepareInvitationStatements(pqxx::connection& c) {
  PrepareStatement(c, "invitation_insert",
                   "INSERT INTO member_invitation (token_hash, account_id, created_at, expires_at) "
                   "VALUES ($1, $2::uuid, to_timestamp($3), to_timestamp($4))");
  PrepareStatement(
      c, "invitation_find",
      "SELECT a.account_id::text, a.email, a.display_name, a.password_hash, a.role, a.active, "
      "extract(epoch from i.expires_at)::bigint, extract(epoch from i.used_at)::bigint, "
      "extract(epoch from i.revoked_at)::bigint "
      "FROM member_invitation i JOIN account a USING (account_id) WHERE i.token_hash = $1");
  PrepareStatement(
      c, "invitation_find_locked",
      "SELECT a.account_id::text, a.email, a.display_name, a.password_hash, a.role, a.active, "
      "extract(epoch from i.expires_at)::bigint, extract(epoch from i.used_at)::bigint, "
      "extract(epoch from i.revoked_at)::bigint "
      "FROM member_invitation i JOIN account a USING (account_id) WHERE i.token_hash = $1 "
      "FOR UPDATE OF i, a");
  PrepareStatement(c, "invitation_mark_used",
                   "UPDATE member_invitation SET used_at = to_timestamp($2) WHERE token_hash = $1");
  PrepareStatement(c, "invitation_revoke_all",
                   "UPDATE member_invitation SET revoked_at = to_timestamp($2) "
                   "WHERE account_id = $1::uuid AND used_at IS NULL AND revoked_at IS NULL");
  PrepareStatement(c, "invitation_pending",
                   "SELECT m.member_id::text, extract(epoch from max(i.expires_at))::bigint "
                   "FROM account a JOIN member_invitation i USING (account_id) "
                   "JOIN committee_member m USING (account_id) "
                   "WHERE a.password_hash = '' GROUP BY m.member_id ORDER BY m.member_id");
}

void InvitationStore::Insert(const Hash& token_hash, const std::string& account_id,
                             UnixSeconds created_at, UnixSeconds expires_at) {
  txn_.exec_prepared("invitation_insert", Bin(token_hash), account_id, created_at, expires_at);
}

std::optional<StoredInvitation> InvitationStore::Find(const Hash& token_hash, bool lock) {
  auto r = txn_.exec_prepared(lock ? "invitation_find_locked" : "invitation_find", Bin(token_hash));
  if (r.empty()) return std::nullopt;
  const auto& row = r[0];
  return StoredInvitation{
      Account{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
              row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<bool>()},
      row[6].as<UnixSeconds>(), OptionalSeconds(row[7]), OptionalSeconds(row[8])};
}

void InvitationStore::MarkUsed(const Hash& token_hash, UnixSeconds at) {
  txn_.exec_prepared("invitation_mark_used", Bin(token_hash), at);
}

std::size_t InvitationStore::RevokeAll(const std::string& account_id, UnixSeconds at) {
  return txn_.exec_prepared("invitation_revoke_all", account_id, at).affected_rows();
}

std::vector<PendingInvitation> InvitationStore::Pending() {
  std::vector<PendingInvitation> out;
  for (const auto& row : txn_.exec_prepared("invitation_pending")) {
    out.push_back({row[0].as<std::string>(), row[1].as<UnixSeconds>()});
  }
  return out;
}

}  // namespace ess::node
