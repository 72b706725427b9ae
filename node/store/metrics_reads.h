#pragma once
// What the node's metrics read from its database at each scrape (node/node_metrics.h): the
// journal's size, the hub's acknowledged copy, the age of the oldest entry the hub does not
// hold yet, and import jobs by state. Read from PostgreSQL rather than counted in the
// process, so that several node processes on one database report the same values.

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include <pqxx/pqxx>

namespace ess::node {

struct NodeMetricsReading {
  std::uint64_t journal_entries = 0;
  std::optional<std::uint64_t> hub_tree_size;        // never heard from the hub: none
  double oldest_unacknowledged_seconds = 0;          // 0 when the hub holds every entry
  std::map<std::string, std::uint64_t> import_jobs;  // state -> jobs (states present only)
};

NodeMetricsReading ReadNodeMetrics(pqxx::transaction_base& txn, const std::string& region);

}  // namespace ess::node
