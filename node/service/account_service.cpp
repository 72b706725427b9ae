#include "node/service/account_service.h"

#include <algorithm>
#include <cstdio>
#include <ctime>

#include "core/field_rules.h"
#include "core/secret_token.h"
#include "core/sha256.h"
#include "core/text_fold.h"
#include "node/domain/entered_text.h"
#include "node/service/journal.h"
#include "node/store/account_store.h"
#include "node/store/committee_store.h"

namespace ess::node {

namespace {

Failure BadCredentials() {
  return Failure::Of(FailureKind::kUnauthorized, "bad_credentials",
                     "Adresse ou mot de passe incorrect.");
}

// "1 janvier 2026 à 13:05 (UTC)"
std::string FrenchUtcTime(UnixSeconds t) {
  static const char* kMonths[] = {"janvier",   "février", "mars",     "avril",
                                  "mai",       "juin",    "juillet",  "août",
                                  "septembre", "octobre", "novembre", "décembre"};
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char clock[8];
  std::snprintf(clock, sizeof clock, "%02d:%02d", tm.tm_hour, tm.tm_min);
  return std::to_string(tm.tm_mday) + " " + kMonths[tm.tm_mon] + " " +
         std::to_string(tm.tm_year + 1900) + " à " + clock + " (UTC)";
}

SignInOutcome Refused(SignInRefusal refusal, Failure failure, UnixSeconds retry_after = 0) {
  SignInOutcome out;
  out.refusal = refusal;
  out.failure = std::move(failure);
  out.retry_after_seconds = static_cast<int>(
      std::max<UnixSeconds>(retry_after, refusal == SignInRefusal::kBadCredentials ? 0 : 1));
  return out;
}

SignInOutcome RateLimited(UnixSeconds retry_after) {
  return Refused(SignInRefusal::kThrottled,
                 Failure::Of(FailureKind::kUnauthorized, "rate_limited",
                             "Trop de tentatives de connexion : réessayez dans un moment."),
                 retry_after);
}

}  // namespace

Failure SignInBusy() {
  return Failure::Of(
      FailureKind::kUnavailable, "sign_in_busy",
      "Trop de connexions sont en cours de vérification : réessayez dans quelques secondes.");
}

AccountService::AccountService(const NodeContext& context, std::shared_ptr<PasswordWork> work)
    : context_(context), work_(std::move(work)) {
  if (!work_) {
    work_ = std::make_shared<PasswordWork>(
        PasswordPoolSize{context.settings.password_threads, context.settings.password_queue, 1},
        Argon2idHashing(context.settings.password_cost));
  }
}

const std::string& AccountService::DummyHash(const PasswordWork::Admission& admission) {
  std::call_once(dummy_once_,
                 [&] { dummy_hash_ = work_->Hash(admission, "ess-federation-dummy-password"); });
  return dummy_hash_;
}

Result<Account> NewAccount(const std::string& email, const std::string& display_name,
                           const std::string& role) {
  Account account{NewRecordIdText(), AsciiLower(email), display_name, "", role, true};
  if (!IsValidEmail(account.email))
    return Failure::Invalid("invalid_email", "Adresse de courriel invalide.", "email");
  if (auto bad = ReadEnteredText(display_name, TextKind::kSingleLine, "name", "nom",
                                 account.display_name)) {
    return *bad;
  }
  auto name_length = Utf8Length(account.display_name);
  if (*name_length < 2 || *name_length > 200) {
    return Failure::Invalid("invalid_name", "Le nom doit compter de 2 à 200 caractères.", "name");
  }
  return account;
}

Result<Account> InsertAccount(pqxx::transaction_base& txn, const NodeContext& context,
                              Account account) {
  if (!AccountStore(txn).Insert(account, NowSeconds(context.clock))) {
    return Failure::Of(FailureKind::kConflict, "email_taken",
                       "Un compte existe déjà pour cette adresse.");
  }
  return account;
}

Result<Account> AccountService::CreateAccount(pqxx::transaction_base& txn, const std::string& email,
                                              const std::string& display_name,
                                              const std::string& password,
                                              const std::string& role) {
  auto account = NewAccount(email, display_name, role);
  if (!account.ok()) return account;
  Account created = account.value();
  if (auto weak = CheckNewPassword(password, created.email, display_name, "password")) return *weak;
  auto admission = work_->TryAdmit();
  if (!admission) return SignInBusy();
  created.password_hash = work_->Hash(*admission, password);
  return InsertAccount(txn, context_, std::move(created));
}

Result<Account> AccountService::CreateAdmin(const std::string& email,
                                            const std::string& display_name,
                                            const std::string& password) {
  return context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return CreateAccount(txn, email, display_name, password, "admin"); });
}

