#pragma once
// Search over initiatives in PostgreSQL: French full-text (ess_french: unaccent + French
// stemmer) with core's tsquery (core/search_query.h), filters, bounding box, radius with
// distance in metres (core/geo.h: haversine on plain latitude/longitude columns, pre-filtered
// by the circle's box on their index), pagination, grid clusters for a map view (core's cell
// size and cap), and the list of the public map for exports. One prepared statement each;
// absent filters are NULL parameters. Freshness filters are core's rule (core/freshness.h) at
// `now`, in UnixMillis; where.freshness may also be "hidden" or "visible" (the node's staff).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/freshness.h"
#include "core/search_params.h"
#include "node/domain/initiative.h"

namespace ess::node {

void PrepareSearchStatements(pqxx::connection& conn);

// core's filters (core/search_params.h; region and legal_form are the hub's, never set here)
// and the statuses searched: admitted for the public map, any for the node's staff.
struct SearchFilter {
  SearchFilters where;
  std::vector<std::string> statuses = {"admitted"};
};

struct SearchHit {
  Initiative initiative;
  std::optional<double> distance_m;  // with where.near
};

struct SearchPage {
  std::vector<SearchHit> hits;
  std::int64_t total = 0;
};

// One change of the region's public view (GET /api/changes): an initiative's latest journal
// entry. `initiative` is its row when that revision is admitted (an upsert), else nullopt (a
// removal: `status` is its revision's, "erased" after an erase entry).
struct ChangeRow {
  std::uint64_t log_index = 0;
  std::string record_id;
  std::uint32_t record_version = 0;
  std::string status;
  UnixSeconds journalled_at = 0;
  std::optional<Initiative> initiative;
};

class SearchStore {
 public:
  explicit SearchStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // Sorted by distance when where.near is set, else by relevance when where.text is, else by
  // name. Words with nothing searchable in them ("' & !(") filter nothing, as an empty q.
  SearchPage Search(const SearchFilter& filter, UnixMillis now, std::size_t limit,
                    std::size_t offset);
  // Grid cells of ClusterCellDegrees(zoom), the fullest kMaxClusters first (core/geo.h); a cell
  // of one initiative carries its id, name, family, commune name, freshness (at `now`) and
  // location precision.
  std::vector<MapCluster> Clusters(const SearchFilter& filter, UnixMillis now, int zoom);
  // The log index of the latest entry of each of `ids` (initiative ids of `region`) that has
  // one, by id.
  std::map<std::string, std::uint64_t> LatestLogIndexes(const std::string& region,
                                                        const std::vector<std::string>& ids);
  // Up to `limit` initiatives of `region` whose latest entry is after `after` (-1: from the
  // start), in log order, among those once admitted (every erased one: its revisions' payloads
  // are gone).
  std::vector<ChangeRow> Changes(const std::string& region, std::int64_t after, std::size_t limit);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
