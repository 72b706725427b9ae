#pragma once
// The life of an initiative outside the committee: submission with charter adherence, the
// owner's private edit link (edit, confirm "still current", re-adhere, withdraw, erase),
// staff views, withdrawal and erasure by the admin, edit links, participatory reports and
// endorsements, freshness reminders. Every accepted change is journalled in its transaction.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/domain/changes_request.h"
#include "node/domain/edit_proposal.h"
#include "node/domain/failure.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative.h"
#include "node/domain/initiative_draft.h"
#include "node/domain/mail_templates.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"
#include "node/store/initiative_store.h"

namespace ess::node {

struct SubmittedInitiative {
  Initiative initiative;
  std::string edit_token;  // the private edit link's secret: shown once, stored as a hash
};

struct IssuedEditLink {
  std::string token;
  UnixSeconds expires_at = 0;
  int revoked = 0;      // older live links revoked by IssueEditLink
  bool mailed = false;  // IssueEditLink queued it to the contact e-mail
};

// An admin's edit on the owner's behalf: who edits (their name, for the owner's message) and
// why (checked by the caller, node/service/records_service.h).
struct OnBehalf {
  std::string editor;
  std::string reason;
};

// A view of an initiative with what the viewer may see.
struct InitiativeView {
  Initiative initiative;
  Freshness freshness = Freshness::kFresh;
  int endorsements = 0;
  int open_reports = 0;
  bool readhesion_due = false;
  std::optional<EditProposal> proposal;  // its edit proposal, if any (full views only)
  // The committee's request for changes while it stands (full views only): the record's
  // status is changes_requested, or its edit proposal was sent back.
  std::optional<ChangesRequest> changes_requested;
  bool contact_edits_without_vote = false;  // the region's rule in force (full views only)
};

// What an edit did: applied to the initiative (proposal empty), or stored as an edit
// proposal for the committee (proposal set; `initiative` is then unchanged but for its
// review state). `published_without_vote`: the contact fields of an admitted initiative
// published at once by the region's rule (ChangedFields' names), else empty.
struct EditOutcome {
  Initiative initiative;
  std::optional<EditProposal> proposal;
  std::vector<std::string> published_without_vote;
};

// Adherence to the charter's current version: the version adhered to and who adheres
// (2..200 characters); nullopt when absent or of another type.
struct Adherence {
  std::optional<int> charter_version;
  std::optional<std::string> adhered_by;
};

// A submission: the initiative as entered and the charter adherence it comes with (nullopt
// when none was given).
struct InitiativeSubmission {
  InitiativeDraft initiative;
  std::optional<Adherence> charter;
};

// A participatory report: its reason (wrong_information, closed or charter_breach) and a
// comment (at most 2,000 characters, may be empty).
struct ReportInput {
  std::optional<std::string> reason;
  std::string comment;
};

// What a report or an endorsement did. `counted` is false when one from the same visitor
// mark (VisitorMark) was already stored for this initiative in this period: then nothing
// was stored. `count` is the initiative's open reports, or its endorsements.
struct SignalOutcome {
  bool counted = false;
  int count = 0;
};

// Participation periods are numbered from the epoch: floor(now / period_days days).
std::int64_t ParticipationPeriod(UnixSeconds now, int period_days);
// The visitor mark of a signal (docs/node.md, "Participation"): BLAKE2b-256
// (crypto_generichash) keyed with the node's `visitor_mark` secret over the signal's kind
// ("report", "endorsement"), the initiative id, the client address and the period number.
// The address itself is never stored.
Hash VisitorMark(const Hash& key, std::string_view kind, const std::string& initiative_id,
                 const std::string& client_address, std::int64_t period);

// Where a queued message's private link goes, in what is stored and shown to admins.
inline constexpr std::string_view kMaskedLink = "« lien privé masqué »";

class InitiativeService {
 public:
  explicit InitiativeService(const NodeContext& context) : context_(context) {}

  // Checks the draft (ValidateInitiativeInput), then the adherence: kInvalid
  // `charter_required` without one, `required` without its name (charter.adhered_by) or
  // version (charter.version), `invalid_text` for a name not of 2..200 characters;
  // kConflict `no_charter` before any charter is published, `charter_outdated` for another
  // version than the current one; kUnavailable `no_referential` while none is loaded.
  Result<SubmittedInitiative> Submit(const InitiativeSubmission& submission);

  // Public view: admitted and not past hide_after, else kNotFound (kGone once erased).
  Result<InitiativeView> GetPublic(const std::string& id);
  // Any status, private fields included (staff or owner).
  Result<InitiativeView> GetFull(const std::string& id);

  // kUnauthorized `edit_token_required` / `edit_token_invalid` / `edit_token_expired`,
  // kForbidden `edit_token_mismatch` for a link of another initiative.
  std::optional<Failure> CheckEditToken(const std::string& id, const std::optional<std::string>& token);

