#include "node/store/metrics_reads.h"

namespace ess::node {

NodeMetricsReading ReadNodeMetrics(pqxx::transaction_base& txn, const std::string& region) {
  NodeMetricsReading out;
  auto head = txn.exec_params("SELECT tree_size FROM log_head WHERE region = $1", region);
  if (!head.empty()) out.journal_entries = head[0][0].as<std::uint64_t>();
  auto hub = txn.exec_params(
      "SELECT hub_tree_size FROM hub_replication_state WHERE region = $1 AND "
      "hub_tree_size IS NOT NULL",
      region);
  if (!hub.empty()) out.hub_tree_size = hub[0][0].as<std::uint64_t>();
  const std::uint64_t acknowledged = out.hub_tree_size.value_or(0);
  if (acknowledged < out.journal_entries) {
    // The first entry the hub lacks: how long it has waited (the database's clock).
    auto age = txn.exec_params(
        "SELECT extract(epoch FROM now() - stored_at)::float8 FROM log_entry "
        "WHERE region = $1 AND log_index = $2",
        region, static_cast<std::int64_t>(acknowledged));
    if (!age.empty()) out.oldest_unacknowledged_seconds = std::max(0.0, age[0][0].as<double>());
  }
  for (const auto& row : txn.exec("SELECT state, count(*) FROM import_job GROUP BY state")) {
    out.import_jobs[row[0].c_str()] = row[1].as<std::uint64_t>();
  }
  return out;
}

}  // namespace ess::node
