#pragma once
// Committee members invited by a link (node/sql/180_member_invitations.sql): the admin names
// a member without choosing their password; the member's account is created without a
// usable one and a MemberInvitationMail (node/domain/mail_templates.h) is queued in the
// outbox with a one-time link, sealed there (node/service/sealed_link.h) and stored only as
// its token's SHA-256. From the link's page (/invitation.html#jeton=<token>) the member
// chooses a password under the staff rules (node/service/password_rules.h), hashed with
// Argon2id on the account service's pool; the link is then spent. An invitation lasts
// kInvitationDays; inviting again revokes the earlier ones.

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "node/domain/account.h"
#include "node/domain/failure.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"
#include "node/store/invitation_store.h"

namespace ess::node {

inline constexpr int kInvitationDays = 7;

struct IssuedInvitation {
  std::string token;  // only in the sealed link of the message, never returned over HTTP
  UnixSeconds expires_at = 0;
};

// Who an invitation is for, as its page greets them.
struct InvitationView {
  std::string name, email;
  UnixSeconds expires_at = 0;
};

// In `txn`: a committee account with no usable password (an empty hash). The email and the
// name are checked by NewAccount (account_service.h): kInvalid `invalid_email`,
// `invalid_name` (or the text rule's code), kConflict `email_taken`.
Result<Account> CreateInvitedAccount(pqxx::transaction_base& txn, const NodeContext& context,
                                     const std::string& email, const std::string& display_name);

// In `txn`: revokes the account's live invitations, creates one and queues its message to
// the account's email (kind "member_invitation"), the link sealed.
IssuedInvitation InviteInTransaction(pqxx::transaction_base& txn, const NodeContext& context,
                                     const Account& account);

class InvitationService {
 public:
  InvitationService(const NodeContext& context, AccountService& accounts)
      : context_(context), accounts_(accounts) {}

  // Anyone holding the link: whom it invites. kUnauthorized `invitation_invalid` (no token,
  // or one that is not an invitation's), `invitation_used` (already spent or revoked),
  // `invitation_expired`.
  Result<InvitationView> Check(const std::optional<std::string>& token);
  // Sets the password and spends the link (every other live invitation of the account is
  // revoked). The failures of Check, kInvalid `required` / `weak_password` on "password",
  // kUnavailable `sign_in_busy` when the password pool is full.
  Result<InvitationView> Accept(const std::optional<std::string>& token,
                                const std::optional<std::string>& password);
  // Admin: a new invitation for a member who has not chosen a password yet. kNotFound
  // `not_found`, kConflict `password_set` once they have.
  Result<IssuedInvitation> Reinvite(const std::string& member_id);
  // Admin: the members' accounts still waiting for their password.
  Result<std::vector<PendingInvitation>> Pending();

 private:
  const NodeContext& context_;
  AccountService& accounts_;
};

}  // namespace ess::node