SignInOutcome AccountService::SignIn(const SignInRequest& request) {
  if (request.email.size() > 254 || request.password.size() > kPasswordMax * 4) {
    return Refused(SignInRefusal::kBadCredentials, BadCredentials());
  }
  const SignInLimits& limits = context_.settings.sign_in;
  const UnixSeconds now = NowSeconds(context_.clock);
  const UnixSeconds pair_window = limits.pair_window_minutes * 60;
  const UnixSeconds account_window = limits.account_window_minutes * 60;
  const std::string email = AsciiLower(request.email);
  const Hash email_hash = Sha256Of(email);
  std::optional<Hash> device_hash;
  if (request.device_token && IsWellFormedSecretToken(*request.device_token)) {
    device_hash = SecretTokenHash(*request.device_token);
  }

  // A series is refused for one window after its last failure: look back two windows.
  // Before any hashing: the limits, and the attempt recorded (so that concurrent attempts
  // from one address count against each other).
  struct Admitted {
    std::optional<Account> account;
    bool known_device = false;
    std::string source;
    long long attempt_id = 0;
  };
  std::optional<SignInOutcome> refusal;
  Admitted admitted = context_.pool.WithTransaction([&](pqxx::work& txn) {
    AccountStore store(txn);
    Admitted a;
    store.DeleteAttemptsBefore(now - 2 * std::max(pair_window, account_window));
    a.account = store.ByEmail(email);
    a.known_device =
        a.account && device_hash &&
        store.IsKnownDevice(a.account->account_id, *device_hash,
                            now - UnixSeconds{limits.known_device_days} * kSecondsPerDay);
    a.source =
        a.known_device ? "device:" + ToHex(*device_hash).substr(0, 16) : request.client_address;
    if (!a.known_device && store.AttemptsFrom(request.client_address, now - 60) >=
                               limits.address_attempts_per_minute) {
      refusal = RateLimited(60);
      return a;
    }
    auto pair = store.Failures(email_hash, a.source, now - 2 * pair_window, pair_window);
    if (pair && pair->count >= limits.pair_failures && pair->latest + pair_window > now) {
      refusal = RateLimited(pair->latest + pair_window - now);
      return a;
    }
    if (!a.known_device) {
      auto all = store.Failures(email_hash, std::nullopt, now - 2 * account_window, account_window);
      if (all && all->count >= limits.account_failures && all->latest + account_window > now) {
        const UnixSeconds until = all->latest + account_window;
        refusal = Refused(
            SignInRefusal::kThrottled,
            Failure::Of(FailureKind::kUnauthorized, "account_locked",
                        "Ce compte est verrouillé après trop d'échecs de connexion, jusqu'au " +
                            FrenchUtcTime(until) +
                            ". Depuis un navigateur déjà utilisé pour ce compte, la "
                            "connexion reste possible."),
            until - now);
        return a;
      }
    }
    a.attempt_id = store.RecordAttempt(now, request.client_address, email_hash, a.source);
    return a;
  });
  if (refusal) return *refusal;

  auto admission = work_->TryAdmit(admitted.known_device ? Admit::kKnownDevice : Admit::kAnyone);
  if (!admission) return Refused(SignInRefusal::kBusy, SignInBusy(), 2);
  // An invited member's account has no password yet (an empty hash): checked against the
  // dummy hash like an unknown email, so that timing does not tell it apart, and never
  // admitted.
  const bool has_password = admitted.account && !admitted.account->password_hash.empty();
  const std::string& stored =
      has_password ? admitted.account->password_hash : DummyHash(*admission);
  const bool ok = work_->Verify(*admission, stored, request.password) && has_password &&
                  admitted.account->active;
  admission.reset();

  if (!ok) {
    context_.pool.WithTransaction(
        [&](pqxx::work& txn) { AccountStore(txn).MarkAttemptFailed(admitted.attempt_id); });
    return Refused(SignInRefusal::kBadCredentials, BadCredentials());
  }
  const Account& account = *admitted.account;
  NewSession session{NewSecretToken(),
                     NewSecretToken(),
                     device_hash ? *request.device_token : NewSecretToken(),
                     {}};
  session.principal = context_.pool.WithTransaction([&](pqxx::work& txn) {
    AccountStore store(txn);
    store.ClearFailures(email_hash, admitted.source);
    store.DeleteExpiredSessions(now);
    store.InsertSession(SecretTokenHash(session.token), account.account_id, session.csrf_token, now,
                        now + context_.settings.session_hours * 3600);
    store.DeleteDevicesUsedBefore(now - UnixSeconds{limits.known_device_days} * kSecondsPerDay);
    store.RememberDevice(account.account_id, SecretTokenHash(session.device_token), now);
    return Principal{account, CommitteeStore(txn).MemberOfAccount(account.account_id),
                     session.csrf_token};
  });
  SignInOutcome out;
  out.session = std::move(session);
  return out;
}

