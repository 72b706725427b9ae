#include "core/pg_pool.h"

#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>

#include "core/metrics.h"

namespace ess {

namespace {

thread_local const PgWorkLimits* current_limits = nullptr;

}  // namespace

void PgCancelHandle::Cancel() {
  std::lock_guard lock(mutex_);
  cancelled_ = true;
  for (pqxx::connection* conn : leased_) {
    try {
      conn->cancel_query();  // PQcancel: a separate connection asks the server to interrupt
    } catch (const std::exception& e) {
      spdlog::warn("PgPool: annulation de requête impossible : {}", e.what());
    }
  }
}

bool PgCancelHandle::cancelled() const {
  std::lock_guard lock(mutex_);
  return cancelled_;
}

void PgCancelHandle::Attach(pqxx::connection* conn) {
  std::lock_guard lock(mutex_);
  if (cancelled_) throw PgWorkCancelled("PgPool: work cancelled");
  leased_.push_back(conn);
}

void PgCancelHandle::Detach(pqxx::connection* conn) {
  std::lock_guard lock(mutex_);
  std::erase(leased_, conn);
}

PgWorkScope::PgWorkScope(PgWorkLimits limits)
    : limits_(std::move(limits)), previous_(current_limits) {
  current_limits = &limits_;
}

PgWorkScope::~PgWorkScope() { current_limits = previous_; }

bool IsPgOverload(const std::exception& e) {
  if (dynamic_cast<const PgPoolExhausted*>(&e) || dynamic_cast<const PgWorkCancelled*>(&e))
    return true;
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  return sql != nullptr && sql->sqlstate() == "57014";  // query_canceled
}

PgLease::PgLease(PgPool* pool, std::unique_ptr<pqxx::connection> conn,
                 std::chrono::milliseconds statement_timeout)
    : pool_(pool), conn_(std::move(conn)), statement_timeout_(statement_timeout) {}

PgLease::PgLease(PgLease&& other) noexcept
    : pool_(other.pool_),
      conn_(std::move(other.conn_)),
      statement_timeout_(other.statement_timeout_),
      cancel_(std::move(other.cancel_)),
      broken_(other.broken_) {
  other.pool_ = nullptr;
}

PgLease::~PgLease() {
  if (cancel_ && conn_) cancel_->Detach(conn_.get());
  if (pool_ != nullptr && conn_ != nullptr)
    pool_->Return(std::move(conn_), statement_timeout_, broken_);
}

PgPool::PgPool(PgPoolOptions options) : options_(std::move(options)) {
  if (options_.size == 0) throw std::invalid_argument("PgPool: size must be at least 1");
  // Return() runs in lease destructors and must not throw: with the capacity reserved up
  // front, putting a connection back never allocates.
  idle_.reserve(options_.size);
}

PgPool::~PgPool() {
  std::lock_guard lock(mutex_);
  if (open_ != idle_.size()) {
    // A lease outliving its pool would return into freed memory; say so loudly.
    spdlog::error("PgPool destroyed with {} connection(s) still leased", open_ - idle_.size());
  }
}

namespace {

// Opens one connection and runs the hook. libpqxx 6 would otherwise silently reconnect a
// broken connection on its next use, losing whatever session state on_connect set up
// beyond prepared statements (and any session advisory lock); the pool's contract is to
// drop such a connection and build a fresh one, so that is switched off. The call is
// deprecated only because libpqxx 7 dropped reactivation altogether, which is the
// behaviour asked for here.
std::unique_ptr<pqxx::connection> OpenConnection(const PgPoolOptions& options) {
  auto conn = std::make_unique<pqxx::connection>(options.connection_string);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  conn->inhibit_reactivation(true);
#pragma GCC diagnostic pop
  if (options.on_connect) options.on_connect(*conn);
  return conn;
}

}  // namespace

PgLease PgPool::Lease(Idle idle) {
  PgLease lease(this, std::move(idle.conn), idle.statement_timeout);
  const PgWorkLimits* limits = current_limits;
  if (limits == nullptr && lease.statement_timeout_.count() == 0) return lease;
  try {
    if (limits != nullptr && limits->cancel) {
      limits->cancel->Attach(lease.conn_.get());  // throws PgWorkCancelled
      lease.cancel_ = limits->cancel;
    }
    const auto wanted = limits ? limits->statement_timeout : std::chrono::milliseconds(0);
    if (wanted != lease.statement_timeout_) {
      pqxx::nontransaction set(*lease);
      set.exec0(wanted.count() == 0 ? std::string("RESET statement_timeout")
                                    : "SET statement_timeout = " + std::to_string(wanted.count()));
      lease.statement_timeout_ = wanted;
    }
    if (limits != nullptr && limits->test_sleep.count() > 0) {
      pqxx::nontransaction sleep(*lease);
      sleep.exec0("SELECT pg_sleep(" + std::to_string(limits->test_sleep.count() / 1000.0) + ")");
    }
  } catch (const pqxx::broken_connection&) {
    lease.MarkBroken();
    throw;
  }
  return lease;
}

PgLease PgPool::Acquire() {
  const PgWorkLimits* limits = current_limits;
  if (limits != nullptr && limits->cancel && limits->cancel->cancelled())
    throw PgWorkCancelled("PgPool: work cancelled");
  const auto timeout = limits != nullptr && limits->acquire_timeout.count() > 0
                           ? limits->acquire_timeout
                           : options_.acquire_timeout;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!idle_.empty()) {
      Idle idle = std::move(idle_.back());
      idle_.pop_back();
      if (idle.conn->is_open()) {
        lock.unlock();
        return Lease(std::move(idle));
      }
      // Known dead (libpq saw the socket close): free its slot and look again.
      --open_;
      lock.unlock();
      idle.conn.reset();
      lock.lock();
    }
    if (open_ < options_.size) {
      // Reserve the slot, then connect without holding the lock: connecting takes a round
      // trip or more and other threads may meanwhile return or take idle connections.
      ++open_;
      lock.unlock();
      std::unique_ptr<pqxx::connection> conn;
      try {
        conn = OpenConnection(options_);
      } catch (...) {
        lock.lock();
        --open_;
        lock.unlock();
        available_.notify_one();  // a waiter may use the slot we failed to fill
        throw;
      }
      spdlog::debug("PgPool: opened connection (backend pid {})", conn->backendpid());
      // From here the lease owns the slot: whatever Lease() throws, it gives it back.
      return Lease({std::move(conn), std::chrono::milliseconds(0)});
    }
    ++waiting_;
    const auto waited = available_.wait_until(lock, deadline);
    --waiting_;
    if (waited == std::cv_status::timeout && idle_.empty() && open_ >= options_.size) {
      throw PgPoolExhausted("PgPool: no connection available within " +
                            std::to_string(timeout.count()) + " ms (all " +
                            std::to_string(options_.size) + " leased)");
    }
  }
}

