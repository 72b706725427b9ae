#pragma once
// The node's own series (docs/operations.md, "Metrics, readiness and logs"), next to the HTTP
// server's (http/http_server.h) and the pool's (core/pg_pool.h).

#include <cstdint>
#include <functional>
#include <string>

#include "core/metrics.h"
#include "core/pg_pool.h"

namespace ess::node {

// Read from the database at each scrape (node/store/metrics_reads.h):
//   ess_node_journal_entries                    entries in the region's journal
//   ess_node_replication_acknowledged_entries   entries the hub said it holds
//   ess_node_replication_lag_entries            the difference
//   ess_node_replication_lag_seconds            age of the oldest entry the hub lacks (0: none)
//   ess_node_import_jobs{state}                 import jobs by state
// `pool` must outlive the registry's scrapes.
void AddNodeMetrics(MetricsRegistry& registry, PgPool& pool, std::string region);

// What the process knows of its replication, asked at each scrape.
struct ReplicationProbe {
  std::string state;  // HubUploader's: "starting", "replicating", "caught_up", "retrying"...
  std::uint64_t sessions = 0;          // streams opened to the hub since the start
  std::uint64_t batches_accepted = 0;  // since the start
  bool hub_reachable = false;          // the gRPC channel to the hub is ready
};

// ess_node_hub_reachable, ess_node_replication_state{state} (1 for the current one),
// ess_node_replication_sessions_total and ess_node_replication_batches_accepted_total.
void AddReplicationMetrics(MetricsRegistry& registry, std::function<ReplicationProbe()> probe);

}  // namespace ess::node
