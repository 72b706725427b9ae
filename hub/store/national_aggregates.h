#pragma once
// The national view's aggregates (hub/sql/041_national_aggregates.sql,
// docs/decisions/0012-national-aggregates.md): the map's cluster grid per zoom and the
// dashboard's counters, which the database keeps in step with the national tables in the
// transaction that writes them. NationalQueries reads them for the filters they hold and
// falls back on the tables otherwise; both give the same answer.
//
// The aggregates count the records as they stand at one instant (swept_at). A read at `now`
// uses them when no hide_after (clusters) nor valid_until (indicators) lies between now and
// that instant; when one does and now is later, the read first sweeps them to now
// (national_aggregates_sweep, in the reader's transaction). A read whose now is earlier than
// the sweep and across an instant gets nullopt: the caller reads the tables.
// Call PrepareNationalAggregatesStatements() on every new connection.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/freshness.h"
#include "core/geo.h"
#include "hub/store/national_queries.h"

namespace ess::hub {

void PrepareNationalAggregatesStatements(pqxx::connection& conn);

// Cells of a grid, both ends included: x = floor(longitude / cell), y = floor(latitude / cell).
struct CellRange {
  int min_x = 0, min_y = 0, max_x = 0, max_y = 0;
};
// The cells `box` meets, as SQL's floor(longitude / cell) numbers them (IEEE division on both
// sides), clamped to +-2e9.
CellRange CellsMeeting(const GeoBox& box, double cell_degrees);

// The filters of a map view the grid holds.
struct ClusterGridFilters {
  std::optional<std::string> region, department, family;
  std::optional<CellRange> cells;  // whole cells (the tables' query keeps whole cells too)
};

// The aggregates during one replicated batch of `region` (decision 0012, "Bulk catch-up").
// When the region's node is still more than `backlog_limit` entries ahead once the batch is
// applied (`backlog`: its head less the hub's new one), the batch's national writes leave the
// aggregates alone and the region is marked deferred: readers use the tables for it, the
// sweep passes it by. The first batch that leaves the node no further ahead than that counts
// the region's aggregates again from the tables (Finish(), in the batch's transaction), so a
// catch-up of N entries counts each once instead of maintaining them N / batch times.
// Construct before the national writes, Finish() after them.
class NationalAggregatesDuringBatch {
 public:
  NationalAggregatesDuringBatch(pqxx::transaction_base& txn, const std::string& region,
                                std::uint64_t backlog, std::uint64_t backlog_limit);
  void Finish();

 private:
  pqxx::transaction_base& txn_;
  std::string region_;
  bool bulk_;              // this batch defers
  bool deferred_ = false;  // the triggers are off for this batch
};

class NationalAggregates {
 public:
  NationalAggregates(pqxx::transaction_base& txn, UnixMillis now) : txn_(txn), now_(now) {}

  // As NationalQueries::Clusters() for these filters; `cell_degrees` is the text the tables'
  // query divides by (the grid answers only when it holds that very size). Nullopt when the grid
  // does not hold `zoom` or cannot answer at now.
  std::optional<std::vector<MapCluster>> Clusters(const ClusterGridFilters& filters, int zoom,
                                                  const std::string& cell_degrees);
  // As NationalQueries::ComputeIndicators(). Nullopt when the period does not start and end
  // at UTC midnights or the counters cannot answer at now.
  std::optional<Indicators> ComputeIndicators(const IndicatorFilters& filters);

 private:
  // Sweeps to now when the last read said it may; true when it swept.
  bool SweepIfLater(bool later);

  pqxx::transaction_base& txn_;
  UnixMillis now_;
};

}  // namespace ess::hub
