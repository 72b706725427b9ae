#pragma once
// The national pilot's rows at the hub (hub/sql/030_pilot_accounts.sql): accounts, sessions
// (the SHA-256 of their token only), sign-in attempts for the limits, and the marks on
// duplicate pairs. Plain reads and writes in the caller's transaction; the rules are in
// hub/pilot/pilot_accounts.h. Call PreparePilotStatements() on every new connection.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/bytes.h"

namespace ess::hub {

void PreparePilotStatements(pqxx::connection& conn);

using UnixSeconds = std::int64_t;

struct PilotAccount {
  std::string account_id, email, display_name, password_hash;
  std::string role = "pilot";
  bool active = true;
  std::string created_at;  // RFC 3339 (reads only)
};

struct PilotSession {
  PilotAccount account;
  std::string csrf_token;
  UnixSeconds expires_at = 0;
};

struct PilotFailureStreak {
  UnixSeconds latest = 0;
  long long count = 0;
};

// One duplicate pair as GET /api/duplicates orders it: first_region < second_region.
struct DuplicatePairKey {
  std::string first_region, first_id, second_region, second_id;
};

class PilotStore {
 public:
  explicit PilotStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // The new account's id, or nullopt when the email is taken.
  std::optional<std::string> Insert(const PilotAccount& account, UnixSeconds created_at);
  std::optional<PilotAccount> ByEmail(const std::string& email);
  std::vector<PilotAccount> All();
  // False when no account has that email.
  bool SetActive(const std::string& email, bool active);
  bool SetPassword(const std::string& email, const std::string& password_hash);

  void InsertSession(const Hash& token_hash, const std::string& account_id,
                     const std::string& csrf_token, UnixSeconds created_at, UnixSeconds expires_at);
  std::optional<PilotSession> Session(const Hash& token_hash);
  void DeleteSession(const Hash& token_hash);
  void DeleteExpiredSessions(UnixSeconds now);
  void DeleteSessionsOf(const std::string& email);
  // Every session of the account but `keep`'s.
  void DeleteOtherSessions(const std::string& account_id, const Hash& keep);

  long long RecordAttempt(UnixSeconds at, const std::string& client_address,
                          const Hash& email_hash);
  void MarkAttemptFailed(long long attempt_id);
  long long AttemptsFrom(const std::string& client_address, UnixSeconds since);
  // The failures of `email_hash` (from `client_address` only when given) after `since`: the
  // latest and how many fall within `window_seconds` before it; nullopt when none.
  std::optional<PilotFailureStreak> Failures(const Hash& email_hash,
                                             const std::optional<std::string>& client_address,
                                             UnixSeconds since, UnixSeconds window_seconds);
  void ClearFailures(const Hash& email_hash, const std::string& client_address);
  void DeleteAttemptsBefore(UnixSeconds before);

  // Sets (or replaces) the mark of a pair; `account_id` is the pilot's.
  void SetMark(const DuplicatePairKey& pair, const std::string& mark, const std::string& note,
               const std::string& account_id, UnixSeconds at);
  // False when the pair had no mark.
  bool ClearMark(const DuplicatePairKey& pair);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::hub