std::optional<Principal> AccountService::Authenticate(const std::string& session_token) {
  if (!IsWellFormedSecretToken(session_token)) return std::nullopt;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> std::optional<Principal> {
    auto stored = AccountStore(txn).Session(SecretTokenHash(session_token));
    if (!stored || stored->expires_at <= NowSeconds(context_.clock) || !stored->account.active) {
      return std::nullopt;
    }
    return Principal{stored->account,
                     CommitteeStore(txn).MemberOfAccount(stored->account.account_id),
                     stored->csrf_token};
  });
}

void AccountService::Logout(const std::string& session_token) {
  if (!IsWellFormedSecretToken(session_token)) return;
  context_.pool.WithTransaction(
      [&](pqxx::work& txn) { AccountStore(txn).DeleteSession(SecretTokenHash(session_token)); });
}

Result<bool> AccountService::ChangePassword(const Principal& principal,
                                            const std::string& session_token,
                                            const std::optional<std::string>& device_token,
                                            const std::string& current, const std::string& next) {
  auto admission = work_->TryAdmit();
  if (!admission) return SignInBusy();
  if (!work_->Verify(*admission, principal.account.password_hash, current)) {
    return Failure::Of(FailureKind::kForbidden, "bad_credentials",
                       "Mot de passe actuel incorrect.");
  }
  if (auto weak = CheckNewPassword(next, principal.account.email, principal.account.display_name,
                                   "new_password")) {
    return *weak;
  }
  std::string hash = work_->Hash(*admission, next);
  admission.reset();
  std::optional<Hash> keep_device;
  if (device_token && IsWellFormedSecretToken(*device_token))
    keep_device = SecretTokenHash(*device_token);
  context_.pool.WithTransaction([&](pqxx::work& txn) {
    AccountStore store(txn);
    store.SetPassword(principal.account.account_id, hash);
    store.DeleteOtherSessions(principal.account.account_id, SecretTokenHash(session_token));
    store.DeleteOtherDevices(principal.account.account_id, keep_device);
  });
  return true;
}

}  // namespace ess::node
