#pragma once
// Staff accounts and their sessions in PostgreSQL (node/sql/010_accounts.sql).

#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "core/bytes.h"
#include "node/domain/account.h"
#include "node/domain/time_format.h"

namespace ess::node {

void PrepareAccountStatements(pqxx::connection& conn);

struct StoredSession {
  Account account;
  std::string csrf_token;
  UnixSeconds expires_at = 0;
};

class AccountStore {
 public:
  explicit AccountStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // False if the email is taken.
  bool Insert(const Account& account, UnixSeconds created_at);
  std::optional<Account> ByEmail(const std::string& email);
  void SetPassword(const std::string& account_id, const std::string& password_hash);

  void InsertSession(const Hash& token_hash, const std::string& account_id,
                     const std::string& csrf_token, UnixSeconds created_at, UnixSeconds expires_at);
  // The session if it exists (expired or not; the caller checks).
  std::optional<StoredSession> Session(const Hash& token_hash);
  void DeleteSession(const Hash& token_hash);
  void DeleteExpiredSessions(UnixSeconds now);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
