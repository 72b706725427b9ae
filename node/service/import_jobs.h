#pragma once
// CSV imports committed in the background, observable while they run: the request answers
// at once with a job (202), a worker thread validates the rows one by one (progress: rows
// checked / rows), then commits every row in one transaction, journalled as any import
// (import_service.h), or nothing. The job is a row of PostgreSQL's import_job table, so any
// node instance behind a load balancer reports it; the outcome (succeeded with the report)
// is written in the import's own transaction, so a job never says "succeeded" without its
// initiatives nor the reverse.
//
// States: queued -> validating -> committing -> succeeded; or rejected (rows with errors:
// nothing imported, the report lists them); or failed (the node stopped, the journal was
// blocked, a database error: nothing imported). A job whose running instance stopped
// sending heartbeats for `stale_after` is reported failed with code `interrupted`. Jobs that
// ended more than 90 days ago are forgotten when a new one starts.

#include <chrono>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

#include "core/work_queue.h"
#include "node/domain/failure.h"
#include "node/service/account_service.h"
#include "node/service/import_service.h"
#include "node/service/node_context.h"
#include "node/store/import_job_store.h"

namespace ess::node {

// Where a running job stands, as written to its row (for observers in tests).
struct ImportJobProgress {
  std::string job_id;
  std::string state;  // validating or committing
  int rows = 0;
  int checked = 0;
  int saved = 0;
};

struct ImportJobsOptions {
  // libpq connection string of the node's database. Each running job opens one connection
  // of its own to write its progress while its import transaction is open.
  std::string progress_database;
  int concurrent_jobs = 1;         // jobs committed at once by this process
  std::size_t waiting_jobs = 4;    // jobs that may wait for a worker; more: 503 import_busy
  std::chrono::seconds stale_after = std::chrono::minutes(15);
  // Called on the worker thread after each progress write; may block (tests pause a job
  // there to observe it). Empty in production.
  std::function<void(const ImportJobProgress&)> on_progress;
};

// A job as reported: its row, with a job whose instance went silent reported failed
// (`interrupted`), and how far it got.
struct ImportJobView {
  ImportJobRecord job;
  int percent = 0;  // 0..100: validation is the first half, the commit the second
};

class ImportJobs {
 public:
  // `context` and `imports` must outlive this object.
  ImportJobs(const NodeContext& context, ImportService& imports, ImportJobsOptions options);
  // Stops the workers: a job still validating stops at its next row and fails
  // (`interrupted`), a commit in progress completes, jobs still waiting fail.
  ~ImportJobs();

  // Admin: checks the request's shape (ImportService::Prepare; a dry run is refused here:
  // it is synchronous), records the job (queued) and hands it to a worker. kUnavailable
  // `import_busy` when too many jobs wait. Returns the job's view (Get).
  Result<ImportJobView> Start(const Principal& admin, const ImportSettings& settings);

  // The job's view: state, target status, counters, report once validated, error once
  // failed or rejected. kNotFound for an unknown job.
  Result<ImportJobView> Get(const std::string& job_id);

 private:
  void Run(const std::string& job_id, const std::string& actor, const ImportRequest& request,
           std::stop_token stop);

  const NodeContext& context_;
  ImportService& imports_;
  ImportJobsOptions options_;
  WorkQueue queue_;  // last: its threads stop before the rest goes
};

}  // namespace ess::node
