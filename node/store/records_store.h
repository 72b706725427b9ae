#pragma once
// The records back office's reads in PostgreSQL (prepared statements, the caller's
// transaction): the region's records filtered, sorted and paged for the admin's list, one
// record's journal revisions, the reminders queued for it with their delivery state, and a
// selection of records by id for the bulk actions. No rule is decided here: the freshness
// conditions are core's (core/freshness.h), the reminder's node/domain/freshness.h's, the
// service (node/service/records_service.h) says which apply.
//
// A record's source: "import" when its history holds an "imported" event (the CSV import,
// node/service/import_service.h), else "form" (the registration form).
// A reminder: an outbox message of kind "reminder" (node/sql/160_mail_delivery.sql), with
// its delivery state (queued / sent / failed) and the relay's last answer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/freshness.h"
#include "node/domain/initiative.h"

namespace ess::node {

void PrepareRecordsStatements(pqxx::connection& conn);

// The columns a list may be sorted by.
enum class RecordsSort { kName, kStatus, kDepartment, kFamily, kSubmitted, kUpdated, kValidUntil };

// Every absent filter filters nothing. Times are Unix seconds, ranges inclusive of `from`,
// exclusive of `until`.
struct RecordsFilter {
  std::optional<std::string> tsquery;  // core's PrefixTsQuery() of the words typed
  std::vector<std::string> statuses;   // status names; empty: any
  // "fresh", "to_confirm", "hidden" (core's rule at `now`), or "reminder_due": the records
  // still in the workflow whose reminder is due (ReminderDue() with `reminder_days`).
  std::optional<std::string> freshness;
  int reminder_days = 30;
  std::optional<std::string> department, commune, family, activity;
  std::optional<std::string> source;  // "form" or "import"
  std::optional<UnixSeconds> submitted_from, submitted_until;
  std::optional<UnixSeconds> updated_from, updated_until;
  std::optional<UnixSeconds> valid_from, valid_until;
  RecordsSort sort = RecordsSort::kName;
  bool descending = false;
};

struct ReminderSummary {
  int count = 0;                          // reminders queued for the record, ever
  std::optional<UnixSeconds> last_at;     // the latest one's queueing time
  std::optional<std::string> last_state;  // "queued", "sent" or "failed"
};

struct RecordRow {
  Initiative initiative;
  std::string source;  // "form" or "import"
  std::optional<UnixSeconds> reminder_sent_for;
  ReminderSummary reminders;
};

struct RecordsPageRows {
  std::vector<RecordRow> rows;
  std::int64_t total = 0;  // every match
};

// A reminder as queued, with its delivery outcome.
struct ReminderMessage {
  std::int64_t id = 0;
  std::string recipient;
  UnixSeconds created_at = 0;
  std::string state;  // "queued", "sent" or "failed"
  int attempts = 0;
  std::optional<UnixSeconds> sent_at;
  std::optional<std::string> last_error;  // the relay's answer to the last attempt
};

// One journalled revision of the record (log_entry, kind "initiative").
struct JournalRevision {
  std::int64_t log_index = 0;
  std::int64_t record_version = 0;
  std::string operation;              // "put" or "erase"
  std::optional<std::string> status;  // the revision's status, while its payload is kept
  UnixSeconds stored_at = 0;
};

class RecordsStore {
 public:
  explicit RecordsStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // Sorted by filter.sort, then by name and id (a stable order for paging).
  RecordsPageRows List(const RecordsFilter& filter, UnixMillis now, std::size_t limit,
                       std::size_t offset);
  // The rows of `ids` that exist (any status), by name; unknown ids are left out.
  std::vector<RecordRow> Selection(const std::vector<std::string>& ids);
  // The source and reminder summary of one record; nullopt when it does not exist.
  std::optional<RecordRow> Row(const std::string& id);
  // Newest first, at most 100.
  std::vector<ReminderMessage> Reminders(const std::string& id);
  // In log order, at most 500. `region` is the node's.
  std::vector<JournalRevision> Revisions(const std::string& region, const std::string& id);

 private:
  pqxx::transaction_base& txn_;
};

// The names of the sort columns in the API ("name", "status", "department", "family",
// "submitted", "updated", "valid_until"), and back.
std::string_view RecordsSortName(RecordsSort sort);
std::optional<RecordsSort> RecordsSortFromName(std::string_view name);

}  // namespace ess::node
