#pragma once
// The records back office of the region's admin (read-only for the committee): the list of
// the region's records with filters, sorting and pages; one record with its history (events,
// journal revisions, the reminders queued and their delivery state); and the admin's work on
// them: editing on the owner's behalf with a reason, reissuing the private link (older links
// revoked, the new one mailed), a reminder sent now, on one record or a selection, and the
// selection exported as CSV for a French spreadsheet.
//
// Typed values in and out; no sockets. The rules of editing, links and reminders are
// InitiativeService's (node/service/initiative_service.h): this service chooses what the back
// office asks of it and checks the back office's own inputs.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/search_params.h"
#include "node/domain/account.h"
#include "node/domain/failure.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative.h"
#include "node/domain/initiative_draft.h"
#include "node/service/initiative_service.h"
#include "node/service/node_context.h"
#include "node/store/initiative_store.h"
#include "node/store/records_store.h"

namespace ess::node {

inline constexpr std::size_t kMaxRecordsPerPage = 100;
inline constexpr std::size_t kDefaultRecordsPerPage = 25;
// A selection's size for the bulk actions.
inline constexpr std::size_t kMaxRecordsSelection = 500;
// The reason of an edit on the owner's behalf: 3..500 characters.
inline constexpr std::size_t kMaxOnBehalfReason = 500;

// What the list asks for (GET /api/admin/records, docs/node-api.yaml).
struct RecordsQuery {
  std::optional<std::string> text;         // q: words, read as the public search reads them
  std::vector<InitiativeStatus> statuses;  // empty: any
  // fresh | reminder_due | to_confirm | hidden (RecordsFilter::freshness).
  std::optional<std::string> freshness;
  std::optional<std::string> department, commune, family, activity;
  std::optional<std::string> source;  // form | import
  // Days (UTC) of the ranges: from the start of `*_from` to the end of `*_to`.
  std::optional<UnixSeconds> submitted_from, submitted_to, updated_from, updated_to, valid_from,
      valid_to;
  RecordsSort sort = RecordsSort::kName;
  bool descending = false;
  PageRequest page{1, kDefaultRecordsPerPage};
};

// Reads the list's query string: q, status (comma-separated names), freshness, department,
// commune, family, activity, source, submitted_from/_to, updated_from/_to, valid_from/_to
// (YYYY-MM-DD), sort (RecordsSortName), order (asc | desc), page, per_page (1..100). An empty
// parameter counts as absent; any other parameter, a bad value or a range ending before it
// starts is kInvalid `invalid_parameter` naming it, with a French message.
Result<RecordsQuery> ReadRecordsQuery(const QueryMap& query);

// A record as the list shows it.
struct RecordItem {
  Initiative initiative;
  Freshness freshness = Freshness::kFresh;
  bool reminder_due = false;  // ReminderDue() at now, for a record still in the workflow
  std::string source;         // "form" or "import"
  ReminderSummary reminders;
};

struct RecordsPage {
  std::int64_t total = 0;
  PageRequest page;
  std::vector<RecordItem> items;
};

// One record with its history.
struct RecordDetail {
  InitiativeView view;
  RecordItem item;
  std::vector<InitiativeEvent> events;     // oldest first
  std::vector<JournalRevision> revisions;  // in log order
  std::vector<ReminderMessage> reminders;  // newest first
};

// The outcome of a reminder on one record of a selection.
struct SelectionOutcome {
  std::string id;
  std::optional<Failure> refused;  // why nothing was queued for it
};

class RecordsService {
 public:
  RecordsService(const NodeContext& context, InitiativeService& initiatives)
      : context_(context), initiatives_(initiatives) {}

  // kInvalid `invalid_parameter` (field "family") for a family the referential does not know.
  Result<RecordsPage> List(const RecordsQuery& query);
  // kNotFound, kGone once erased.
  Result<RecordDetail> Get(const std::string& id);

  // The admin's edit on the owner's behalf: InitiativeService::Edit with the admin as actor,
  // `reason` in the history's event and in the message to the owner. kInvalid `required`
  // (field "reason") without a reason, `invalid_text` for one not of 3..500 characters.
  Result<EditOutcome> EditOnBehalf(const Principal& admin, const std::string& id,
                                   const InitiativeDraft& draft,
                                   const std::optional<std::string>& reason);
  // InitiativeService::IssueEditLink: older links revoked, the new one mailed when it can be.
  Result<IssuedEditLink> ReissueLink(const Principal& admin, const std::string& id);
  // InitiativeService::RemindNow.
  Result<bool> RemindNow(const Principal& admin, const std::string& id);
  // RemindNow on each record of the selection (1..kMaxRecordsSelection UUIDs, else kInvalid
  // `invalid_selection` on field "ids"), each in its own transaction: one refused does not
  // stop the others.
  Result<std::vector<SelectionOutcome>> RemindSelection(const Principal& admin,
                                                        const std::vector<std::string>& ids);
  // The selection as CSV for a French spreadsheet: a UTF-8 BOM, ';' between fields, one
  // header row, then the records found, by name, with their status, freshness, source, dates
  // and contact fields (core's CSV writer, core/csv.h). The same refusals as RemindSelection.
  Result<std::string> ExportSelection(const std::vector<std::string>& ids);

 private:
  const NodeContext& context_;
  InitiativeService& initiatives_;
};

}  // namespace ess::node
