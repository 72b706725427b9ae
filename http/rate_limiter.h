#pragma once
// Per-client rate limiting for public endpoints: one token bucket per key (the client
// address), refilled continuously at `per_minute` tokens a minute up to `burst`. In memory,
// per process: behind a load balancer each instance limits on its own, which bounds abuse
// by the number of instances.
//
// Thread-safe. Buckets idle long enough to be full again are forgotten, so memory stays
// bounded by the number of recently active clients.

#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

#include "core/clock.h"

namespace ess {

struct RateLimit {
  double per_minute = 10;
  double burst = 10;
};

class RateLimiter {
 public:
  // `clock` must outlive the limiter.
  RateLimiter(const Clock& clock, RateLimit limit);

  // Takes one token for `key`; false when the bucket is empty (answer 429).
  bool Allow(const std::string& key);
  // Seconds until `key` may try again (at least 1), for Retry-After.
  int RetryAfterSeconds(const std::string& key);

 private:
  struct Bucket {
    double tokens = 0;
    std::int64_t updated_ms = 0;
  };
  void Refill(Bucket& bucket, std::int64_t now_ms) const;
  void ForgetIdle(std::int64_t now_ms);

  const Clock& clock_;
  RateLimit limit_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::int64_t last_sweep_ms_ = 0;
};

}  // namespace ess
