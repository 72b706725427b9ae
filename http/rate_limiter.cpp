#include "http/rate_limiter.h"

#include <algorithm>
#include <cmath>

namespace ess {

void TokenBucket::Refill(const RateLimit& limit, std::int64_t now_ms) {
  const double elapsed_minutes = std::max<std::int64_t>(0, now_ms - updated_ms) / 60000.0;
  tokens = std::min(limit.burst, tokens + elapsed_minutes * limit.per_minute);
  updated_ms = std::max(updated_ms, now_ms);
}

bool TokenBucket::TryTake() {
  if (tokens < 1.0) return false;
  tokens -= 1.0;
  return true;
}

int TokenBucket::RetryAfterSeconds(const RateLimit& limit) const {
  if (limit.per_minute <= 0) return 60;
  const double missing = std::max(0.0, 1.0 - tokens);
  return std::max(1, static_cast<int>(std::ceil(missing / limit.per_minute * 60.0)));
}

double TokenBucket::FullAfterMs(const RateLimit& limit) {
  return limit.per_minute > 0 ? limit.burst / limit.per_minute * 60000.0 : 1e18;
}

InMemoryRateLimiter::InMemoryRateLimiter(const Clock& clock, RateLimit limit)
    : clock_(clock), limit_(limit) {}

void InMemoryRateLimiter::ForgetIdle(std::int64_t now_ms) {
  if (now_ms - last_sweep_ms_ < 60'000) return;
  last_sweep_ms_ = now_ms;
  const double full_after_ms = TokenBucket::FullAfterMs(limit_);
  std::erase_if(buckets_, [&](const auto& item) {
    return static_cast<double>(now_ms - item.second.updated_ms) >= full_after_ms;
  });
}

RateDecision InMemoryRateLimiter::Take(const std::string& key) {
  const std::int64_t now_ms = clock_.NowMillis();
  std::lock_guard lock(mutex_);
  ForgetIdle(now_ms);
  auto [it, inserted] = buckets_.try_emplace(key, TokenBucket::Full(limit_, now_ms));
  TokenBucket& bucket = it->second;
  if (!inserted) bucket.Refill(limit_, now_ms);
  if (bucket.TryTake()) return {};
  return {false, bucket.RetryAfterSeconds(limit_)};
}

}  // namespace ess
