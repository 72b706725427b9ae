#pragma once
// Places on the map, for the node's and the hub's searches alike: one box type, one parser of
// the `bbox=` query parameter, one distance (metres, haversine), one grid for map clusters and
// its cap. Degrees are WGS 84; distances are metres (double) everywhere inside the code (the
// HTTP APIs take `radius_km`, their documented parameter).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ess {

struct GeoPoint {
  double latitude = 0, longitude = 0;
};

// Fields in the order of the `bbox=` parameter (Leaflet's toBBoxString()).
struct GeoBox {
  double min_longitude = 0, min_latitude = 0, max_longitude = 0, max_latitude = 0;
};

// A radius search: points within `radius_m` metres of `centre`.
struct GeoCircle {
  GeoPoint centre;
  double radius_m = 0;
};

// Mean Earth radius (IUGG), the one both the C++ and the SQL distance use.
inline constexpr double kEarthRadiusMetres = 6'371'008.8;

// "minLon,minLat,maxLon,maxLat": four finite numbers (no spaces, no empty part), min <= max,
// latitudes within [-90, 90]. Nullopt otherwise (kGeoBoxFormat says what is expected).
std::optional<GeoBox> ParseGeoBox(std::string_view text);
inline constexpr std::string_view kGeoBoxFormat = "minLon,minLat,maxLon,maxLat (min <= max)";

// "latitude,longitude": latitude within [-90, 90], longitude within [-180, 180].
std::optional<GeoPoint> ParseGeoPoint(std::string_view text);

// Great-circle distance in metres (haversine).
double DistanceMetres(GeoPoint a, GeoPoint b);
// The same, as a SQL float8 expression of four SQL expressions (columns or parameters).
std::string SqlDistanceMetres(std::string_view lat1, std::string_view lon1, std::string_view lat2,
                              std::string_view lon2);

// A box holding the whole circle (a pre-filter for an index; the exact test is the distance).
GeoBox BoundingBoxOf(const GeoCircle& circle);
// The box both hold; min > max on an axis when they do not meet (nothing is inside then).
GeoBox Intersection(const GeoBox& a, const GeoBox& b);

// Map clusters: cells of 360 / 2^zoom / 8 degrees (about 32 pixels on 256-pixel Web Mercator
// tiles), zoom clamped to [0, kMaxZoom]; at most kMaxClusters cells, the fullest first.
inline constexpr int kMaxZoom = 20;
inline constexpr std::size_t kMaxClusters = 5'000;
double ClusterCellDegrees(int zoom);

// One cell of a map view, as node and hub answer it: how many initiatives, their mean
// position and, for a cell of a single initiative, which one.
struct MapCluster {
  std::uint64_t count = 0;
  double latitude = 0, longitude = 0;   // mean position of the cell's initiatives
  std::optional<GeoBox> bounds;         // of its points, where the store computes them (hub)
  std::optional<std::string> id, name;  // the initiative, when the cell holds one
  std::optional<std::string> region;    // its region (hub)
  // The initiative's preview, when the cell holds one: family code, commune name, "fresh" or
  // "to_confirm", and "placed", "commune" or "approximate" (its location_precision).
  std::optional<std::string> family, commune_name, freshness, location_precision;
};

// A coordinate as the exports write it: 5 decimals (about a metre).
std::string FormatCoordinate(double degrees);

}  // namespace ess
