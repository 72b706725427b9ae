#include "core/pg_pool.h"

#include <stdexcept>
#include <utility>

#include <spdlog/spdlog.h>

namespace ess {

PgLease::PgLease(PgPool* pool, std::unique_ptr<pqxx::connection> conn)
    : pool_(pool), conn_(std::move(conn)) {}

PgLease::PgLease(PgLease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), broken_(other.broken_) {
  other.pool_ = nullptr;
}

PgLease::~PgLease() {
  if (pool_ != nullptr && conn_ != nullptr) pool_->Return(std::move(conn_), broken_);
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

PgLease PgPool::Acquire() {
  const auto deadline = std::chrono::steady_clock::now() + options_.acquire_timeout;
  std::unique_lock lock(mutex_);
  for (;;) {
    while (!idle_.empty()) {
      std::unique_ptr<pqxx::connection> conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->is_open()) return PgLease(this, std::move(conn));
      // Known dead (libpq saw the socket close): free its slot and look again.
      --open_;
      lock.unlock();
      conn.reset();
      lock.lock();
    }
    if (open_ < options_.size) {
      // Reserve the slot, then connect without holding the lock: connecting takes a round
      // trip or more and other threads may meanwhile return or take idle connections.
      ++open_;
      lock.unlock();
      try {
        auto conn = OpenConnection(options_);
        spdlog::debug("PgPool: opened connection (backend pid {})", conn->backendpid());
        return PgLease(this, std::move(conn));
      } catch (...) {
        lock.lock();
        --open_;
        lock.unlock();
        available_.notify_one();  // a waiter may use the slot we failed to fill
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        open_ >= options_.size) {
      throw std::runtime_error("PgPool: no connection available within " +
                               std::to_string(options_.acquire_timeout.count()) + " ms (all " +
                               std::to_string(options_.size) + " leased)");
    }
  }
}

void PgPool::Return(std::unique_ptr<pqxx::connection> conn, bool broken) {
  std::unique_ptr<pqxx::connection> doomed;
  {
    std::lock_guard lock(mutex_);
    if (broken || !conn->is_open()) {
      --open_;
      doomed = std::move(conn);
    } else {
      idle_.push_back(std::move(conn));  // capacity reserved: does not throw
    }
  }
  available_.notify_one();
  if (doomed) {
    spdlog::warn("PgPool: dropping a broken connection; the next Acquire() opens a new one");
    doomed.reset();  // closing is I/O: done outside the lock
  }
}

}  // namespace ess
