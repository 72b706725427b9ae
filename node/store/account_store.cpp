#include "node/store/account_store.h"

#include "node/store/pg_values.h"

namespace ess::node {

void PrepareAccountStatements(pqxx::connection& c) {
  PrepareStatement(c, "account_insert",
            "INSERT INTO account (account_id, email, display_name, password_hash, role, active, created_at) "
            "VALUES ($1::uuid, $2, $3, $4, $5, $6, to_timestamp($7)) ON CONFLICT (email) DO NOTHING");
  PrepareStatement(c, "account_by_email",
            "SELECT account_id::text, email, display_name, password_hash, role, active FROM account "
            "WHERE email = $1");
  PrepareStatement(c, "account_set_password",
            "UPDATE account SET password_hash = $2 WHERE account_id = $1::uuid");
  PrepareStatement(c, "session_insert",
            "INSERT INTO account_session (token_hash, account_id, csrf_token, created_at, expires_at) "
            "VALUES ($1, $2::uuid, $3, to_timestamp($4), to_timestamp($5))");
  PrepareStatement(c, "session_select",
            "SELECT a.account_id::text, a.email, a.display_name, a.password_hash, a.role, a.active, "
            "s.csrf_token, extract(epoch from s.expires_at)::bigint "
            "FROM account_session s JOIN account a USING (account_id) WHERE s.token_hash = $1");
  PrepareStatement(c, "session_delete", "DELETE FROM account_session WHERE token_hash = $1");
  PrepareStatement(c, "session_delete_expired",
            "DELETE FROM account_session WHERE expires_at <= to_timestamp($1)");
}

bool AccountStore::Insert(const Account& a, UnixSeconds created_at) {
  return txn_.exec_prepared("account_insert", a.account_id, a.email, a.display_name,
                            a.password_hash, a.role, a.active, created_at)
             .affected_rows() == 1;
}

std::optional<Account> AccountStore::ByEmail(const std::string& email) {
  auto r = txn_.exec_prepared("account_by_email", email);
  if (r.empty()) return std::nullopt;
  return Account{r[0][0].as<std::string>(), r[0][1].as<std::string>(), r[0][2].as<std::string>(),
                 r[0][3].as<std::string>(), r[0][4].as<std::string>(), r[0][5].as<bool>()};
}

void AccountStore::SetPassword(const std::string& account_id, const std::string& password_hash) {
  txn_.exec_prepared("account_set_password", account_id, password_hash);
}

void AccountStore::InsertSession(const Hash& token_hash, const std::string& account_id,
                                 const std::string& csrf_token, UnixSeconds created_at,
                                 UnixSeconds expires_at) {
  txn_.exec_prepared("session_insert", Bin(token_hash), account_id, csrf_token, created_at, expires_at);
}

std::optional<StoredSession> AccountStore::Session(const Hash& token_hash) {
  auto r = txn_.exec_prepared("session_select", Bin(token_hash));
  if (r.empty()) return std::nullopt;
  const auto& row = r[0];
  return StoredSession{{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
                        row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<bool>()},
                       row[6].as<std::string>(), row[7].as<UnixSeconds>()};
}

void AccountStore::DeleteSession(const Hash& token_hash) {
  txn_.exec_prepared("session_delete", Bin(token_hash));
}

void AccountStore::DeleteExpiredSessions(UnixSeconds now) {
  txn_.exec_prepared("session_delete_expired", now);
}

}  // namespace ess::node
