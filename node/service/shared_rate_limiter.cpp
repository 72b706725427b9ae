#include "node/service/shared_rate_limiter.h"

#include "node/store/rate_limit_store.h"

namespace ess::node {

SharedRateLimiter::SharedRateLimiter(PgPool& pool, const Clock& clock, std::string limit_name,
                                     RateLimit limit)
    : pool_(pool),
      clock_(clock),
      limit_name_(std::move(limit_name)),
      limit_(limit),
      flood_(clock, RateLimit{2 * limit.per_minute, 2 * limit.burst}) {}

RateDecision SharedRateLimiter::Take(const std::string& client_address) {
  if (RateDecision flood = flood_.Take(client_address); !flood.allowed) return flood;
  const std::int64_t now_ms = clock_.NowMillis();
  std::int64_t last_sweep = last_sweep_ms_.load();
  const bool sweep =
      now_ms - last_sweep >= 60'000 && last_sweep_ms_.compare_exchange_strong(last_sweep, now_ms);
  return pool_.WithTransaction([&](pqxx::work& txn) {
    RateLimitStore store(txn);
    if (sweep) {
      store.DeleteIdle(limit_name_,
                       now_ms - static_cast<std::int64_t>(TokenBucket::FullAfterMs(limit_)));
    }
    TokenBucket bucket = store.Lock(limit_name_, client_address, TokenBucket::Full(limit_, now_ms));
    bucket.Refill(limit_, now_ms);
    const bool allowed = bucket.TryTake();
    store.Save(limit_name_, client_address, bucket);
    return allowed ? RateDecision{} : RateDecision{false, bucket.RetryAfterSeconds(limit_)};
  });
}

}  // namespace ess::node
