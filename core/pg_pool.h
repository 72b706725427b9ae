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

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <vector>

#include <pqxx/pqxx>

namespace ess {

struct PgPoolOptions {
  std::string connection_string;  // libpq URI or key=value string
  std::size_t size = 4;
  std::chrono::milliseconds acquire_timeout{10'000};
  // Runs once per new connection, e.g. to call conn.prepare(...).
  std::function<void(pqxx::connection&)> on_connect;
};

class PgPool;

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
  PgLease(PgPool* pool, std::unique_ptr<pqxx::connection> conn);
  PgPool* pool_;
  std::unique_ptr<pqxx::connection> conn_;
  bool broken_ = false;
};

class PgPool {
 public:
  // Does not connect; the first Acquire() does. Throws std::invalid_argument for size 0.
  explicit PgPool(PgPoolOptions options);
  ~PgPool();

  // Throws std::runtime_error after acquire_timeout, or pqxx::broken_connection if a new
  // connection cannot be opened.
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

 private:
  friend class PgLease;
  void Return(std::unique_ptr<pqxx::connection> conn, bool broken);

  PgPoolOptions options_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  std::size_t open_ = 0;  // idle + leased
};

}  // namespace ess
