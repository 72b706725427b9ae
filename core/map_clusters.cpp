#include "core/map_clusters.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <numbers>
#include <utility>

namespace ess {

namespace {

constexpr double kMaxMercatorLatitude = 85.0511287798;
// Passes that move merged markers to their mean; a last pass keeps them where they are.
constexpr int kMeanPasses = 8;

struct Group {
  MapCluster cluster;
  PixelPoint at;
  bool merged = false;
  double sum_latitude = 0, sum_longitude = 0;  // weighted by count, while merging
};

std::optional<GeoBox> Union(const std::optional<GeoBox>& a, const std::optional<GeoBox>& b) {
  if (!a || !b) return std::nullopt;
  return GeoBox{
      std::min(a->min_longitude, b->min_longitude), std::min(a->min_latitude, b->min_latitude),
      std::max(a->max_longitude, b->max_longitude), std::max(a->max_latitude, b->max_latitude)};
}

// One greedy pass, the fullest first: a group within the spacing of a kept one joins the
// nearest such; the others are kept. Kept groups stay at their place during the pass, so
// they are pairwise at least the spacing apart. With `move_to_mean`, merged groups then
// move to their mean position. True if any group merged.
bool MergePass(std::vector<Group>& groups, int zoom, bool move_to_mean) {
  std::stable_sort(groups.begin(), groups.end(), [](const Group& a, const Group& b) {
    return a.cluster.count > b.cluster.count;
  });
  const double s = kClusterSpacingPixels;
  std::map<std::pair<std::int64_t, std::int64_t>, std::vector<std::size_t>> buckets;
  std::vector<Group> kept;
  bool any = false;
  for (Group& g : groups) {
    const auto bx = static_cast<std::int64_t>(std::floor(g.at.x / s));
    const auto by = static_cast<std::int64_t>(std::floor(g.at.y / s));
    std::size_t best = kept.size();
    double best_distance = 0;
    for (std::int64_t dx = -1; dx <= 1; ++dx) {
      for (std::int64_t dy = -1; dy <= 1; ++dy) {
        auto it = buckets.find({bx + dx, by + dy});
        if (it == buckets.end()) continue;
        for (std::size_t k : it->second) {
          const double ax = std::abs(kept[k].at.x - g.at.x), ay = std::abs(kept[k].at.y - g.at.y);
          if (ax >= s || ay >= s) continue;
          const double d = std::hypot(ax, ay);
          if (best == kept.size() || d < best_distance) best = k, best_distance = d;
        }
      }
    }
    if (best == kept.size()) {
      const double w = static_cast<double>(g.cluster.count);
      g.sum_latitude = g.cluster.latitude * w;
      g.sum_longitude = g.cluster.longitude * w;
      buckets[{bx, by}].push_back(kept.size());
      kept.push_back(std::move(g));
      continue;
    }
    any = true;
    Group& into = kept[best];
    const double w = static_cast<double>(g.cluster.count);
    into.sum_latitude += g.cluster.latitude * w;
    into.sum_longitude += g.cluster.longitude * w;
    MapCluster merged;
    merged.count = into.cluster.count + g.cluster.count;
    merged.latitude = into.cluster.latitude;
    merged.longitude = into.cluster.longitude;
    merged.bounds = Union(into.cluster.bounds, g.cluster.bounds);
    into.cluster = std::move(merged);
    into.merged = true;
  }
  if (move_to_mean) {
    for (Group& g : kept) {
      if (!g.merged) continue;
      const double w = static_cast<double>(g.cluster.count);
      g.cluster.latitude = g.sum_latitude / w;
      g.cluster.longitude = g.sum_longitude / w;
      g.at = WorldPixel(g.cluster.latitude, g.cluster.longitude, zoom);
    }
  }
  groups = std::move(kept);
  return any;
}

}  // namespace

PixelPoint WorldPixel(double latitude, double longitude, int zoom) {
  const double world = 256.0 * std::pow(2.0, std::clamp(zoom, 0, kMaxZoom));
  const double lat =
      std::clamp(latitude, -kMaxMercatorLatitude, kMaxMercatorLatitude) * std::numbers::pi / 180;
  return {(longitude + 180) / 360 * world,
          (1 - std::log(std::tan(lat) + 1 / std::cos(lat)) / std::numbers::pi) / 2 * world};
}

std::vector<MapCluster> SeparateClusters(std::vector<MapCluster> cells, int zoom) {
  std::vector<Group> groups;
  groups.reserve(cells.size());
  for (auto& c : cells) {
    const PixelPoint at = WorldPixel(c.latitude, c.longitude, zoom);
    groups.push_back({std::move(c), at});
  }
  // Moving a merged marker to its mean may bring it near another: merge again until stable;
  // the last pass keeps markers where they are, which leaves them apart in any case.
  for (int pass = 0; pass <= kMeanPasses; ++pass) {
    if (!MergePass(groups, zoom, /*move_to_mean=*/pass < kMeanPasses)) break;
  }
  std::vector<MapCluster> out;
  out.reserve(groups.size());
  for (auto& g : groups) out.push_back(std::move(g.cluster));
  std::stable_sort(out.begin(), out.end(),
                   [](const MapCluster& a, const MapCluster& b) { return a.count > b.count; });
  return out;
}

}  // namespace ess
