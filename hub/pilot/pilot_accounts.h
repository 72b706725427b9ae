#pragma once
// The national pilot's accounts at the hub (docs/decisions/0010-hub-pilot-accounts.md), with
// the node staff's security: Argon2id hashes computed on the bounded pool
// (core/password_work.h), the password rules of core/password_rules.h, cookie sessions
// stored as the SHA-256 of their token with a CSRF token (http/session_cookie.h), a role
// ("pilot") checked on every action, and sign-in limits counted in PostgreSQL
// (hub/sql/030_pilot_accounts.sql), as on the node (node/service/account_service.h):
// - per client address over all accounts: at most `address_attempts_per_minute` attempts a
//   minute (429 `rate_limited`);
// - per (address, account): `pair_failures` failures within `pair_window_minutes` refuse
//   that pair (429 `rate_limited`) until that long after the last of them;
// - per account from everywhere: `account_failures` failures within
//   `account_window_minutes` lock the account (429 `account_locked`) until that long after
//   the last of them. (The node's known-device exemption is not here: a pilot locked out
//   asks the operator, who can reset the password with essctl.)
// An unknown email is counted like an account, and answers as a wrong password does.
//
// What a pilot may change is the pilot's own metadata only (the marks on duplicate pairs):
// nothing here writes a region's data.

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/password_work.h"
#include "core/pg_pool.h"
#include "hub/store/pilot_store.h"

namespace ess::hub {

struct PilotSecurity {
  PasswordHashCost cost = PasswordHashCost::Moderate();
  PasswordPoolSize pool{1, 1, 0};
  int session_hours = 12;
  int address_attempts_per_minute = 30;
  int pair_failures = 5, pair_window_minutes = 15;
  int account_failures = 20, account_window_minutes = 60;
};

// A refused request: the HTTP status, a stable code, a French message, the field at fault.
struct PilotRefusal {
  int status = 422;
  std::string code, message, field;
  int retry_after_seconds = 0;  // 429 and 503
};

template <typename T>
struct PilotOutcome {
  std::optional<T> value;
  PilotRefusal refusal;  // when !value
  bool ok() const { return value.has_value(); }
};

struct PilotSignedIn {
  std::string token;       // the session cookie only
  std::string csrf_token;  // to the client in the body
  PilotAccount account;
};

inline constexpr std::string_view kPilotRole = "pilot";
inline constexpr std::size_t kMarkNoteMax = 1000;

class PilotAccounts {
 public:
  // `pool` and `clock` outlive the accounts; the pool's connections carry the hub statements.
  PilotAccounts(PgPool& pool, const Clock& clock, PilotSecurity security = {});

  // A new pilot account (essctl pilot add). 422 `invalid_email`, `invalid_name`,
  // `weak_password`; 409 `email_taken`; 503 `sign_in_busy`.
  PilotOutcome<PilotAccount> Create(const std::string& email, const std::string& display_name,
                                    const std::string& password);
  // A new password chosen by the operator (essctl pilot set-password): the rules apply and
  // every session of the account ends. 404 `not_found` for an unknown email.
  PilotOutcome<bool> SetPassword(const std::string& email, const std::string& password);
  // Disables or enables an account; disabling ends its sessions. False for an unknown email.
  bool SetActive(const std::string& email, bool active);
  std::vector<PilotAccount> All();

  // Under the limits above. 401 `bad_credentials` for an unknown email, a wrong password or a
  // disabled account alike; 429 `rate_limited` / `account_locked`; 503 `sign_in_busy`.
  PilotOutcome<PilotSignedIn> SignIn(const std::string& email, const std::string& password,
                                     const std::string& client_address);
  // The session of a token; nullopt when unknown, expired or its account disabled.
  std::optional<PilotSession> Authenticate(const std::string& token);
  void Logout(const std::string& token);
  // The pilot's own change (the password essctl printed is meant to be changed at once):
  // checks `current`, applies the rules to `next`, stores it and ends every other session of
  // the account (`token`'s stays). 403 `bad_credentials`, 422 `weak_password`, 503
  // `sign_in_busy`.
  PilotOutcome<bool> ChangePassword(const PilotSession& who, const std::string& token,
                                    const std::string& current, const std::string& next);

  // The pilot's verdict on a duplicate pair: `mark` "distinct" or "same_structure", a note of
  // at most kMarkNoteMax characters (may be empty). 422 `invalid_mark`, `invalid_note`,
  // `invalid_pair` (regions not in the pair's order, or an id that is not a UUID); 404
  // `not_found` when either record is not on the national map.
  PilotOutcome<bool> SetMark(const PilotSession& who, const DuplicatePairKey& pair,
                             const std::string& mark, const std::string& note);
  // 404 `not_found` when the pair had no mark.
  PilotOutcome<bool> ClearMark(const PilotSession& who, const DuplicatePairKey& pair);

  PasswordWork& password_work() { return *work_; }

 private:
  const std::string& DummyHash(const PasswordWork::Admission& admission);

  PgPool& pool_;
  const Clock& clock_;
  PilotSecurity security_;
  std::shared_ptr<PasswordWork> work_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace ess::hub
