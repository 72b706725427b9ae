#include "node/node_metrics.h"

#include <memory>

#include "node/store/metrics_reads.h"

namespace ess::node {

namespace {

// ImportJobStore's states (node/sql/060_import_jobs.sql).
constexpr const char* kImportStates[] = {"queued",    "validating", "committing",
                                         "succeeded", "rejected",   "failed"};

// The uploader's states (node/replication/hub_uploader.h).
constexpr const char* kReplicationStates[] = {"starting", "replicating", "caught_up", "retrying",
                                              "refused",  "hub_ahead",   "forked",    "stopped"};

}  // namespace

void AddNodeMetrics(MetricsRegistry& registry, PgPool& pool, std::string region) {
  Gauge& entries =
      registry.AddGauge("ess_node_journal_entries", "Entrées du journal de la région").With();
  Gauge& acknowledged = registry
                            .AddGauge("ess_node_replication_acknowledged_entries",
                                      "Entrées du journal que le hub a dit détenir")
                            .With();
  Gauge& lag_entries = registry
                           .AddGauge("ess_node_replication_lag_entries",
                                     "Entrées du journal que le hub ne détient pas encore")
                           .With();
  Gauge& lag_seconds =
      registry
          .AddGauge("ess_node_replication_lag_seconds",
                    "Ancienneté de la plus ancienne entrée que le hub ne détient pas (0 : aucune)")
          .With();
  GaugeFamily& jobs = registry.AddGauge("ess_node_import_jobs", "Imports CSV par état", {"state"});
  for (const char* state : kImportStates) jobs.With({state});
  registry.OnScrape([&pool, region = std::move(region), &entries, &acknowledged, &lag_entries,
                     &lag_seconds, &jobs] {
    PgWorkScope bounded({std::chrono::milliseconds(2000), std::chrono::milliseconds(2000)});
    const NodeMetricsReading r =
        pool.WithTransaction([&](pqxx::work& txn) { return ReadNodeMetrics(txn, region); });
    const auto held = r.hub_tree_size.value_or(0);
    entries.Set(static_cast<double>(r.journal_entries));
    acknowledged.Set(static_cast<double>(held));
    lag_entries.Set(held < r.journal_entries ? static_cast<double>(r.journal_entries - held) : 0);
    lag_seconds.Set(r.oldest_unacknowledged_seconds);
    for (const char* state : kImportStates) {
      auto it = r.import_jobs.find(state);
      jobs.With({state}).Set(it == r.import_jobs.end() ? 0 : static_cast<double>(it->second));
    }
  });
}

void AddReplicationMetrics(MetricsRegistry& registry, std::function<ReplicationProbe()> probe) {
  Gauge& reachable =
      registry.AddGauge("ess_node_hub_reachable", "1 quand le canal gRPC vers le hub est établi")
          .With();
  GaugeFamily& state =
      registry.AddGauge("ess_node_replication_state",
                        "État de la réplication vers le hub (1 : l'état actuel)", {"state"});
  for (const char* s : kReplicationStates) state.With({s});
  Counter& sessions = registry
                          .AddCounter("ess_node_replication_sessions_total",
                                      "Flux de réplication ouverts vers le hub")
                          .With();
  Counter& batches =
      registry.AddCounter("ess_node_replication_batches_accepted_total", "Lots acceptés par le hub")
          .With();
  // The uploader counts since its start; the counters follow by the difference.
  auto seen = std::make_shared<std::pair<std::uint64_t, std::uint64_t>>(0, 0);
  registry.OnScrape([probe = std::move(probe), &reachable, &state, &sessions, &batches, seen] {
    const ReplicationProbe p = probe();
    reachable.Set(p.hub_reachable ? 1 : 0);
    for (const char* s : kReplicationStates) state.With({s}).Set(p.state == s ? 1 : 0);
    if (p.sessions > seen->first) sessions.Inc(static_cast<double>(p.sessions - seen->first));
    if (p.batches_accepted > seen->second)
      batches.Inc(static_cast<double>(p.batches_accepted - seen->second));
    *seen = {std::max(seen->first, p.sessions), std::max(seen->second, p.batches_accepted)};
  });
}

}  // namespace ess::node
