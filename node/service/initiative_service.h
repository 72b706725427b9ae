#pragma once
// The life of an initiative outside the committee: submission with charter adherence, the
// owner's private edit link (edit, confirm "still current", re-adhere, withdraw, erase),
// staff views, withdrawal and erasure by the admin, edit links, participatory reports and
// endorsements, freshness reminders. Every accepted change is journalled in its transaction.

#include <optional>
#include <string>

#include "node/domain/edit_proposal.h"
#include "node/domain/failure.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative.h"
#include "node/domain/initiative_draft.h"
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
};

// A view of an initiative with what the viewer may see.
struct InitiativeView {
  Initiative initiative;
  Freshness freshness = Freshness::kFresh;
  int endorsements = 0;
  int open_reports = 0;
  bool readhesion_due = false;
  std::optional<EditProposal> proposal;  // its edit proposal, if any (full views only)
};

// What an edit did: applied to the initiative (proposal empty), or stored as an edit
// proposal for the committee (proposal set; `initiative` is then unchanged but for its
// review state).
struct EditOutcome {
  Initiative initiative;
  std::optional<EditProposal> proposal;
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
  // - Otherwise (pending, changes requested, suspended): the fields are replaced and
  //   journalled, and the edit counts as confirming the record; after "changes requested"
  //   it goes back to the committee (pending, new review round).
  Result<EditOutcome> Edit(const std::string& id, const InitiativeDraft& draft,
                           const std::string& actor);
  // "Still current": a new validity period, at once (only dates change), even while an
  // edit proposal waits for the committee.
  Result<Initiative> ConfirmCurrent(const std::string& id, const std::string& actor);
  // Adheres to the current charter version.
  Result<Initiative> Adhere(const std::string& id, const Adherence& input,
                            const std::string& actor);
  // Withdraws; an edit proposal is discarded.
  Result<Initiative> Withdraw(const std::string& id, const std::string& actor);
  // Journals an erase entry, deletes the payloads of every record of the initiative and its
  // personal data at the node. `by_owner` picks the (non-personal) reason journalled.
  Result<bool> Erase(const std::string& id, bool by_owner, const std::string& actor);

  Result<IssuedEditLink> IssueEditLink(const std::string& id, const std::string& actor);
  // Revokes every live link of the initiative (admin), or just `token` (owner).
  Result<int> RevokeEditLinks(const std::string& id, const std::optional<std::string>& token,
                              const std::string& actor);

  // Anyone, on an initiative of the public map. Reaching the region's threshold of open
  // reports puts an admitted initiative under review. Returns the open reports.
  Result<int> Report(const std::string& id, const ReportInput& input);
  // Anyone, on an initiative of the public map, with a comment (at most 2,000 characters);
  // returns the count.
  Result<int> Endorse(const std::string& id, const std::string& comment);

  // Queues a reminder with a fresh edit link for every initiative whose validity ends within
  // the reminder period (once per valid_until). Returns how many were queued.
  int SendFreshnessReminders();

  // Admin: the messages queued for owners, newest first, at most `limit`.
  std::vector<OutboxMessage> Outbox(std::size_t limit = 200);

 private:
  const NodeContext& context_;
};

// Creates a link in `txn` and queues a message with it to the initiative's contact (if it
// has one). Shared by services that ask owners to act. The link lasts the region's
// edit-link period, and at least until `valid_at_least_until` when given.
IssuedEditLink IssueEditLinkInTransaction(pqxx::transaction_base& txn, const NodeContext& context,
                                          const Initiative& initiative, const std::string& subject,
                                          const std::string& message,
                                          std::optional<UnixSeconds> valid_at_least_until = std::nullopt);

}  // namespace ess::node
