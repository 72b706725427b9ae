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
  PrepareStatement(c, "session_delete_others",
                   "DELETE FROM account_session WHERE account_id = $1::uuid AND token_hash <> $2");
  PrepareStatement(c, "sign_in_attempt_insert",
                   "INSERT INTO sign_in_attempt (attempted_at, client_address, email_hash, source) "
                   "VALUES (to_timestamp($1), $2, $3, $4) RETURNING attempt_id");
  PrepareStatement(c, "sign_in_attempt_failed",
                   "UPDATE sign_in_attempt SET failed = true WHERE attempt_id = $1");
  PrepareStatement(c, "sign_in_attempts_from",
                   "SELECT count(*) FROM sign_in_attempt "
                   "WHERE client_address = $1 AND attempted_at > to_timestamp($2)");
  PrepareStatement(
      c, "sign_in_failures",
      "WITH f AS (SELECT attempted_at FROM sign_in_attempt WHERE email_hash = $1 AND failed "
      "             AND ($2::text IS NULL OR source = $2) AND attempted_at > to_timestamp($3)), "
      "     m AS (SELECT max(attempted_at) AS latest FROM f) "
      "SELECT extract(epoch from m.latest)::bigint, "
      "       (SELECT count(*) FROM f WHERE f.attempted_at > m.latest - make_interval(secs => $4)) "
      "FROM m");
  PrepareStatement(c, "sign_in_failures_clear",
                   "UPDATE sign_in_attempt SET failed = false "
                   "WHERE email_hash = $1 AND source = $2 AND failed");
  PrepareStatement(c, "sign_in_attempts_purge",
                   "DELETE FROM sign_in_attempt WHERE attempted_at < to_timestamp($1)");
  PrepareStatement(c, "known_device_select",
                   "SELECT 1 FROM known_device WHERE account_id = $1::uuid AND token_hash = $2 "
                   "AND last_used_at > to_timestamp($3)");
  PrepareStatement(
      c, "known_device_upsert",
      "INSERT INTO known_device (account_id, token_hash, created_at, last_used_at) "
      "VALUES ($1::uuid, $2, to_timestamp($3), to_timestamp($3)) "
      "ON CONFLICT (account_id, token_hash) DO UPDATE SET last_used_at = EXCLUDED.last_used_at");
  PrepareStatement(c, "known_device_delete_others",
                   "DELETE FROM known_device WHERE account_id = $1::uuid "
                   "AND ($2::bytea IS NULL OR token_hash <> $2)");
  PrepareStatement(c, "known_device_purge",
                   "DELETE FROM known_device WHERE last_used_at < to_timestamp($1)");
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

void AccountStore::DeleteOtherSessions(const std::string& account_id, const Hash& keep) {
  txn_.exec_prepared("session_delete_others", account_id, Bin(keep));
}

long long AccountStore::RecordAttempt(UnixSeconds at, const std::string& client_address,
                                      const Hash& email_hash, const std::string& source) {
  return txn_
      .exec_prepared("sign_in_attempt_insert", at, client_address, Bin(email_hash), source)[0][0]
      .as<long long>();
}

void AccountStore::MarkAttemptFailed(long long attempt_id) {
  txn_.exec_prepared("sign_in_attempt_failed", attempt_id);
}

long long AccountStore::AttemptsFrom(const std::string& client_address, UnixSeconds since) {
  return txn_.exec_prepared("sign_in_attempts_from", client_address, since)[0][0].as<long long>();
}

std::optional<FailureStreak> AccountStore::Failures(const Hash& email_hash,
                                                    const std::optional<std::string>& source,
                                                    UnixSeconds since, UnixSeconds window_seconds) {
  auto r = txn_.exec_prepared("sign_in_failures", Bin(email_hash), OrNull(source), since,
                              window_seconds);
  const auto& row = r[0];
  if (row[0].is_null()) return std::nullopt;
  return FailureStreak{row[0].as<UnixSeconds>(), row[1].as<long long>()};
}

void AccountStore::ClearFailures(const Hash& email_hash, const std::string& source) {
  txn_.exec_prepared("sign_in_failures_clear", Bin(email_hash), source);
}

void AccountStore::DeleteAttemptsBefore(UnixSeconds before) {
  txn_.exec_prepared("sign_in_attempts_purge", before);
}

bool AccountStore::IsKnownDevice(const std::string& account_id, const Hash& token_hash,
                                 UnixSeconds used_since) {
  return !txn_.exec_prepared("known_device_select", account_id, Bin(token_hash), used_since)
              .empty();
}

void AccountStore::RememberDevice(const std::string& account_id, const Hash& token_hash,
                                  UnixSeconds now) {
  txn_.exec_prepared("known_device_upsert", account_id, Bin(token_hash), now);
}

void AccountStore::DeleteOtherDevices(const std::string& account_id,
                                      const std::optional<Hash>& keep) {
  if (keep) {
    txn_.exec_prepared("known_device_delete_others", account_id, Bin(*keep));
  } else {
    txn_.exec_prepared("known_device_delete_others", account_id, static_cast<const char*>(nullptr));
  }
}

void AccountStore::DeleteDevicesUsedBefore(UnixSeconds before) {
  txn_.exec_prepared("known_device_purge", before);
}

}  // namespace ess::node
