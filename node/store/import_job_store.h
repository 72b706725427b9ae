#pragma once
// CSV import jobs in PostgreSQL (node/sql/060_import_jobs.sql), inside the caller's
// transaction. The instance running a job writes its progress; any instance reads it.

#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "node/domain/import_report.h"
#include "node/domain/time_format.h"

namespace ess::node {

void PrepareImportJobStatements(pqxx::connection& conn);

struct ImportJobRecord {
  std::string job_id;
  std::string created_by;
  UnixSeconds created_at = 0;
  std::string target_status;  // "pending" or "admitted"
  std::string state;          // queued, validating, committing, succeeded, rejected, failed
  int rows = 0;
  int checked = 0;
  int saved = 0;
  std::optional<ImportReport> report;  // stored as its JSON (ImportReportJson)
  std::optional<std::string> error_code, error_message;
  UnixSeconds heartbeat_at = 0;
  std::optional<UnixSeconds> finished_at;
};

class ImportJobStore {
 public:
  explicit ImportJobStore(pqxx::transaction_base& txn) : txn_(txn) {}

  void Insert(const ImportJobRecord& job);
  std::optional<ImportJobRecord> Load(const std::string& job_id);
  void Delete(const std::string& job_id);
  // Forgets the jobs that ended before `before` (their reports included).
  void DeleteFinishedBefore(UnixSeconds before);
  // State and counters of a running job, with a heartbeat at `at`.
  void SetProgress(const std::string& job_id, const std::string& state, int checked, int saved, UnixSeconds at);
  // The outcome: succeeded or rejected with the report, or failed with an error.
  void Finish(const std::string& job_id, const std::string& state,
              const std::optional<ImportReport>& report,
              const std::optional<std::string>& error_code,
              const std::optional<std::string>& error_message, UnixSeconds at);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
