#include "node/store/import_job_store.h"

#include "node/store/pg_values.h"

namespace ess::node {

void PrepareImportJobStatements(pqxx::connection& c) {
  PrepareStatement(c, "import_job_insert",
                   "INSERT INTO import_job (job_id, created_by, created_at, target_status, state, rows, "
                   "heartbeat_at) VALUES ($1::uuid, $2, to_timestamp($3), $4, $5, $6, to_timestamp($7))");
  PrepareStatement(c, "import_job_select",
                   "SELECT job_id::text, created_by, extract(epoch from created_at)::bigint, target_status, state, "
                   "rows, checked, saved, report::text, error_code, error_message, "
                   "extract(epoch from heartbeat_at)::bigint, extract(epoch from finished_at)::bigint "
                   "FROM import_job WHERE job_id = $1::uuid");
  PrepareStatement(c, "import_job_delete", "DELETE FROM import_job WHERE job_id = $1::uuid");
  PrepareStatement(c, "import_job_purge", "DELETE FROM import_job WHERE finished_at < to_timestamp($1)");
  PrepareStatement(c, "import_job_progress",
                   "UPDATE import_job SET state = $2, checked = $3, saved = $4, heartbeat_at = to_timestamp($5) "
                   "WHERE job_id = $1::uuid");
  PrepareStatement(c, "import_job_finish",
                   "UPDATE import_job SET state = $2, report = $3::jsonb, error_code = $4, error_message = $5, "
                   "heartbeat_at = to_timestamp($6), finished_at = to_timestamp($6), "
                   "checked = CASE WHEN $2 IN ('succeeded', 'rejected') THEN rows ELSE checked END, "
                   "saved = CASE WHEN $2 = 'succeeded' THEN rows ELSE saved END "
                   "WHERE job_id = $1::uuid");
}

void ImportJobStore::Insert(const ImportJobRecord& j) {
  txn_.exec_prepared("import_job_insert", j.job_id, j.created_by, j.created_at, j.target_status, j.state, j.rows,
                     j.heartbeat_at);
}

std::optional<ImportJobRecord> ImportJobStore::Load(const std::string& job_id) {
  auto r = txn_.exec_prepared("import_job_select", job_id);
  if (r.empty()) return std::nullopt;
  const auto& row = r[0];
  ImportJobRecord j;
  j.job_id = row[0].as<std::string>();
  j.created_by = row[1].as<std::string>();
  j.created_at = row[2].as<UnixSeconds>();
  j.target_status = row[3].as<std::string>();
  j.state = row[4].as<std::string>();
  j.rows = row[5].as<int>();
  j.checked = row[6].as<int>();
  j.saved = row[7].as<int>();
  if (!row[8].is_null())
    j.report = ImportReportFromJson(nlohmann::json::parse(row[8].as<std::string>()));
  j.error_code = OptionalText(row[9]);
  j.error_message = OptionalText(row[10]);
  j.heartbeat_at = row[11].as<UnixSeconds>();
  j.finished_at = OptionalSeconds(row[12]);
  return j;
}

void ImportJobStore::Delete(const std::string& job_id) { txn_.exec_prepared("import_job_delete", job_id); }

void ImportJobStore::DeleteFinishedBefore(UnixSeconds before) { txn_.exec_prepared("import_job_purge", before); }

void ImportJobStore::SetProgress(const std::string& job_id, const std::string& state, int checked, int saved,
                                 UnixSeconds at) {
  txn_.exec_prepared("import_job_progress", job_id, state, checked, saved, at);
}

void ImportJobStore::Finish(const std::string& job_id, const std::string& state,
                            const std::optional<ImportReport>& report,
                            const std::optional<std::string>& error_code,
                            const std::optional<std::string>& error_message, UnixSeconds at) {
  std::optional<std::string> report_text;
  if (report) report_text = ImportReportJson(*report).dump();
  txn_.exec_prepared("import_job_finish", job_id, state, OrNull(report_text), OrNull(error_code),
                     OrNull(error_message), at);
}

}  // namespace ess::node
