#pragma once
// A rate limit shared by every node process on one database: the token buckets
// (http/rate_limiter.h) live in PostgreSQL (node/store/rate_limit_store.h), so two processes
// behind one address give a client the limit once, not once each. Each Take() is one short
// transaction that locks the client's bucket row.
//
// In front of it, per process, an in-memory limiter at twice the rate and burst refuses a
// flood without any database work; it never refuses a client within the shared limit.
// Buckets idle long enough to be full again are deleted, at most once a minute per process.
//
// Database faults propagate (NodeApi answers them 503, like the write they guard).

#include <atomic>
#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/pg_pool.h"
#include "http/rate_limiter.h"

namespace ess::node {

class SharedRateLimiter final : public RateLimiter {
 public:
  // `limit_name` keeps this limit's buckets apart from the others' in the table.
  // `pool` and `clock` must outlive the limiter.
  SharedRateLimiter(PgPool& pool, const Clock& clock, std::string limit_name, RateLimit limit);

  RateDecision Take(const std::string& client_address) override;

 private:
  PgPool& pool_;
  const Clock& clock_;
  std::string limit_name_;
  RateLimit limit_;
  InMemoryRateLimiter flood_;
  std::atomic<std::int64_t> last_sweep_ms_{0};
};

}  // namespace ess::node
