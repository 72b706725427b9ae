#pragma once
// Staff accounts and their sessions in PostgreSQL (node/sql/010_accounts.sql), the sign-in
// attempts counted by the sign-in limits and the known devices (node/sql/110_sign_in_limits.sql).

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

// The latest failed sign-in of a series and how many failures of the series fall within the
// window that ends with it.
struct FailureStreak {
  UnixSeconds latest = 0;
  long long count = 0;
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
  // Every session of the account but the one whose token hashes to `keep`.
  void DeleteOtherSessions(const std::string& account_id, const Hash& keep);

  // Sign-in attempts. `source` is the client address or a known device's key (see the
  // migration). Returns the attempt's id.
  long long RecordAttempt(UnixSeconds at, const std::string& client_address, const Hash& email_hash,
                          const std::string& source);
  void MarkAttemptFailed(long long attempt_id);
  // Attempts (failed or not) from `client_address` since `since` (exclusive).
  long long AttemptsFrom(const std::string& client_address, UnixSeconds since);
  // The failures for `email_hash` (from `source` only, if given) since `since`: the latest
  // and how many fall within `window_seconds` before it; nullopt when there are none.
  std::optional<FailureStreak> Failures(const Hash& email_hash,
                                        const std::optional<std::string>& source, UnixSeconds since,
                                        UnixSeconds window_seconds);
  // Forgets the failures for `email_hash` from `source` (after a success from there).
  void ClearFailures(const Hash& email_hash, const std::string& source);
  void DeleteAttemptsBefore(UnixSeconds before);

  // Known devices: browsers that signed in successfully to an account.
  bool IsKnownDevice(const std::string& account_id, const Hash& token_hash, UnixSeconds used_since);
  // Inserts the device or refreshes its last use.
  void RememberDevice(const std::string& account_id, const Hash& token_hash, UnixSeconds now);
  // Every known device of the account but `keep` (none kept when nullopt).
  void DeleteOtherDevices(const std::string& account_id, const std::optional<Hash>& keep);
  void DeleteDevicesUsedBefore(UnixSeconds before);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
