#pragma once
// Committee members' invitations in PostgreSQL (node/sql/180_member_invitations.sql), inside
// the caller's transaction: only the SHA-256 of a token is stored.

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/bytes.h"
#include "node/domain/account.h"
#include "node/domain/time_format.h"

namespace ess::node {

void PrepareInvitationStatements(pqxx::connection& conn);

// An invitation and the account it lets choose its password.
struct StoredInvitation {
  Account account;
  UnixSeconds expires_at = 0;
  std::optional<UnixSeconds> used_at, revoked_at;
};

// A member whose account has no password yet, and their newest invitation's end.
struct PendingInvitation {
  std::string member_id;
  UnixSeconds expires_at = 0;
};

class InvitationStore {
 public:
  explicit InvitationStore(pqxx::transaction_base& txn) : txn_(txn) {}

  void Insert(const Hash& token_hash, const std::string& account_id, UnixSeconds created_at,
              UnixSeconds expires_at);
  // With lock = true the invitation's row stays locked until the transaction ends.
  std::optional<StoredInvitation> Find(const Hash& token_hash, bool lock);
  void MarkUsed(const Hash& token_hash, UnixSeconds at);
  // Revokes every live invitation of the account; returns how many.
  std::size_t RevokeAll(const std::string& account_id, UnixSeconds at);
  // Committee members whose account has no password yet (invited, not arrived).
  std::vector<PendingInvitation> Pending();

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
