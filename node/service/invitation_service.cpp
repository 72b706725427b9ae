#include "node/service/invitation_service.h"

#include "core/secret_token.h"
#include "node/domain/mail_templates.h"
#include "node/service/initiative_service.h"
#include "node/service/journal.h"
#include "node/service/sealed_link.h"
#include "node/store/account_store.h"
#include "node/store/committee_store.h"
#include "node/store/initiative_store.h"

namespace ess::node {

namespace {

std::string InvitationUrl(const NodeContext& context, const std::string& token) {
  return context.settings.public_url + "/invitation.html#jeton=" + token;
}

Failure InvitationInvalid() {
  return Failure::Of(FailureKind::kUnauthorized, "invitation_invalid",
                     "Ce lien d'invitation n'est pas valable : vérifiez qu'il est complet, ou "
                     "demandez à l'administration de la région de vous inviter à nouveau.");
}

// The invitation behind `token` if it may still be used, else its failure.
Result<StoredInvitation> Usable(InvitationStore& store, const std::optional<std::string>& token,
                                UnixSeconds now, bool lock) {
  if (!token || !IsWellFormedSecretToken(*token)) return InvitationInvalid();
  auto found = store.Find(SecretTokenHash(*token), lock);
  if (!found) return InvitationInvalid();
  if (found->used_at || found->revoked_at || !found->account.password_hash.empty()) {
    return Failure::Of(
        FailureKind::kUnauthorized, "invitation_used",
        "Ce lien d'invitation a déjà servi (ou a été remplacé par un plus récent) : "
        "connectez-vous avec votre mot de passe, ou demandez une nouvelle invitation.");
  }
  if (found->expires_at <= now) {
    return Failure::Of(FailureKind::kUnauthorized, "invitation_expired",
                       "Ce lien d'invitation a expiré : demandez à l'administration de la région "
                       "de vous inviter à nouveau.");
  }
  return *found;
}

std::string RegionName(const NodeContext& context) {
  auto referential = context.referential.Get();
  const ReferentialEntry* region =
      referential ? referential->Region(context.settings.region) : nullptr;
  return region ? region->label : context.settings.region;
}

}  // namespace

Result<Account> CreateInvitedAccount(pqxx::transaction_base& txn, const NodeContext& context,
                                     const std::string& email, const std::string& display_name) {
  auto account = NewAccount(email, display_name, "committee");
  if (!account.ok()) return account;
  return InsertAccount(txn, context, account.value());
}

IssuedInvitation InviteInTransaction(pqxx::transaction_base& txn, const NodeContext& context,
                                     const Account& account) {
  const UnixSeconds now = NowSeconds(context.clock);
  IssuedInvitation issued{NewSecretToken(), now + kInvitationDays * kSecondsPerDay};
  InvitationStore invitations(txn);
  invitations.RevokeAll(account.account_id, now);
  invitations.Insert(SecretTokenHash(issued.token), account.account_id, now, issued.expires_at);
  InitiativeStore outbox(txn);
  MailText mail = MemberInvitationMail(account.display_name, RegionName(context),
                                       std::string(kMaskedLink), MailDate(issued.expires_at));
  OutboxMessage message;
  message.recipient = account.email;
  message.subject = mail.subject;
  message.body = mail.body;
  message.created_at = now;
  message.sealed_link =
      SealLink(outbox.NodeSecret(kOutboxLinkSecret), InvitationUrl(context, issued.token));
  message.kind = "member_invitation";
  outbox.QueueMessage(message);
  return issued;
}

Result<InvitationView> InvitationService::Check(const std::optional<std::string>& token) {
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<InvitationView> {
    InvitationStore store(txn);
    auto usable = Usable(store, token, NowSeconds(context_.clock), /*lock=*/false);
    if (!usable.ok()) return usable.failure();
    const StoredInvitation& i = usable.value();
    return InvitationView{i.account.display_name, i.account.email, i.expires_at};
  });
}

Result<InvitationView> InvitationService::Accept(const std::optional<std::string>& token,
                                                 const std::optional<std::string>& password) {
  auto checked = Check(token);
  if (!checked.ok()) return checked.failure();
  if (!password || password->empty()) {
    return Failure::Invalid("required", "Choisissez un mot de passe.", "password");
  }
  const InvitationView& view = checked.value();
  if (auto weak = CheckNewPassword(*password, view.email, view.name, "password")) return *weak;
  // Hashed outside any transaction (it takes a while); the link is checked again, locked,
  // before it is spent, so two tabs cannot both use it.
  auto& work = accounts_.password_work();
  auto admission = work.TryAdmit();
  if (!admission) return SignInBusy();
  const std::string hash = work.Hash(*admission, *password);
  admission.reset();
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<InvitationView> {
    InvitationStore store(txn);
    const UnixSeconds now = NowSeconds(context_.clock);
    auto usable = Usable(store, token, now, /*lock=*/true);
    if (!usable.ok()) return usable.failure();
    AccountStore(txn).SetPassword(usable.value().account.account_id, hash);
    store.MarkUsed(SecretTokenHash(*token), now);
    store.RevokeAll(usable.value().account.account_id, now);
    return view;
  });
}

Result<IssuedInvitation> InvitationService::Reinvite(const std::string& member_id) {
  const Failure not_found = Failure::Of(FailureKind::kNotFound, "not_found", "Membre introuvable.");
  if (!IsUuidText(member_id)) return not_found;
  return context_.pool.WithTransaction([&](pqxx::work& txn) -> Result<IssuedInvitation> {
    auto member = CommitteeStore(txn).Member(member_id);
    if (!member) return not_found;
    auto account = AccountStore(txn).ByEmail(member->email);
    if (!account) return not_found;
    if (!account->password_hash.empty()) {
      return Failure::Of(FailureKind::kConflict, "password_set",
                         "Ce membre a déjà choisi son mot de passe : l'invitation a servi.");
    }
    return InviteInTransaction(txn, context_, *account);
  });
}

Result<std::vector<PendingInvitation>> InvitationService::Pending() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    return Result<std::vector<PendingInvitation>>(InvitationStore(txn).Pending());
  });
}

}  // namespace ess::node
