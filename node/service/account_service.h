#pragma once
// Staff accounts (admins, committee members), sign-in and cookie sessions with their CSRF
// token. Sessions live in PostgreSQL (instances behind a load balancer share them); only
// the SHA-256 of a session token is stored. Account and Principal: node/domain/account.h.
//
// Password hashing (Argon2id) runs on the bounded PasswordWork pool, never on the calling
// HTTP worker beyond waiting for it (core/password_work.h): with the defaults (1
// thread, 1 waiting, 1 more admission reserved for known devices) sign-ins hold at most 3 of
// the HTTP server's 4 workers, and at most one hash (256 MiB at the moderate cost) is
// computed at once; a sign-in beyond that is refused at once, without hashing
// (SignInRefusal::kBusy, 503 `sign_in_busy`).
//
// Sign-in limits (NodeSettings::sign_in; counted in PostgreSQL, node/sql/110, so every node
// process behind one address shares them; rows older than the longest window are purged):
// - per client address over all accounts: at most 30 attempts a minute (then 429
//   `rate_limited` for the rest of that minute), to bound what one address costs;
// - per (address, account): 5 failures within 15 minutes refuse that pair (429
//   `rate_limited`) until 15 minutes after the last of them;
// - per account from everywhere: 20 failures within an hour lock the account (429
//   `account_locked`, saying until when) until an hour after the last of them;
// - a known device (a browser that signed in to this account before: the long-lived
//   `ess_device` cookie, a random token stored hashed per account) is exempt from the
//   address limit and from the lock: the staff member is still checked and admitted with the
//   correct password while the account is locked for others. Its failures count for the
//   account and for the (device, account) pair, which is limited like an address's.
// Successes do not count as failures, and a success forgets the failures of its (address or
// device, account) pair. An unknown email is counted like an account (its replies tell
// nothing about which emails exist).

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "core/password_work.h"
#include "node/domain/account.h"
#include "node/domain/failure.h"
#include "node/service/node_context.h"
#include "node/service/password_rules.h"

namespace ess::node {

struct NewSession {
  std::string token;         // goes in the session cookie only
  std::string csrf_token;    // goes to the client in the body
  std::string device_token;  // goes in the known-device cookie only
  Principal principal;
};

struct SignInRequest {
  std::string email, password;
  std::string client_address;  // HttpRequest::client_address (behind trusted proxies: the client)
  std::optional<std::string> device_token;  // the known-device cookie, if the browser sent one
};

enum class SignInRefusal {
  kBadCredentials,  // 401 `bad_credentials`
  kThrottled,       // 429 `rate_limited` or `account_locked`, with retry_after_seconds
  kBusy,            // 503 `sign_in_busy`, with retry_after_seconds
};

struct SignInOutcome {
  std::optional<NewSession> session;  // set on success
  SignInRefusal refusal = SignInRefusal::kBadCredentials;
  Failure failure;  // when refused: code and French message
  int retry_after_seconds = 0;
};

// 503 `sign_in_busy`: the password pool is full (also for password changes and creations).
Failure SignInBusy();

// A new account of `role`, not stored and with no password yet: the email folded to lower
// case and checked (kInvalid `invalid_email`), the name read as entered text of 2 to 200
// characters (`invalid_name`, or the text rule's code).
Result<Account> NewAccount(const std::string& email, const std::string& display_name,
                           const std::string& role);
// Stores it in `txn`: kConflict `email_taken` when the address already has an account.
Result<Account> InsertAccount(pqxx::transaction_base& txn, const NodeContext& context,
                              Account account);

class AccountService {
 public:
  // Hashes with Argon2id at context.settings.password_cost on a pool of
  // context.settings.password_threads + password_queue (+ 1 for known devices), or on `work`
  // when given (tests).
  explicit AccountService(const NodeContext& context, std::shared_ptr<PasswordWork> work = nullptr);

  // Creates an account. kInvalid `weak_password` for a password that breaks the rules
  // (node/service/password_rules.h), kInvalid for a bad email or name, kConflict if the email
  // is taken, kUnavailable `sign_in_busy` when the pool is full. Runs in `txn` (so a member's
  // account and membership commit together).
  Result<Account> CreateAccount(pqxx::transaction_base& txn, const std::string& email,
                                const std::string& display_name, const std::string& password,
                                const std::string& role);
  // The same in its own transaction (ess-node --create-admin).
  Result<Account> CreateAdmin(const std::string& email, const std::string& display_name,
                              const std::string& password);

  // Signs in under the limits above. `bad_credentials` for an unknown email, a wrong
  // password or a disabled account (one message for all, so it tells nothing about which).
  SignInOutcome SignIn(const SignInRequest& request);
  // The principal of a session token; nullopt when unknown or expired.
  std::optional<Principal> Authenticate(const std::string& session_token);
  void Logout(const std::string& session_token);
  // Checks `current`, applies the rules to `next`, then stores it and revokes every other
  // session of the account (`session_token`'s stays) and every known device but
  // `device_token`'s. kForbidden `bad_credentials`, kInvalid `weak_password`, kUnavailable
  // `sign_in_busy`.
  Result<bool> ChangePassword(const Principal& principal, const std::string& session_token,
                              const std::optional<std::string>& device_token,
                              const std::string& current, const std::string& next);

  PasswordWork& password_work() { return *work_; }

 private:
  // The hash of a fixed password, checked for unknown emails so that timing does not tell
  // which emails exist (computed once, on the pool).
  const std::string& DummyHash(const PasswordWork::Admission& admission);

  const NodeContext& context_;
  std::shared_ptr<PasswordWork> work_;
  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

}  // namespace ess::node
