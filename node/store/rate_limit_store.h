#pragma once
// The token buckets of the shared rate limits (node/sql/210_rate_limit_buckets.sql).

#include <cstdint>
#include <string>

#include <pqxx/pqxx>

#include "http/rate_limiter.h"

namespace ess::node {

void PrepareRateLimitStatements(pqxx::connection& conn);

class RateLimitStore {
 public:
  explicit RateLimitStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // The bucket of (`limit_name`, `client_address`), locked until the transaction ends;
  // `fresh` is stored and returned when there is none yet.
  TokenBucket Lock(const std::string& limit_name, const std::string& client_address,
                   const TokenBucket& fresh);
  void Save(const std::string& limit_name, const std::string& client_address,
            const TokenBucket& bucket);
  // Deletes the buckets of `limit_name` last counted before `before_ms`.
  void DeleteIdle(const std::string& limit_name, std::int64_t before_ms);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
