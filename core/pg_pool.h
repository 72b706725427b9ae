#pragma once
// A small PostgreSQL connection pool (libpqxx 6.4 has none).
//
// - Connections are opened lazily up to `size`; Acquire() blocks (bounded by a timeout)
//   while all are leased.
// - Every new connection runs the `on_connect` hook, which registers the prepared
//   statements the service uses (libpqxx prepares lazily on first use).
// - A lease returns its connection on destruction. If the holder saw the connection break
//   (pqxx::broken_connection) it calls MarkBroken(); the pool then drops the connection
//   and opens a fresh one on the next Acquire(). A connection returned while not is_open()
//   is dropped as well.
// - Thread-safe. The pool must outlive its leases.
// - Work limits (PgWorkScope, set by whoever runs a piece of work on a thread: the HTTP
//   server for each request): while a scope is active on a thread, its Acquire()s wait at
//   most the scope's acquire_timeout, its connections run under the scope's
//   statement_timeout (a session SET, issued only when the connection's current value
//   differs), and its PgCancelHandle can cancel, from any thread, the query running on them
//   (PQcancel) and refuse any later Acquire(). Without a scope: the pool's acquire_timeout
//   and the server's statement_timeout, as before.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <pqxx/pqxx>

namespace ess {

class MetricsRegistry;

struct PgPoolOptions {
  std::string connection_string;  // libpq URI or key=value string
  std::size_t size = 4;
  std::chrono::milliseconds acquire_timeout{10'000};
  // Runs once per new connection, e.g. to call conn.prepare(...).
  std::function<void(pqxx::connection&)> on_connect;
};

class PgPool;

// Thrown by Acquire() when no connection frees within the timeout: the database is saturated,
// which an HTTP server answers 503 (IsPgOverload).
class PgPoolExhausted : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Thrown by Acquire() when the work's PgCancelHandle was cancelled (its client left).
class PgWorkCancelled : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Cancels, from any thread, the queries of one piece of work: the one running on a connection
// it leased (PQcancel; the statement fails with SQLSTATE 57014) and every later Acquire().
class PgCancelHandle {
 public:
  void Cancel();
  bool cancelled() const;

 private:
  friend class PgPool;
  friend class PgLease;
  // Throws PgWorkCancelled if already cancelled.
  void Attach(pqxx::connection* conn);
  void Detach(pqxx::connection* conn);

  mutable std::mutex mutex_;
  std::vector<pqxx::connection*> leased_;
  bool cancelled_ = false;
};

struct PgWorkLimits {
  // 0: the server's default (none unless configured in PostgreSQL).
  std::chrono::milliseconds statement_timeout{0};
  // 0: the pool's acquire_timeout.
  std::chrono::milliseconds acquire_timeout{0};
  std::shared_ptr<PgCancelHandle> cancel{};  // may be null
  // For tests and benches of overload only: each lease first runs pg_sleep for this long
  // (under the statement timeout and the cancel handle), making the work slow for real.
  std::chrono::milliseconds test_sleep{0};
};

// Sets the calling thread's work limits for its lifetime (scopes nest; the inner one wins).
class PgWorkScope {
 public:
  explicit PgWorkScope(PgWorkLimits limits);
  ~PgWorkScope();
  PgWorkScope(const PgWorkScope&) = delete;
  PgWorkScope& operator=(const PgWorkScope&) = delete;

 private:
  PgWorkLimits limits_;
  const PgWorkLimits* previous_;
};

// True for what saturation or cancellation throws: PgPoolExhausted, PgWorkCancelled, and a
// statement cancelled (SQLSTATE 57014: statement_timeout or PgCancelHandle).
bool IsPgOverload(const std::exception& e);

// RAII lease of one connection.
class PgLease {
 public:
  PgLease(PgLease&&) noexcept;
  PgLease& operator=(PgLease&&) = delete;
  PgLease(const PgLease&) = delete;
  ~PgLease();

  pqxx::connection& operator*() const { return *conn_; }
  pqxx::connection* operator->() const { return conn_.get(); }
  // The connection is unusable (broken_connection seen); the pool will replace it.
  void MarkBroken() { broken_ = true; }

 private:
  friend class PgPool;
  PgLease(PgPool* pool, std::unique_ptr<pqxx::connection> conn,
          std::chrono::milliseconds statement_timeout);
  PgPool* pool_;
  std::unique_ptr<pqxx::connection> conn_;
  std::chrono::milliseconds statement_timeout_;  // the session's value now
  std::shared_ptr<PgCancelHandle> cancel_;       // attached to conn_ while leased
  bool broken_ = false;
};

class PgPool {
 public:
  // Does not connect; the first Acquire() does. Throws std::invalid_argument for size 0.
  explicit PgPool(PgPoolOptions options);
  ~PgPool();

  // Throws PgPoolExhausted (a std::runtime_error) after the acquire timeout (the scope's, else
  // the pool's), PgWorkCancelled when the scope's work was cancelled, or
  // pqxx::broken_connection if a new connection cannot be opened.
  PgLease Acquire();

  // Runs `work` inside a transaction on a leased connection and commits. Retries once on a
  // broken connection (with a fresh connection) when the failure happened before commit;
  // any other exception aborts the transaction and propagates.
  template <typename Work>
  auto WithTransaction(Work&& work) {
    for (int attempt = 0;; ++attempt) {
      PgLease lease = Acquire();
      try {
        pqxx::work txn(*lease);
        if constexpr (std::is_void_v<decltype(work(txn))>) {
          work(txn);
          txn.commit();
          return;
        } else {
          auto result = work(txn);
          txn.commit();
          return result;
        }
      } catch (const pqxx::in_doubt_error&) {
        lease.MarkBroken();
        throw;  // the commit may or may not have happened: never retry blindly
      } catch (const pqxx::broken_connection&) {
        lease.MarkBroken();
        if (attempt >= 1) throw;
      }
    }
  }

  std::size_t size() const { return options_.size; }

  // What the pool holds now, for metrics (ess_db_pool_*): connections open (idle + leased),
  // leased, and threads waiting in Acquire() for one to free.
  struct Stats {
    std::size_t open = 0;
    std::size_t in_use = 0;
    std::size_t waiting = 0;
  };
  Stats stats() const;

 private:
  friend class PgLease;
  struct Idle {
    std::unique_ptr<pqxx::connection> conn;
    std::chrono::milliseconds statement_timeout;
  };
  PgLease Lease(Idle idle);  // applies the thread's work limits
  void Return(std::unique_ptr<pqxx::connection> conn, std::chrono::milliseconds statement_timeout,
              bool broken);

  PgPoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<Idle> idle_;
  std::size_t open_ = 0;     // idle + leased
  std::size_t waiting_ = 0;  // threads in Acquire()'s wait
};

// Registers ess_db_pool_size, ess_db_pool_connections{state="in_use"|"idle"} and
// ess_db_pool_waiting, read from `pool` at each scrape; `pool` must outlive the registry's
// scrapes.
void AddPgPoolMetrics(MetricsRegistry& registry, const PgPool& pool);

}  // namespace ess
