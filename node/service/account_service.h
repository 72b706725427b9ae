#pragma once
// Staff accounts (admins, committee members), login and cookie sessions with their CSRF
// token. Sessions live in PostgreSQL (instances behind a load balancer share them); only
// the SHA-256 of a session token is stored. Account and Principal: node/domain/account.h.

#include <optional>
#include <string>

#include "core/password_hash.h"
#include "node/domain/account.h"
#include "node/domain/failure.h"
#include "node/service/node_context.h"

namespace ess::node {

struct NewSession {
  std::string token;       // goes in the cookie only
  std::string csrf_token;  // goes to the client in the body
  Principal principal;
};

inline constexpr std::size_t kPasswordMin = 10, kPasswordMax = 200;

class AccountService {
 public:
  explicit AccountService(const NodeContext& context)
      : context_(context), hasher_(context.settings.password_cost) {}

  // Creates an account. kInvalid for a bad email, name or password (10..200 characters),
  // kConflict if the email is taken. Runs in `txn` (so a member's account and membership
  // commit together).
  Result<Account> CreateAccount(pqxx::transaction_base& txn, const std::string& email,
                                const std::string& display_name, const std::string& password,
                                const std::string& role);
  // The same in its own transaction (ess-node --create-admin).
  Result<Account> CreateAdmin(const std::string& email, const std::string& display_name,
                              const std::string& password);

  // kUnauthorized `bad_credentials` for an unknown email, a wrong password or a disabled
  // account (one message for all, so it tells nothing about which).
  Result<NewSession> Login(const std::string& email, const std::string& password);
  // The principal of a session token; nullopt when unknown or expired.
  std::optional<Principal> Authenticate(const std::string& session_token);
  void Logout(const std::string& session_token);
  Result<bool> ChangePassword(const Principal& principal, const std::string& current,
                              const std::string& next);

 private:
  const NodeContext& context_;
  PasswordHasher hasher_;
};

}  // namespace ess::node
