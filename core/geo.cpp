#include "core/geo.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "core/parse_number.h"

namespace ess {

namespace {

constexpr double kRadiansPerDegree = std::numbers::pi / 180;

// Exactly `count` comma-separated numbers.
template <std::size_t count>
std::optional<std::array<double, count>> Numbers(std::string_view text) {
  std::array<double, count> out{};
  for (std::size_t i = 0; i < count; ++i) {
    const auto comma = text.find(',');
    if ((i + 1 < count) == (comma == std::string_view::npos)) return std::nullopt;
    auto v = ParseNumber<double>(text.substr(0, comma));
    if (!v) return std::nullopt;
    out[i] = *v;
    if (comma != std::string_view::npos) text.remove_prefix(comma + 1);
  }
  return out;
}

bool IsLatitude(double v) { return v >= -90 && v <= 90; }

}  // namespace

std::optional<GeoBox> ParseGeoBox(std::string_view text) {
  auto v = Numbers<4>(text);
  if (!v) return std::nullopt;
  GeoBox box{(*v)[0], (*v)[1], (*v)[2], (*v)[3]};
  if (box.min_longitude > box.max_longitude || box.min_latitude > box.max_latitude ||
      !IsLatitude(box.min_latitude) || !IsLatitude(box.max_latitude)) {
    return std::nullopt;
  }
  return box;
}

std::optional<GeoPoint> ParseGeoPoint(std::string_view text) {
  auto v = Numbers<2>(text);
  if (!v || !IsLatitude((*v)[0]) || (*v)[1] < -180 || (*v)[1] > 180) return std::nullopt;
  return GeoPoint{(*v)[0], (*v)[1]};
}

double DistanceMetres(GeoPoint a, GeoPoint b) {
  const double dlat = (b.latitude - a.latitude) * kRadiansPerDegree;
  const double dlon = (b.longitude - a.longitude) * kRadiansPerDegree;
  const double h = std::pow(std::sin(dlat / 2), 2) + std::cos(a.latitude * kRadiansPerDegree) *
                                                         std::cos(b.latitude * kRadiansPerDegree) *
                                                         std::pow(std::sin(dlon / 2), 2);
  return 2 * kEarthRadiusMetres * std::asin(std::min(1.0, std::sqrt(h)));
}

std::string SqlDistanceMetres(std::string_view lat1, std::string_view lon1, std::string_view lat2,
                              std::string_view lon2) {
  const std::string a(lat1), o(lon1), b(lat2), p(lon2);
  char radius[32];
  std::snprintf(radius, sizeof radius, "%.1f", kEarthRadiusMetres);
  return "(2 * " + std::string(radius) + " * asin(least(1, sqrt(power(sin(radians(" + b + " - " +
         a + ") / 2), 2) + cos(radians(" + a + ")) * cos(radians(" + b + ")) * power(sin(radians(" +
         p + " - " + o + ") / 2), 2)))))";
}

GeoBox BoundingBoxOf(const GeoCircle& c) {
  const double angle = c.radius_m / kEarthRadiusMetres;  // radians along the great circle
  const double dlat = angle / kRadiansPerDegree;
  // The widest longitude the circle reaches is asin(sin(angle) / cos(latitude)); around a
  // pole (or wider than a hemisphere) it spans every longitude.
  const double cos_lat = std::cos(c.centre.latitude * kRadiansPerDegree);
  const double reach = angle < std::numbers::pi / 2 ? std::sin(angle) : 1;
  if (reach >= cos_lat) return {-180, c.centre.latitude - dlat, 180, c.centre.latitude + dlat};
  const double dlon = std::asin(reach / cos_lat) / kRadiansPerDegree;
  return {c.centre.longitude - dlon, c.centre.latitude - dlat, c.centre.longitude + dlon,
          c.centre.latitude + dlat};
}

GeoBox Intersection(const GeoBox& a, const GeoBox& b) {
  return {std::max(a.min_longitude, b.min_longitude), std::max(a.min_latitude, b.min_latitude),
          std::min(a.max_longitude, b.max_longitude), std::min(a.max_latitude, b.max_latitude)};
}

double ClusterCellDegrees(int zoom) {
  zoom = std::clamp(zoom, 0, kMaxZoom);
  return 360.0 / std::pow(2.0, zoom) / 8;
}

std::string FormatCoordinate(double degrees) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.5f", degrees);
  return buf;
}

}  // namespace ess
