#include "node/store/records_store.h"

#include <array>
#include <utility>

#include "node/store/initiative_store.h"
#include "node/store/pg_values.h"

namespace ess::node {

namespace {

constexpr std::array<std::pair<RecordsSort, std::string_view>, 7> kSortNames{{
    {RecordsSort::kName, "name"},
    {RecordsSort::kStatus, "status"},
    {RecordsSort::kDepartment, "department"},
    {RecordsSort::kFamily, "family"},
    {RecordsSort::kSubmitted, "submitted"},
    {RecordsSort::kUpdated, "updated"},
    {RecordsSort::kValidUntil, "valid_until"},
}};

// The column each sort name orders by.
constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kSortColumns{{
    {"name", "i.name"},
    {"status", "i.status"},
    {"department", "i.department"},
    {"family", "i.family"},
    {"submitted", "i.created_at"},
    {"updated", "i.updated_at"},
    {"valid_until", "i.valid_until"},
}};

const std::string kSource =
    "(CASE WHEN EXISTS (SELECT 1 FROM initiative_event e WHERE e.initiative_id = "
    "i.initiative_id AND e.action = 'imported') THEN 'import' ELSE 'form' END)";

// An outbox row that is a reminder (node/sql/160_mail_delivery.sql).
const std::string kIsReminder = "o.kind = 'reminder'";

// The select list: InitiativeFromRow's columns, then the source and the reminders.
const std::string kRowSelect =
    std::string("SELECT ") + kInitiativeColumns + ", " + kSource +
    " AS source, extract(epoch from reminder_sent_for)::bigint AS reminder_sent_for, "
    "COALESCE(rc.rem_count, 0) AS rem_count, extract(epoch from rc.rem_last_at)::bigint AS "
    "rem_last_at, rl.rem_last_state FROM initiative i "
    "LEFT JOIN LATERAL (SELECT count(*) AS rem_count, max(o.created_at) AS rem_last_at FROM "
    "outbox o WHERE o.initiative_id = i.initiative_id AND " +
    kIsReminder +
    ") rc ON true "
    "LEFT JOIN LATERAL (SELECT o.state AS rem_last_state FROM outbox o WHERE o.initiative_id = "
    "i.initiative_id AND " +
    kIsReminder + " ORDER BY o.message_id DESC LIMIT 1) rl ON true ";

// $1 tsquery, $2 statuses (text[]), $3 freshness, $4 now (UnixMillis), $5 reminder days,
// $6 department, $7 commune, $8 family, $9 activity, $10 source, $11..$16 the date ranges
// (Unix seconds): submitted, updated, valid until.
const std::string kFilterWhere =
    "($1::text IS NULL OR i.search @@ to_tsquery('ess_french', $1)) "
    "AND ($2::text[] IS NULL OR i.status = ANY($2::text[])) "
    "AND (CASE $3::text WHEN 'fresh' THEN " +
    SqlFresh("i.valid_until", "$4") + " WHEN 'to_confirm' THEN " +
    SqlToConfirm("i.valid_until", "i.hide_after", "$4") + " WHEN 'hidden' THEN " +
    SqlHidden("i.hide_after", "$4") +
    " WHEN 'reminder_due' THEN (i.status IN ('pending', 'changes_requested', 'admitted', "
    "'suspended') AND i.valid_until - make_interval(days => $5::int) <= to_timestamp($4::bigint "
    "/ 1000.0) AND (i.reminder_sent_for IS NULL OR i.reminder_sent_for <> i.valid_until)) "
    "ELSE true END) "
    "AND ($6::text IS NULL OR i.department = $6) "
    "AND ($7::text IS NULL OR i.commune = $7) "
    "AND ($8::text IS NULL OR i.family = $8) "
    "AND ($9::text IS NULL OR i.activities @> ARRAY[$9::text]) "
    "AND ($10::text IS NULL OR " +
    kSource +
    " = $10) "
    "AND ($11::bigint IS NULL OR i.created_at >= to_timestamp($11::bigint)) "
    "AND ($12::bigint IS NULL OR i.created_at < to_timestamp($12::bigint)) "
    "AND ($13::bigint IS NULL OR i.updated_at >= to_timestamp($13::bigint)) "
    "AND ($14::bigint IS NULL OR i.updated_at < to_timestamp($14::bigint)) "
    "AND ($15::bigint IS NULL OR i.valid_until >= to_timestamp($15::bigint)) "
    "AND ($16::bigint IS NULL OR i.valid_until < to_timestamp($16::bigint)) ";

// $17 the sort name, $18 descending.
std::string OrderBy() {
  std::string out = "ORDER BY ";
  for (const auto& [name, column] : kSortColumns) {
    const std::string when = "CASE WHEN $17::text = '" + std::string(name) + "' AND ";
    out += when + "NOT $18::bool THEN " + std::string(column) + " END ASC, ";
    out += when + "$18::bool THEN " + std::string(column) + " END DESC, ";
  }
  return out + "i.name, i.initiative_id ";
}

std::optional<std::string> SecondsParam(const std::optional<UnixSeconds>& t) {
  if (!t) return std::nullopt;
  return std::to_string(*t);
}

RecordRow RowFrom(const pqxx::row& r) {
  RecordRow row{InitiativeFromRow(r),
                r["source"].as<std::string>(),
                OptionalSeconds(r["reminder_sent_for"]),
                {}};
  row.reminders.count = r["rem_count"].as<int>();
  row.reminders.last_at = OptionalSeconds(r["rem_last_at"]);
  row.reminders.last_state = OptionalText(r["rem_last_state"]);
  return row;
}

}  // namespace

std::string_view RecordsSortName(RecordsSort sort) {
  for (const auto& [value, name] : kSortNames) {
    if (value == sort) return name;
  }
  return "name";
}

std::optional<RecordsSort> RecordsSortFromName(std::string_view name) {
  for (const auto& [value, known] : kSortNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

void PrepareRecordsStatements(pqxx::connection& c) {
  // $19 limit, $20 offset.
  PrepareStatement(c, "records_list",
                   kRowSelect + "WHERE " + kFilterWhere + OrderBy() + "LIMIT $19 OFFSET $20");
  PrepareStatement(c, "records_count", "SELECT count(*) FROM initiative i WHERE " + kFilterWhere);
  PrepareStatement(c, "records_selection",
                   kRowSelect +
                       "WHERE i.initiative_id = ANY($1::uuid[]) ORDER BY i.name, "
                       "i.initiative_id");
  PrepareStatement(c, "records_row", kRowSelect + "WHERE i.initiative_id = $1::uuid");
  PrepareStatement(c, "records_reminders",
                   "SELECT o.message_id, o.recipient, extract(epoch from o.created_at)::bigint, "
                   "o.state, o.attempts, extract(epoch from o.sent_at)::bigint, o.last_error "
                   "FROM outbox o WHERE o.initiative_id = $1::uuid AND " +
                       kIsReminder + " ORDER BY o.message_id DESC LIMIT 100");
  PrepareStatement(c, "records_revisions",
                   "SELECT log_index, record_version, operation, CASE WHEN payload IS NULL THEN "
                   "NULL ELSE convert_from(payload, 'UTF8')::jsonb ->> 'status' END, "
                   "extract(epoch from stored_at)::bigint FROM log_entry WHERE region = $1 AND "
                   "record_id = $2::uuid AND kind = 'initiative' ORDER BY log_index LIMIT 500");
}

RecordsPageRows RecordsStore::List(const RecordsFilter& f, UnixMillis now, std::size_t limit,
                                   std::size_t offset) {
  std::optional<std::string> statuses;
  if (!f.statuses.empty()) statuses = TextArrayLiteral(f.statuses);
  const auto submitted_from = SecondsParam(f.submitted_from);
  const auto submitted_until = SecondsParam(f.submitted_until);
  const auto updated_from = SecondsParam(f.updated_from);
  const auto updated_until = SecondsParam(f.updated_until);
  const auto valid_from = SecondsParam(f.valid_from);
  const auto valid_until = SecondsParam(f.valid_until);
  auto run = [&](const char* statement, auto&&... extra) {
    return txn_.exec_prepared(
        statement, OrNull(f.tsquery), OrNull(statuses), OrNull(f.freshness), now, f.reminder_days,
        OrNull(f.department), OrNull(f.commune), OrNull(f.family), OrNull(f.activity),
        OrNull(f.source), OrNull(submitted_from), OrNull(submitted_until), OrNull(updated_from),
        OrNull(updated_until), OrNull(valid_from), OrNull(valid_until), extra...);
  };
  RecordsPageRows page;
  const std::string sort(RecordsSortName(f.sort));
  for (const auto& r : run("records_list", sort, f.descending, limit, offset)) {
    page.rows.push_back(RowFrom(r));
  }
  page.total = run("records_count")[0][0].as<std::int64_t>();
  return page;
}

std::vector<RecordRow> RecordsStore::Selection(const std::vector<std::string>& ids) {
  std::vector<RecordRow> out;
  if (ids.empty()) return out;
  for (const auto& r : txn_.exec_prepared("records_selection", TextArrayLiteral(ids))) {
    out.push_back(RowFrom(r));
  }
  return out;
}

std::optional<RecordRow> RecordsStore::Row(const std::string& id) {
  auto rows = txn_.exec_prepared("records_row", id);
  if (rows.empty()) return std::nullopt;
  return RowFrom(rows[0]);
}

std::vector<ReminderMessage> RecordsStore::Reminders(const std::string& id) {
  std::vector<ReminderMessage> out;
  for (const auto& r : txn_.exec_prepared("records_reminders", id)) {
    out.push_back({r[0].as<std::int64_t>(), r[1].as<std::string>(), r[2].as<UnixSeconds>(),
                   r[3].as<std::string>(), r[4].as<int>(), OptionalSeconds(r[5]),
                   OptionalText(r[6])});
  }
  return out;
}

std::vector<JournalRevision> RecordsStore::Revisions(const std::string& region,
                                                     const std::string& id) {
  std::vector<JournalRevision> out;
  for (const auto& r : txn_.exec_prepared("records_revisions", region, id)) {
    out.push_back({r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), r[2].as<std::string>(),
                   OptionalText(r[3]), r[4].as<UnixSeconds>()});
  }
  return out;
}

}  // namespace ess::node
