#pragma once
// Search over initiatives in PostgreSQL: French full-text (ess_french: unaccent + French
// stemmer) with prefix matching, filters, bounding box, radius with distance (haversine on
// plain latitude/longitude columns, pre-filtered by a box on their index), pagination, grid
// clusters for a map view, and the list of the public map for exports. One prepared
// statement each; absent filters are NULL parameters. Freshness filters are core's rule
// (core/freshness.h) at `now`, in UnixMillis.

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/freshness.h"
#include "node/domain/initiative.h"

namespace ess::node {

void PrepareSearchStatements(pqxx::connection& conn);

struct BoundingBox {
  double min_longitude, min_latitude, max_longitude, max_latitude;
};

struct SearchFilter {
  std::optional<std::string> tsquery;  // from core's PrefixTsQuery() (core/search_query.h)
  std::optional<std::string> department, commune, family, activity;
  std::vector<std::string> statuses = {"admitted"};
  std::optional<std::string> freshness;  // "fresh", "to_confirm", "hidden", "visible" or none
  std::optional<BoundingBox> bbox;
  std::optional<double> near_latitude, near_longitude, radius_km;
};

struct SearchHit {
  Initiative initiative;
  std::optional<double> distance_km;
};

struct SearchPage {
  std::vector<SearchHit> hits;
  std::int64_t total = 0;
};

struct MapCluster {
  std::int64_t count = 0;
  double latitude = 0, longitude = 0;     // mean position of the cell's initiatives
  std::optional<std::string> initiative;  // its id when the cell holds one
  std::optional<std::string> name;
};

class SearchStore {
 public:
  explicit SearchStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // Sorted by distance when near_* is set, else by relevance when tsquery is set, else by name.
  SearchPage Search(const SearchFilter& filter, UnixMillis now, std::size_t limit,
                    std::size_t offset);
  // Grid cells of `cell_degrees` over filter.bbox (required) of the visible admitted initiatives.
  std::vector<MapCluster> Clusters(const SearchFilter& filter, UnixMillis now, double cell_degrees);
  // Admitted initiatives on the public map (not past hide_after), by name.
  std::vector<Initiative> PublicMap(UnixMillis now);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
