#include "node/service/account_service.h"

#include <algorithm>

#include "core/field_rules.h"
#include "core/secret_token.h"
#include "node/service/journal.h"
#include "node/store/account_store.h"
#include "node/store/committee_store.h"

namespace ess::node {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::optional<Failure> CheckPassword(const std::string& password, const char* field) {
  auto length = Utf8Length(password);
  if (!length || *length < kPasswordMin || *length > kPasswordMax) {
    return Failure::Invalid("weak_password", "Le mot de passe doit compter de 10 à 200 caractères.", field);
  }
  return std::nullopt;
}

}  // namespace

Result<Account> AccountService::CreateAccount(pqxx::transaction_base& txn, const std::string& email,
                                              const std::string& display_name,
                                              const std::string& password, const std::string& role) {
  Account account{NewRecordIdText(), Lower(email), display_name, "", role, true};
  if (!IsValidEmail(account.email)) return Failure::Invalid("invalid_email", "Adresse de courriel invalide.", "email");
  auto name_length = Utf8Length(display_name);
  if (!name_length || *name_length < 2 || *name_length > 200) {
    return Failure::Invalid("invalid_name", "Le nom doit compter de 2 à 200 caractères.", "name");
  }
  if (auto weak = CheckPassword(password, "password")) return *weak;
  account.password_hash = hasher_.Hash(password);
  if (!AccountStore(txn).Insert(account, NowSeconds(context_.clock))) {
    return Failure::Of(FailureKind::kConflict, "email_taken", "Un compte existe déjà pour cette adresse.");
  }
  return account;
}

Result<Account> AccountService::CreateAdmin(const std::string& email, const std::string& display_name,
                                            const std::string& password) {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    return CreateAccount(txn, email, display_name, password, "admin");
  });
}

Result<NewSession> AccountService::Login(const std::string& email, const std::string& password) {
  const Failure refused = Failure::Of(FailureKind::kUnauthorized, "bad_credentials",
                                      "Adresse ou mot de passe incorrect.");
  if (email.size() > 254 || password.size() > kPasswordMax * 4) return refused;
  auto account = context_.pool.WithTransaction([&](pqxx::work& txn) {
    return AccountStore(txn).ByEmail(Lower(email));
  });
  // Hash even for an unknown email so that timing does not tell which emails exist.
  static const std::string kDummyHash = hasher_.Hash("ess-federation-dummy-password");
  bool ok = hasher_.Verify(account ? account->password_hash : kDummyHash, password);
  if (!account || !ok || !account->active) return refused;
  NewSession session{NewSecretToken(), NewSecretToken(), {}};
  const UnixSeconds now = NowSeconds(context_.clock);
  std::optional<Principal> principal = context_.pool.WithTransaction([&](pqxx::work& txn) {
    AccountStore store(txn);
    store.DeleteExpiredSessions(now);
    store.InsertSession(SecretTokenHash(session.token), account->account_id, session.csrf_token, now,
                        now + context_.settings.session_hours * 3600);
    return std::optional<Principal>(
        Principal{*account, CommitteeStore(txn).MemberOfAccount(account->account_id), session.csrf_token});
  });
  session.principal = *principal;
  return session;
}

std::optional<Principal> AccountService::Authenticate(const std::string& session_token) {
  if (!IsWellFormedSecretToken(session_token)) return std::nullopt;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> std::optional<Principal> {
    auto stored = AccountStore(txn).Session(SecretTokenHash(session_token));
    if (!stored || stored->expires_at <= NowSeconds(context_.clock) || !stored->account.active) {
      return std::nullopt;
    }
    return Principal{stored->account, CommitteeStore(txn).MemberOfAccount(stored->account.account_id),
                     stored->csrf_token};
  });
}

void AccountService::Logout(const std::string& session_token) {
  if (!IsWellFormedSecretToken(session_token)) return;
  context_.pool.WithTransaction([&](pqxx::work& txn) {
    AccountStore(txn).DeleteSession(SecretTokenHash(session_token));
  });
}

Result<bool> AccountService::ChangePassword(const Principal& principal, const std::string& current,
                                            const std::string& next) {
  if (!hasher_.Verify(principal.account.password_hash, current)) {
    return Failure::Of(FailureKind::kForbidden, "bad_credentials", "Mot de passe actuel incorrect.");
  }
  if (auto weak = CheckPassword(next, "new_password")) return *weak;
  std::string hash = hasher_.Hash(next);
  context_.pool.WithTransaction([&](pqxx::work& txn) {
    AccountStore(txn).SetPassword(principal.account.account_id, hash);
  });
  return true;
}

}  // namespace ess::node
