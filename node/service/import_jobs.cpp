#include "node/service/import_jobs.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "node/service/journal.h"
#include "node/store/import_job_store.h"
#include "node/store/pg_values.h"

namespace ess::node {

namespace {

constexpr int kJobsKeptDays = 90;  // finished jobs (and their reports) are forgotten after
const Failure kJobNotFound = Failure::Of(FailureKind::kNotFound, "not_found", "Import introuvable.");
constexpr const char* kInterrupted =
    "L'import a été interrompu (arrêt du nœud) avant d'aboutir : rien n'a été importé. Relancez-le.";

// Thrown from the validation's progress callback when the worker must stop.
struct ImportInterrupted {};

bool IsActive(const std::string& state) {
  return state == "queued" || state == "validating" || state == "committing";
}

int Percent(const ImportJobRecord& j) {
  if (j.state == "succeeded" || j.state == "rejected") return 100;
  if (j.rows <= 0) return 0;
  const int validated = 50 * std::min(j.checked, j.rows) / j.rows;
  const int committed = 50 * std::min(j.saved, j.rows) / j.rows;
  return j.state == "committing" || j.saved > 0 ? 50 + committed : validated;
}

// Progress goes through a connection of its own: the import's transaction holds another
// one until it commits, and what it writes is invisible until then.
class ProgressWriter {
 public:
  explicit ProgressWriter(const std::string& database) : conn_(database) {
    PrepareImportJobStatements(conn_);
    NotedStatementNames().clear();  // only the pool's connections are checked eagerly
  }
  void Write(const std::string& job_id, const std::string& state, int checked, int saved, UnixSeconds at) {
    pqxx::work txn(conn_);
    ImportJobStore(txn).SetProgress(job_id, state, checked, saved, at);
    txn.commit();
  }

 private:
  pqxx::connection conn_;
};

}  // namespace

ImportJobs::ImportJobs(const NodeContext& context, ImportService& imports, ImportJobsOptions options)
    : context_(context),
      imports_(imports),
      options_(std::move(options)),
      queue_(options_.concurrent_jobs, options_.waiting_jobs) {}

ImportJobs::~ImportJobs() = default;

Result<ImportJobView> ImportJobs::Start(const Principal& admin, const ImportSettings& settings) {
  auto request = imports_.Prepare(settings);
  if (!request.ok()) return request.failure();
  if (request.value().dry_run) {
    return Failure::Invalid("invalid_parameter",
                            "L'essai à blanc répond directement : envoyez-le sans « Prefer: respond-async ».", "dry_run");
  }
  imports_.RememberMapping(request.value(), admin.Actor());
  const UnixSeconds now = NowSeconds(context_.clock);
  ImportJobRecord job;
  job.job_id = NewRecordIdText();
  job.created_by = admin.Actor();
  job.created_at = now;
  job.target_status = request.value().admitted ? "admitted" : "pending";
  job.state = "queued";
  job.rows = static_cast<int>(request.value().rows());
  job.heartbeat_at = now;
  context_.pool.WithTransaction([&](pqxx::work& txn) {
    ImportJobStore store(txn);
    store.DeleteFinishedBefore(now - kJobsKeptDays * kSecondsPerDay);
    store.Insert(job);
  });
  auto shared = std::make_shared<const ImportRequest>(std::move(request.value()));
  const std::string job_id = job.job_id;
  const std::string actor = job.created_by;
  bool queued = queue_.TryPost([this, job_id, actor, shared](std::stop_token stop) { Run(job_id, actor, *shared, stop); });
  if (!queued) {
    context_.pool.WithTransaction([&](pqxx::work& txn) { ImportJobStore(txn).Delete(job_id); });
    return Failure::Of(FailureKind::kUnavailable, "import_busy",
                       "Trop d'imports en cours sur ce nœud : réessayez quand ils seront terminés.");
  }
  return Get(job_id);
}

Result<ImportJobView> ImportJobs::Get(const std::string& job_id) {
  if (!IsUuidText(job_id)) return kJobNotFound;
  auto job = context_.pool.WithTransaction([&](pqxx::work& txn) { return ImportJobStore(txn).Load(job_id); });
  if (!job) return kJobNotFound;
  const UnixSeconds now = NowSeconds(context_.clock);
  if (IsActive(job->state) && job->heartbeat_at + options_.stale_after.count() < now) {
    job->state = "failed";
    job->error_code = "interrupted";
    job->error_message = kInterrupted;
  }
  const int percent = Percent(*job);
  return ImportJobView{std::move(*job), percent};
}

void ImportJobs::Run(const std::string& job_id, const std::string& actor, const ImportRequest& request,
                     std::stop_token stop) {
  auto finish = [&](const std::string& state, const std::optional<ImportReport>& report,
                    const std::string& code, const std::string& message) {
    context_.pool.WithTransaction([&](pqxx::work& txn) {
      ImportJobStore(txn).Finish(job_id, state, report, code, message, NowSeconds(context_.clock));
    });
  };
  try {
    if (stop.stop_requested()) throw ImportInterrupted{};
    ProgressWriter progress(options_.progress_database);
    const int rows = static_cast<int>(request.rows());
    const int step = std::max(1, rows / 100);
    int saved_so_far = 0;
    auto write = [&](const std::string& state, int checked, int saved) {
      progress.Write(job_id, state, checked, saved, NowSeconds(context_.clock));
      if (options_.on_progress) options_.on_progress({job_id, state, rows, checked, saved});
    };
    write("validating", 0, 0);
    ImportValidation validation = imports_.Validate(request, [&](std::size_t checked) {
      if (stop.stop_requested()) throw ImportInterrupted{};
      const int n = static_cast<int>(checked);
      if (n % step == 0 || n == rows) write("validating", n, 0);
    });
    if (!validation.errors.empty()) {
      finish("rejected", ImportService::Report(request, validation), "import_rejected",
             "Import refusé : des lignes sont invalides ; rien n'a été importé.");
      return;
    }
    write("committing", rows, 0);
    auto committed = imports_.Commit(
        request, validation, actor,
        [&](std::size_t saved) {
          // A retried transaction counts again from 1: progress never goes back.
          const int n = std::max(saved_so_far, static_cast<int>(saved));
          if (n > saved_so_far && (n % step == 0 || n == rows)) write("committing", rows, n);
          saved_so_far = n;
        },
        [&](pqxx::transaction_base& txn, const std::vector<std::string>& ids) {
          ImportJobStore(txn).Finish(job_id, "succeeded", ImportService::Report(request, validation, ids),
                                     std::nullopt, std::nullopt, NowSeconds(context_.clock));
        });
    if (!committed.ok()) {
      finish(
          "failed", std::nullopt, committed.failure().code,
          "Le journal de la région est bloqué (voir docs/replication.md) : rien n'a été importé.");
      return;
    }
    spdlog::info("import {} : {} initiative(s) importée(s) par {}", job_id, rows, actor);
  } catch (const ImportInterrupted&) {
    finish("failed", std::nullopt, "interrupted", kInterrupted);
  } catch (const std::exception& e) {
    spdlog::error("import {} : {}", job_id, e.what());
    if (auto fault = DatabaseFaultOf(e)) {
      const Failure failure = FailureOf(*fault);
      finish("failed", std::nullopt, failure.code, failure.message);
    } else {
      finish("failed", std::nullopt, "internal",
             "Erreur interne pendant l'import : rien n'a été importé.");
    }
  }
}

}  // namespace ess::node
