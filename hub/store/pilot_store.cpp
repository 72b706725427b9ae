#include "hub/store/pilot_store.h"

#include "core/pg_fields.h"

namespace ess::hub {

namespace {

pqxx::binarystring Bin(const Hash& hash) { return pqxx::binarystring(hash.data(), hash.size()); }

const char* OrNull(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

const std::string kAccountColumns =
    "account_id::text, email, display_name, password_hash, role, active, " +
    SqlRfc3339("created_at");

PilotAccount ReadAccount(const pqxx::row& row) {
  return {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
          row[3].as<std::string>(), row[4].as<std::string>(), row[5].as<bool>(),
          row[6].as<std::string>()};
}

}  // namespace

void PreparePilotStatements(pqxx::connection& c) {
  c.prepare("pilot_insert",
            "INSERT INTO pilot_account (account_id, email, display_name, password_hash, role, "
            "active, created_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, true, "
            "to_timestamp($5)) ON CONFLICT (email) DO NOTHING RETURNING account_id::text");
  c.prepare("pilot_by_email", "SELECT " + kAccountColumns + " FROM pilot_account WHERE email = $1");
  c.prepare("pilot_all", "SELECT " + kAccountColumns + " FROM pilot_account ORDER BY email");
  c.prepare("pilot_set_active", "UPDATE pilot_account SET active = $2 WHERE email = $1");
  c.prepare("pilot_set_password", "UPDATE pilot_account SET password_hash = $2 WHERE email = $1");
  c.prepare("pilot_session_insert",
            "INSERT INTO pilot_session (token_hash, account_id, csrf_token, created_at, "
            "expires_at) VALUES ($1, $2::uuid, $3, to_timestamp($4), to_timestamp($5))");
  c.prepare("pilot_session_select",
            "SELECT a.account_id::text, a.email, a.display_name, a.password_hash, a.role, "
            "a.active, " +
                SqlRfc3339("a.created_at") +
                ", s.csrf_token, extract(epoch from s.expires_at)::bigint "
                "FROM pilot_session s JOIN pilot_account a USING (account_id) "
                "WHERE s.token_hash = $1");
  c.prepare("pilot_session_delete", "DELETE FROM pilot_session WHERE token_hash = $1");
  c.prepare("pilot_session_delete_expired",
            "DELETE FROM pilot_session WHERE expires_at <= to_timestamp($1)");
  c.prepare("pilot_session_delete_of",
            "DELETE FROM pilot_session WHERE account_id = "
            "(SELECT account_id FROM pilot_account WHERE email = $1)");
  c.prepare("pilot_session_delete_others",
            "DELETE FROM pilot_session WHERE account_id = $1::uuid AND token_hash <> $2");
  c.prepare("pilot_attempt_insert",
            "INSERT INTO pilot_sign_in_attempt (attempted_at, client_address, email_hash) "
            "VALUES (to_timestamp($1), $2, $3) RETURNING attempt_id");
  c.prepare("pilot_attempt_failed",
            "UPDATE pilot_sign_in_attempt SET failed = true WHERE attempt_id = $1");
  c.prepare("pilot_attempts_from",
            "SELECT count(*) FROM pilot_sign_in_attempt "
            "WHERE client_address = $1 AND attempted_at > to_timestamp($2)");
  c.prepare("pilot_failures",
            "WITH f AS (SELECT attempted_at FROM pilot_sign_in_attempt WHERE email_hash = $1 "
            "AND failed AND ($2::text IS NULL OR client_address = $2) "
            "AND attempted_at > to_timestamp($3)), "
            "m AS (SELECT max(attempted_at) AS latest FROM f) "
            "SELECT extract(epoch from m.latest)::bigint, "
            "(SELECT count(*) FROM f WHERE f.attempted_at > m.latest - make_interval(secs => $4)) "
            "FROM m");
  c.prepare("pilot_failures_clear",
            "UPDATE pilot_sign_in_attempt SET failed = false "
            "WHERE email_hash = $1 AND client_address = $2 AND failed");
  c.prepare("pilot_attempts_purge",
            "DELETE FROM pilot_sign_in_attempt WHERE attempted_at < to_timestamp($1)");
  c.prepare("duplicate_mark_set",
            "INSERT INTO duplicate_mark (first_region, first_id, second_region, second_id, mark, "
            "note, marked_by, marked_at) VALUES ($1, $2::uuid, $3, $4::uuid, $5, $6, $7::uuid, "
            "to_timestamp($8)) ON CONFLICT (first_region, first_id, second_region, second_id) "
            "DO UPDATE SET mark = EXCLUDED.mark, note = EXCLUDED.note, "
            "marked_by = EXCLUDED.marked_by, marked_at = EXCLUDED.marked_at");
  c.prepare("duplicate_mark_clear",
            "DELETE FROM duplicate_mark WHERE first_region = $1 AND first_id = $2::uuid "
            "AND second_region = $3 AND second_id = $4::uuid");
}

std::optional<std::string> PilotStore::Insert(const PilotAccount& a, UnixSeconds created_at) {
  auto r = txn_.exec_prepared("pilot_insert", a.email, a.display_name, a.password_hash, a.role,
                              created_at);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

std::optional<PilotAccount> PilotStore::ByEmail(const std::string& email) {
  auto r = txn_.exec_prepared("pilot_by_email", email);
  if (r.empty()) return std::nullopt;
  return ReadAccount(r[0]);
}

std::vector<PilotAccount> PilotStore::All() {
  std::vector<PilotAccount> out;
  for (const auto& row : txn_.exec_prepared("pilot_all")) out.push_back(ReadAccount(row));
  return out;
}

bool PilotStore::SetActive(const std::string& email, bool active) {
  return txn_.exec_prepared("pilot_set_active", email, active).affected_rows() == 1;
}

bool PilotStore::SetPassword(const std::string& email, const std::string& password_hash) {
  return txn_.exec_prepared("pilot_set_password", email, password_hash).affected_rows() == 1;
}

void PilotStore::InsertSession(const Hash& token_hash, const std::string& account_id,
                               const std::string& csrf_token, UnixSeconds created_at,
                               UnixSeconds expires_at) {
  txn_.exec_prepared("pilot_session_insert", Bin(token_hash), account_id, csrf_token, created_at,
                     expires_at);
}

std::optional<PilotSession> PilotStore::Session(const Hash& token_hash) {
  auto r = txn_.exec_prepared("pilot_session_select", Bin(token_hash));
  if (r.empty()) return std::nullopt;
  return PilotSession{ReadAccount(r[0]), r[0][7].as<std::string>(), r[0][8].as<UnixSeconds>()};
}

void PilotStore::DeleteSession(const Hash& token_hash) {
  txn_.exec_prepared("pilot_session_delete", Bin(token_hash));
}

void PilotStore::DeleteExpiredSessions(UnixSeconds now) {
  txn_.exec_prepared("pilot_session_delete_expired", now);
}

void PilotStore::DeleteSessionsOf(const std::string& email) {
  txn_.exec_prepared("pilot_session_delete_of", email);
}

void PilotStore::DeleteOtherSessions(const std::string& account_id, const Hash& keep) {
  txn_.exec_prepared("pilot_session_delete_others", account_id, Bin(keep));
}

long long PilotStore::RecordAttempt(UnixSeconds at, const std::string& client_address,
                                    const Hash& email_hash) {
  return txn_.exec_prepared("pilot_attempt_insert", at, client_address, Bin(email_hash))[0][0]
      .as<long long>();
}

void PilotStore::MarkAttemptFailed(long long attempt_id) {
  txn_.exec_prepared("pilot_attempt_failed", attempt_id);
}

long long PilotStore::AttemptsFrom(const std::string& client_address, UnixSeconds since) {
  return txn_.exec_prepared("pilot_attempts_from", client_address, since)[0][0].as<long long>();
}

std::optional<PilotFailureStreak> PilotStore::Failures(
    const Hash& email_hash, const std::optional<std::string>& client_address, UnixSeconds since,
    UnixSeconds window_seconds) {
  auto r = txn_.exec_prepared("pilot_failures", Bin(email_hash), OrNull(client_address), since,
                              window_seconds);
  if (r[0][0].is_null()) return std::nullopt;
  return PilotFailureStreak{r[0][0].as<UnixSeconds>(), r[0][1].as<long long>()};
}

void PilotStore::ClearFailures(const Hash& email_hash, const std::string& client_address) {
  txn_.exec_prepared("pilot_failures_clear", Bin(email_hash), client_address);
}

void PilotStore::DeleteAttemptsBefore(UnixSeconds before) {
  txn_.exec_prepared("pilot_attempts_purge", before);
}

void PilotStore::SetMark(const DuplicatePairKey& p, const std::string& mark,
                         const std::string& note, const std::string& account_id, UnixSeconds at) {
  txn_.exec_prepared("duplicate_mark_set", p.first_region, p.first_id, p.second_region, p.second_id,
                     mark, note, account_id, at);
}

bool PilotStore::ClearMark(const DuplicatePairKey& p) {
  return txn_.exec_prepared("duplicate_mark_clear", p.first_region, p.first_id, p.second_region,
                            p.second_id)
             .affected_rows() == 1;
}

}  // namespace ess::hub
