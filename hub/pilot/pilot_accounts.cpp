#include "hub/pilot/pilot_accounts.h"

#include <algorithm>

#include "core/field_rules.h"
#include "core/password_rules.h"
#include "core/secret_token.h"
#include "core/sha256.h"
#include "core/text_fold.h"
#include "hub/store/national_queries.h"

namespace ess::hub {

namespace {

PilotRefusal Refusal(int status, std::string code, std::string message, std::string field = {},
                     int retry_after = 0) {
  return {status, std::move(code), std::move(message), std::move(field), retry_after};
}

template <typename T>
PilotOutcome<T> Refused(PilotRefusal refusal) {
  PilotOutcome<T> out;
  out.refusal = std::move(refusal);
  return out;
}

template <typename T>
PilotOutcome<T> Done(T value) {
  PilotOutcome<T> out;
  out.value = std::move(value);
  return out;
}

PilotRefusal Busy() {
  return Refusal(
      503, "sign_in_busy",
      "Trop de connexions sont en cours de vérification : réessayez dans quelques secondes.", {},
      2);
}

PilotRefusal BadCredentials() {
  return Refusal(401, "bad_credentials", "Adresse ou mot de passe incorrect.");
}

UnixSeconds Now(const Clock& clock) { return clock.NowMillis() / 1000; }

bool IsUuid(const std::string& s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !std::isxdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

}  // namespace

PilotAccounts::PilotAccounts(PgPool& pool, const Clock& clock, PilotSecurity security)
    : pool_(pool),
      clock_(clock),
      security_(security),
      work_(std::make_shared<PasswordWork>(security.pool, Argon2idHashing(security.cost))) {}

const std::string& PilotAccounts::DummyHash(const PasswordWork::Admission& admission) {
  std::call_once(dummy_once_,
                 [&] { dummy_hash_ = work_->Hash(admission, "ess-federation-dummy-password"); });
  return dummy_hash_;
}

PilotOutcome<PilotAccount> PilotAccounts::Create(const std::string& email,
                                                 const std::string& display_name,
                                                 const std::string& password) {
  PilotAccount account;
  account.email = AsciiLower(email);
  account.display_name = NormalizeText(display_name, TextKind::kSingleLine);
  if (!IsValidEmail(account.email)) {
    return Refused<PilotAccount>(
        Refusal(422, "invalid_email", "Adresse de courriel invalide.", "email"));
  }
  auto check = CheckText(account.display_name, TextKind::kSingleLine);
  if (!check.ok()) {
    return Refused<PilotAccount>(
        Refusal(422, "invalid_name", TextFaultMessage(check, "nom"), "name"));
  }
  if (check.length < 2 || check.length > 200) {
    return Refused<PilotAccount>(
        Refusal(422, "invalid_name", "Le nom doit compter de 2 à 200 caractères.", "name"));
  }
  if (auto weak = WeakPasswordReason(password, account.email, account.display_name)) {
    return Refused<PilotAccount>(Refusal(422, "weak_password", *weak, "password"));
  }
  auto admission = work_->TryAdmit();
  if (!admission) return Refused<PilotAccount>(Busy());
  account.password_hash = work_->Hash(*admission, password);
  admission.reset();
  auto id = pool_.WithTransaction(
      [&](pqxx::work& txn) { return PilotStore(txn).Insert(account, Now(clock_)); });
  if (!id) {
    return Refused<PilotAccount>(
        Refusal(409, "email_taken", "Un compte existe déjà pour cette adresse."));
  }
  account.account_id = *id;
  return Done(std::move(account));
}

PilotOutcome<bool> PilotAccounts::SetPassword(const std::string& email,
                                              const std::string& password) {
  auto account = pool_.WithTransaction(
      [&](pqxx::work& txn) { return PilotStore(txn).ByEmail(AsciiLower(email)); });
  if (!account) return Refused<bool>(Refusal(404, "not_found", "Aucun compte pour cette adresse."));
  if (auto weak = WeakPasswordReason(password, account->email, account->display_name)) {
    return Refused<bool>(Refusal(422, "weak_password", *weak, "password"));
  }
  auto admission = work_->TryAdmit();
  if (!admission) return Refused<bool>(Busy());
  std::string hash = work_->Hash(*admission, password);
  admission.reset();
  pool_.WithTransaction([&](pqxx::work& txn) {
    PilotStore store(txn);
    store.SetPassword(account->email, hash);
    store.DeleteSessionsOf(account->email);
  });
  return Done(true);
}

bool PilotAccounts::SetActive(const std::string& email, bool active) {
  return pool_.WithTransaction([&](pqxx::work& txn) {
    PilotStore store(txn);
    if (!store.SetActive(AsciiLower(email), active)) return false;
    if (!active) store.DeleteSessionsOf(AsciiLower(email));
    return true;
  });
}

std::vector<PilotAccount> PilotAccounts::All() {
  return pool_.WithTransaction([&](pqxx::work& txn) { return PilotStore(txn).All(); });
}

PilotOutcome<PilotSignedIn> PilotAccounts::SignIn(const std::string& email_text,
                                                  const std::string& password,
                                                  const std::string& client_address) {
  if (email_text.size() > 254 || password.size() > kPasswordMax * 4) {
    return Refused<PilotSignedIn>(BadCredentials());
  }
  const UnixSeconds now = Now(clock_);
  const UnixSeconds pair_window = security_.pair_window_minutes * 60;
  const UnixSeconds account_window = security_.account_window_minutes * 60;
  const std::string email = AsciiLower(email_text);
  const Hash email_hash = Sha256Of(email);

  // Before any hashing: the limits, and the attempt recorded (so that concurrent attempts
  // from one address count against each other). A series is refused for one window after its
  // last failure: look back two windows.
  std::optional<PilotRefusal> refusal;
  std::optional<PilotAccount> account;
  long long attempt_id = 0;
  pool_.WithTransaction([&](pqxx::work& txn) {
    PilotStore store(txn);
    store.DeleteAttemptsBefore(now - 2 * std::max(pair_window, account_window));
    if (store.AttemptsFrom(client_address, now - 60) >= security_.address_attempts_per_minute) {
      refusal = Refusal(429, "rate_limited",
                        "Trop de tentatives de connexion : réessayez dans un moment.", {}, 60);
      return;
    }
    auto pair = store.Failures(email_hash, client_address, now - 2 * pair_window, pair_window);
    if (pair && pair->count >= security_.pair_failures && pair->latest + pair_window > now) {
      refusal = Refusal(429, "rate_limited",
                        "Trop de tentatives de connexion : réessayez dans un moment.", {},
                        static_cast<int>(pair->latest + pair_window - now));
      return;
    }
    auto all = store.Failures(email_hash, std::nullopt, now - 2 * account_window, account_window);
    if (all && all->count >= security_.account_failures && all->latest + account_window > now) {
      refusal = Refusal(429, "account_locked",
                        "Ce compte est verrouillé après trop d'échecs de connexion : réessayez "
                        "plus tard ou demandez à l'exploitant du hub de changer le mot de passe.",
                        {}, static_cast<int>(all->latest + account_window - now));
      return;
    }
    account = store.ByEmail(email);
    attempt_id = store.RecordAttempt(now, client_address, email_hash);
  });
  if (refusal) return Refused<PilotSignedIn>(*refusal);

  auto admission = work_->TryAdmit();
  if (!admission) return Refused<PilotSignedIn>(Busy());
  const std::string& stored = account ? account->password_hash : DummyHash(*admission);
  const bool ok = work_->Verify(*admission, stored, password) && account && account->active;
  admission.reset();
  if (!ok) {
    pool_.WithTransaction([&](pqxx::work& txn) { PilotStore(txn).MarkAttemptFailed(attempt_id); });
    return Refused<PilotSignedIn>(BadCredentials());
  }
  PilotSignedIn out{NewSecretToken(), NewSecretToken(), *account};
  pool_.WithTransaction([&](pqxx::work& txn) {
    PilotStore store(txn);
    store.ClearFailures(email_hash, client_address);
    store.DeleteExpiredSessions(now);
    store.InsertSession(SecretTokenHash(out.token), account->account_id, out.csrf_token, now,
                        now + UnixSeconds{security_.session_hours} * 3600);
  });
  return Done(std::move(out));
}

std::optional<PilotSession> PilotAccounts::Authenticate(const std::string& token) {
  if (!IsWellFormedSecretToken(token)) return std::nullopt;
  auto session = pool_.WithTransaction(
      [&](pqxx::work& txn) { return PilotStore(txn).Session(SecretTokenHash(token)); });
  if (!session || session->expires_at <= Now(clock_) || !session->account.active) {
    return std::nullopt;
  }
  return session;
}

void PilotAccounts::Logout(const std::string& token) {
  if (!IsWellFormedSecretToken(token)) return;
  pool_.WithTransaction(
      [&](pqxx::work& txn) { PilotStore(txn).DeleteSession(SecretTokenHash(token)); });
}

PilotOutcome<bool> PilotAccounts::ChangePassword(const PilotSession& who, const std::string& token,
                                                 const std::string& current,
                                                 const std::string& next) {
  auto admission = work_->TryAdmit();
  if (!admission) return Refused<bool>(Busy());
  if (!work_->Verify(*admission, who.account.password_hash, current)) {
    return Refused<bool>(
        Refusal(403, "bad_credentials", "Mot de passe actuel incorrect.", "current_password"));
  }
  if (auto weak = WeakPasswordReason(next, who.account.email, who.account.display_name)) {
    return Refused<bool>(Refusal(422, "weak_password", *weak, "new_password"));
  }
  std::string hash = work_->Hash(*admission, next);
  admission.reset();
  pool_.WithTransaction([&](pqxx::work& txn) {
    PilotStore store(txn);
    store.SetPassword(who.account.email, hash);
    store.DeleteOtherSessions(who.account.account_id, SecretTokenHash(token));
  });
  return Done(true);
}

namespace {

std::optional<PilotRefusal> CheckPair(const DuplicatePairKey& pair) {
  if (pair.first_region.empty() || pair.second_region.empty() ||
      !(pair.first_region < pair.second_region) || !IsUuid(pair.first_id) ||
      !IsUuid(pair.second_id)) {
    return Refusal(422, "invalid_pair",
                   "Paire invalide : deux fiches de deux régions, la première région avant la "
                   "seconde, chaque identifiant un UUID.",
                   "pair");
  }
  return std::nullopt;
}

}  // namespace

PilotOutcome<bool> PilotAccounts::SetMark(const PilotSession& who, const DuplicatePairKey& pair,
                                          const std::string& mark, const std::string& note_text) {
  if (who.account.role != kPilotRole) {
    return Refused<bool>(Refusal(403, "forbidden", "Réservé au pilotage national."));
  }
  if (auto bad = CheckPair(pair)) return Refused<bool>(*bad);
  if (mark != "distinct" && mark != "same_structure") {
    return Refused<bool>(
        Refusal(422, "invalid_mark", "« mark » vaut « distinct » ou « same_structure ».", "mark"));
  }
  const std::string note = NormalizeText(note_text, TextKind::kMultiLine);
  auto check = CheckText(note, TextKind::kMultiLine);
  if (!check.ok()) {
    return Refused<bool>(Refusal(422, "invalid_note", TextFaultMessage(check, "note"), "note"));
  }
  if (check.length > kMarkNoteMax) {
    return Refused<bool>(
        Refusal(422, "invalid_note", "La note compte au plus 1 000 caractères.", "note"));
  }
  return pool_.WithTransaction([&](pqxx::work& txn) {
    NationalQueries national(txn, clock_);
    if (!national.Get(pair.first_region, pair.first_id) ||
        !national.Get(pair.second_region, pair.second_id)) {
      return Refused<bool>(
          Refusal(404, "not_found", "L'une des deux fiches n'est pas sur la carte nationale."));
    }
    PilotStore(txn).SetMark(pair, mark, note, who.account.account_id, Now(clock_));
    return Done(true);
  });
}

PilotOutcome<bool> PilotAccounts::ClearMark(const PilotSession& who, const DuplicatePairKey& pair) {
  if (who.account.role != kPilotRole) {
    return Refused<bool>(Refusal(403, "forbidden", "Réservé au pilotage national."));
  }
  if (auto bad = CheckPair(pair)) return Refused<bool>(*bad);
  bool cleared =
      pool_.WithTransaction([&](pqxx::work& txn) { return PilotStore(txn).ClearMark(pair); });
  if (!cleared) return Refused<bool>(Refusal(404, "not_found", "Cette paire n'est pas marquée."));
  return Done(true);
}

}  // namespace ess::hub