PgPool::Stats PgPool::stats() const {
  std::lock_guard lock(mutex_);
  return {open_, open_ - idle_.size(), waiting_};
}

void PgPool::Return(std::unique_ptr<pqxx::connection> conn,
                    std::chrono::milliseconds statement_timeout, bool broken) {
  std::unique_ptr<pqxx::connection> doomed;
  {
    std::lock_guard lock(mutex_);
    if (broken || !conn->is_open()) {
      --open_;
      doomed = std::move(conn);
    } else {
      idle_.push_back({std::move(conn), statement_timeout});  // capacity reserved: no throw
    }
  }
  available_.notify_one();
  if (doomed) {
    spdlog::warn("PgPool: dropping a broken connection; the next Acquire() opens a new one");
    doomed.reset();  // closing is I/O: done outside the lock
  }
}

void AddPgPoolMetrics(MetricsRegistry& registry, const PgPool& pool) {
  Gauge& size =
      registry.AddGauge("ess_db_pool_size", "Connexions PostgreSQL du pool, au plus").With();
  GaugeFamily& connections =
      registry.AddGauge("ess_db_pool_connections",
                        "Connexions PostgreSQL ouvertes du pool, prêtées ou libres", {"state"});
  Gauge& in_use = connections.With({"in_use"});
  Gauge& idle = connections.With({"idle"});
  Gauge& waiting =
      registry
          .AddGauge("ess_db_pool_waiting", "Fils qui attendent une connexion PostgreSQL du pool")
          .With();
  size.Set(static_cast<double>(pool.size()));
  registry.OnScrape([&pool, &in_use, &idle, &waiting] {
    const PgPool::Stats stats = pool.stats();
    in_use.Set(static_cast<double>(stats.in_use));
    idle.Set(static_cast<double>(stats.open - stats.in_use));
    waiting.Set(static_cast<double>(stats.waiting));
  });
}

}  // namespace ess
