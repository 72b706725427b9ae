#pragma once
// Per-client rate limiting: one token bucket per key (the client address), refilled
// continuously at `per_minute` tokens a minute up to `burst`. TokenBucket is the rule;
// InMemoryRateLimiter keeps the buckets in this process, node::SharedRateLimiter
// (node/service/shared_rate_limiter.h) keeps them in PostgreSQL, shared by every process
// of a node on one database.

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace ess {

struct RateLimit {
  double per_minute = 10;
  double burst = 10;
};

// One client's bucket at `updated_ms` (milliseconds of the injected clock).
struct TokenBucket {
  double tokens = 0;
  std::int64_t updated_ms = 0;

  static TokenBucket Full(const RateLimit& limit, std::int64_t now_ms) {
    return {limit.burst, now_ms};
  }
  // Adds what `limit` refilled since updated_ms (none if the clock went back), up to the burst.
  void Refill(const RateLimit& limit, std::int64_t now_ms);
  // Takes one token: false when there is none (the request is refused, nothing taken).
  bool TryTake();
  // Seconds until one token is back (at least 1), for Retry-After.
  int RetryAfterSeconds(const RateLimit& limit) const;
  // How long an untouched bucket takes to be full again: older buckets can be forgotten.
  static double FullAfterMs(const RateLimit& limit);
};

// What a limiter answers for one request.
struct RateDecision {
  bool allowed = true;
  int retry_after_seconds = 0;  // when refused
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Takes one token for `key`, or says when to try again (answer 429 with Retry-After).
  virtual RateDecision Take(const std::string& key) = 0;
};

// The buckets in memory, per process: behind a load balancer each process limits on its own.
// Thread-safe. Buckets idle long enough to be full again are forgotten, so memory stays
// bounded by the number of recently active clients.
class InMemoryRateLimiter final : public RateLimiter {
 public:
  // `clock` must outlive the limiter.
  InMemoryRateLimiter(const Clock& clock, RateLimit limit);

  RateDecision Take(const std::string& key) override;

 private:
  void ForgetIdle(std::int64_t now_ms);

  const Clock& clock_;
  RateLimit limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, TokenBucket> buckets_;
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace ess
