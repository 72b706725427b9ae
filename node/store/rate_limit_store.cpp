#include "node/store/rate_limit_store.h"

#include "node/store/pg_values.h"

namespace ess::node {

void PrepareRateLimitStatements(pqxx::connection& c) {
  // On conflict the no-op update locks the existing row and returns it as it is.
  PrepareStatement(
      c, "rate_limit_bucket_lock",
      "INSERT INTO rate_limit_bucket AS b (limit_name, client_address, tokens, updated_ms) "
      "VALUES ($1, $2, $3, $4) "
      "ON CONFLICT (limit_name, client_address) DO UPDATE SET tokens = b.tokens "
      "RETURNING tokens, updated_ms");
  PrepareStatement(c, "rate_limit_bucket_save",
                   "UPDATE rate_limit_bucket SET tokens = $3, updated_ms = $4 "
                   "WHERE limit_name = $1 AND client_address = $2");
  PrepareStatement(c, "rate_limit_bucket_delete_idle",
                   "DELETE FROM rate_limit_bucket WHERE limit_name = $1 AND updated_ms < $2");
}

TokenBucket RateLimitStore::Lock(const std::string& limit_name, const std::string& client_address,
                                 const TokenBucket& fresh) {
  auto row = txn_.exec_prepared1("rate_limit_bucket_lock", limit_name, client_address, fresh.tokens,
                                 fresh.updated_ms);
  return {row[0].as<double>(), row[1].as<std::int64_t>()};
}

void RateLimitStore::Save(const std::string& limit_name, const std::string& client_address,
                          const TokenBucket& bucket) {
  txn_.exec_prepared("rate_limit_bucket_save", limit_name, client_address, bucket.tokens,
                     bucket.updated_ms);
}

void RateLimitStore::DeleteIdle(const std::string& limit_name, std::int64_t before_ms) {
  txn_.exec_prepared("rate_limit_bucket_delete_idle", limit_name, before_ms);
}

}  // namespace ess::node