  // The owner's or the admin's edit (the draft checked as by Submit); kConflict for
  // rejected or withdrawn initiatives.
  // - Admitted initiative: the edit becomes its edit proposal (edit_proposal.h), replacing
  //   any earlier one; nothing public changes and nothing is journalled. The proposal goes
  //   to the committee at once in a new review round (review reason "edit_proposed"), or
  //   waits for the end of a review already open for another reason. It does not count as
  //   confirming the record until the committee admits it.
  //   But with the region's rule contact_edits_without_vote on, an edit that changes only
  //   contact fields (PublishedWithoutVote, edit_proposal.h) is published at once: the
  //   fields replaced and journalled, the record confirmed, the event "edited" naming the
  //   fields changed; an earlier proposal it replaces is discarded (and its review round
  //   closed when it was the one under review); a review open for another reason goes on.
  // - Otherwise (pending, changes requested, suspended): the fields are replaced and
  //   journalled, and the edit counts as confirming the record; after "changes requested"
  //   it goes back to the committee (pending, new review round).
  // With `on_behalf` (the admin's edit for the owner): the event's detail ends with the
  // reason, and the owner is told (EditedOnYourBehalfMail, kind "edited_on_behalf") when the
  // record has a contact e-mail.
  Result<EditOutcome> Edit(const std::string& id, const InitiativeDraft& draft,
                           const std::string& actor,
                           const std::optional<OnBehalf>& on_behalf = std::nullopt);
  // "Still current": a new validity period, at once (only dates change), even while an
  // edit proposal waits for the committee.
  Result<Initiative> ConfirmCurrent(const std::string& id, const std::string& actor);
  // Adheres to the current charter version.
  Result<Initiative> Adhere(const std::string& id, const Adherence& input,
                            const std::string& actor);
  // Withdraws; an edit proposal is discarded.
  Result<Initiative> Withdraw(const std::string& id, const std::string& actor);
  // Journals an erase entry for the initiative and for each of its journalled committee
  // decisions (their payloads name it and hold the votes' reasons), deletes the payloads of
  // every record of both, then its data at the node: the row and everything attached
  // (votes, conflicts of interest, decisions, edit proposal, reports, endorsements,
  // events, links, queued messages). `by_owner` picks the (non-personal) reason journalled.
  Result<bool> Erase(const std::string& id, bool by_owner, const std::string& actor);

  // A new private link (admin): every older live link of the initiative is revoked, and the
  // new one queued to its contact e-mail (NewLinkMail, kind "new_link") when it has one
  // (IssuedEditLink::mailed); else the admin hands it over.
  Result<IssuedEditLink> IssueEditLink(const std::string& id, const std::string& actor);
  // Revokes every live link of the initiative (admin), or just `token` (owner).
  Result<int> RevokeEditLinks(const std::string& id, const std::optional<std::string>& token,
                              const std::string& actor);

  // Participation: one report and one endorsement per initiative per visitor per period
  // (settings.participation_period_days), a visitor being told apart by its VisitorMark
  // from `client_address` (HttpRequest::client_address). A second signal of a mark in a
  // period stores nothing and is not counted (SignalOutcome::counted false).
  //
  // Anyone, on an initiative of the public map. Reaching the region's threshold of open
  // reports (distinct marks) puts an admitted initiative under review.
  Result<SignalOutcome> Report(const std::string& id, const ReportInput& input,
                               const std::string& client_address);
  // Anyone, on an initiative of the public map, with a comment (at most 2,000 characters).
  Result<SignalOutcome> Endorse(const std::string& id, const std::string& comment,
                                const std::string& client_address);

  // Queues a reminder with a fresh edit link for every initiative whose validity ends within
  // the reminder period (once per valid_until). Returns how many were queued.
  int SendFreshnessReminders();
  // A reminder now, as SendFreshnessReminders queues it, whether or not one is due (the
  // admin's button): kConflict `not_editable` for a rejected or withdrawn initiative,
  // `no_contact_email` without a contact e-mail. True once queued.
  Result<bool> RemindNow(const std::string& id, const std::string& actor);

  // Messages to owners. A message with a private link is stored with the link sealed
  // (crypto_secretbox keyed with the node's `outbox_link` secret) and kMaskedLink in its
  // body; the token itself is stored only as its hash (edit_link).
  //
  // The messages queued for owners, newest first, at most `limit`, as stored: the link
  // masked, never the token (sealed_link left empty). The admin's paginated view with the
  // delivery state is OutboxStore::List (node/api/mail_routes.cpp).
  std::vector<OutboxMessage> Outbox(std::size_t limit = 200);
  // For tests (never served over HTTP): the same messages with the working link in place
  // of kMaskedLink (sealed_link left empty), as the delivery (node/mail/pg_delivery_queue.h)
  // opens them just before sending.
  std::vector<OutboxMessage> MessagesToDeliver(std::size_t limit = 200);

 private:
  const NodeContext& context_;
};

// What a message asking an owner to act says (node/domain/mail_templates.h), given where
// its link goes (kMaskedLink) and the day the link expires (MailDate).
using LinkMailComposer =
    std::function<MailText(const std::string& link_placeholder, const std::string& expires_on)>;

// Creates a link in `txn` and queues a message of `kind` (OutboxMessage::kind) with it to
// the initiative's contact (if it has one), its text from `compose`, the link sealed.
// Shared by services that ask owners to act. The link lasts the region's edit-link period,
// and at least until `valid_at_least_until` when given.
IssuedEditLink IssueEditLinkWithMail(
    pqxx::transaction_base& txn, const NodeContext& context, const Initiative& initiative,
    const std::string& kind, const LinkMailComposer& compose,
    std::optional<UnixSeconds> valid_at_least_until = std::nullopt);
// The same with a message of kind "notice": `message`, then a paragraph with the link.
IssuedEditLink IssueEditLinkInTransaction(pqxx::transaction_base& txn, const NodeContext& context,
                                          const Initiative& initiative, const std::string& subject,
                                          const std::string& message,
                                          std::optional<UnixSeconds> valid_at_least_until = std::nullopt);

}  // namespace ess::node
