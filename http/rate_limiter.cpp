#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ess {

RateLimiter::RateLimiter(const Clock& clock, RateLimit limit) : clock_(clock), limit_(limit) {}

void RateLimiter::Refill(Bucket& bucket, std::int64_t now_ms) const {
  double elapsed_minutes = std::max<std::int64_t>(0, now_ms - bucket.updated_ms) / 60000.0;
  bucket.tokens = std::min(limit_.burst, bucket.tokens + elapsed_minutes * limit_.per_minute);
  bucket.updated_ms = now_ms;
}

void RateLimiter::ForgetIdle(std::int64_t now_ms) {
  if (now_ms - last_sweep_ms_ < 60'000) return;
  last_sweep_ms_ = now_ms;
  const double full_after_ms = limit_.per_minute > 0 ? limit_.burst / limit_.per_minute * 60000.0 : 1e18;
  std::erase_if(buckets_, [&](const auto& item) {
    return static_cast<double>(now_ms - item.second.updated_ms) >= full_after_ms;
  });
}

bool RateLimiter::Allow(const std::string& key) {
  const std::int64_t now_ms = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  ForgetIdle(now_ms);
  auto [it, inserted] = buckets_.try_emplace(key, Bucket{limit_.burst, now_ms});
  Bucket& bucket = it->second;
  if (!inserted) Refill(bucket, now_ms);
  if (bucket.tokens < 1.0) return false;
  bucket.tokens -= 1.0;
  return true;
}

int RateLimiter::RetryAfterSeconds(const std::string& key) {
  const std::int64_t now_ms = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  auto it = buckets_.find(key);
  if (it == buckets_.end() || limit_.per_minute <= 0) return 60;
  Refill(it->second, now_ms);
  double missing = std::max(0.0, 1.0 - it->second.tokens);
  return std::max(1, static_cast<int>(std::ceil(missing / limit_.per_minute * 60.0)));
}

}  // namespace ess
