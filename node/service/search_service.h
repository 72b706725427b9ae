#pragma once
// Finding initiatives: the public search (admitted initiatives on the map), the staff search
// (any status, hidden ones too), map clusters for a bounding box and zoom, and the exports
// of the public map (CSV and GeoJSON, public fields only).
//
// Query parameters (all optional), read by core (core/search_params.h) as at the hub: q
// (words, prefix match on the last), department, commune, family, activity, freshness (fresh |
// to_confirm | hidden (staff) | visible), bbox=minLon,minLat,maxLon,maxLat, near=lat,lon with
// radius_km (default 10, at most 500; results sorted by distance), page (from 1), per_page
// (1..100, default 20); the node's own: status (staff only, comma-separated). Clusters: bbox
// (required) and zoom (0..20, required).

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "node/domain/failure.h"
#include "node/service/node_context.h"

namespace ess::node {

using QueryParams = std::multimap<std::string, std::string>;

class SearchService {
 public:
  explicit SearchService(const NodeContext& context) : context_(context) {}

  // {"total", "page", "per_page", "items": [public view + "distance_m" (metres, with near)]}.
  Result<nlohmann::json> Search(const QueryParams& query, bool staff);
  // {"zoom", "cell_degrees", "clusters": [{"count", "latitude", "longitude", "id"?, "name"?}]}.
  Result<nlohmann::json> Clusters(const QueryParams& query);
  // The public map as CSV (header row, comma-separated, activities joined with "|").
  std::string ExportCsv();
  // The public map as a GeoJSON FeatureCollection (properties: the public payload fields).
  nlohmann::json ExportGeoJson();

 private:
  const NodeContext& context_;
};

}  // namespace ess::node
