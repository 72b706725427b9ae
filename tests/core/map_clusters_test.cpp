// core/map_clusters.h: the clusters node and hub answer never overlap on screen.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>

#include "core/map_clusters.h"

using namespace ess;

namespace {

MapCluster Cell(double latitude, double longitude, std::uint64_t count) {
  MapCluster c;
  c.count = count;
  c.latitude = latitude;
  c.longitude = longitude;
  c.bounds = GeoBox{longitude, latitude, longitude, latitude};
  if (count == 1) {
    c.id = "id";
    c.name = "Une initiative";
  }
  return c;
}

// True if two markers lie within the spacing on both axes (their boxes would overlap).
bool AnyTooClose(const std::vector<MapCluster>& clusters, int zoom) {
  for (std::size_t i = 0; i < clusters.size(); ++i) {
    const PixelPoint a = WorldPixel(clusters[i].latitude, clusters[i].longitude, zoom);
    for (std::size_t j = i + 1; j < clusters.size(); ++j) {
      const PixelPoint b = WorldPixel(clusters[j].latitude, clusters[j].longitude, zoom);
      if (std::abs(a.x - b.x) < kClusterSpacingPixels &&
          std::abs(a.y - b.y) < kClusterSpacingPixels)
        return true;
    }
  }
  return false;
}

std::uint64_t Total(const std::vector<MapCluster>& clusters) {
  std::uint64_t n = 0;
  for (const auto& c : clusters) n += c.count;
  return n;
}

}  // namespace

TEST_CASE("WorldPixel is Leaflet's Web Mercator on 256-pixel tiles") {
  CHECK(WorldPixel(0, -180, 0).x == doctest::Approx(0));
  CHECK(WorldPixel(0, 0, 0).x == doctest::Approx(128));
  CHECK(WorldPixel(0, 0, 0).y == doctest::Approx(128));
  CHECK(WorldPixel(0, 0, 3).x == doctest::Approx(1024));
  CHECK(WorldPixel(85.0511287798, 0, 0).y == doctest::Approx(0).epsilon(1e-6));
  CHECK(WorldPixel(90, 0, 0).y == WorldPixel(85.0511287798, 0, 0).y);  // clamped
  // Marseille at zoom 5, as Leaflet's EPSG:3857 projects it (R ln tan(pi/4 + lat/2), scaled
  // by 0.5 / (pi R) and 256 * 2^5 pixels): {4218.19, 3000.90}.
  CHECK(WorldPixel(43.2965, 5.3698, 5).x == doctest::Approx(4218.19).epsilon(1e-5));
  CHECK(WorldPixel(43.2965, 5.3698, 5).y == doctest::Approx(3000.90).epsilon(1e-5));
}

TEST_CASE("two neighbouring cells whose markers nearly touch become one cluster") {
  // Cells of 32 pixels at zoom 5 (1.40625 degrees): the means of these two lie either side of
  // the line between them, 0.1 degree (2.3 pixels) apart, as the grid alone answered them.
  const double edge = 5 * ClusterCellDegrees(5);
  auto out = SeparateClusters({Cell(43.5, edge - 0.05, 40), Cell(43.5, edge + 0.05, 10)}, 5);
  REQUIRE(out.size() == 1);
  CHECK(out[0].count == 50);
  CHECK(out[0].longitude == doctest::Approx(edge - 0.05 + 0.1 * 10 / 50));  // weighted mean
  CHECK(out[0].latitude == doctest::Approx(43.5));
  REQUIRE(out[0].bounds);
  CHECK(out[0].bounds->min_longitude == doctest::Approx(edge - 0.05));
  CHECK(out[0].bounds->max_longitude == doctest::Approx(edge + 0.05));
  CHECK_FALSE(out[0].id);
}

TEST_CASE("markers far enough apart are left as they came, single points with their id") {
  // 3 degrees apart at zoom 5: about 68 pixels.
  auto out = SeparateClusters({Cell(45, 2, 1), Cell(45, 5, 7)}, 5);
  REQUIRE(out.size() == 2);
  CHECK(out[0].count == 7);  // the fullest first
  CHECK(out[1].count == 1);
  CHECK(out[1].id == "id");
  CHECK(out[1].name == "Une initiative");
  CHECK(out[1].longitude == 2);
  // The same two at zoom 4 are 34 pixels apart: merged, and no longer a single initiative.
  auto merged = SeparateClusters({Cell(45, 2, 1), Cell(45, 5, 7)}, 4);
  REQUIRE(merged.size() == 1);
  CHECK(merged[0].count == 8);
  CHECK_FALSE(merged[0].id);
}

TEST_CASE("a cell without bounds makes a merged cluster without bounds") {
  MapCluster a = Cell(45, 2, 3), b = Cell(45, 2.1, 2);
  b.bounds.reset();
  auto out = SeparateClusters({a, b}, 5);
  REQUIRE(out.size() == 1);
  CHECK_FALSE(out[0].bounds);
}

TEST_CASE("a dense region at a phone's zoom: no two markers within the spacing, no point lost") {
  // 3,000 points over Provence-Alpes-Côte d'Azur as the grid cells them, at the zooms a phone
  // (390 pixels wide: 5 for France, 7 for the region) and a desktop ask.
  std::mt19937 random(14);
  std::uniform_real_distribution<double> lat(43.0, 45.1), lon(4.3, 7.7);
  for (int zoom : {3, 5, 7, 9, 12}) {
    const double cell = ClusterCellDegrees(zoom);
    std::map<std::pair<long, long>, MapCluster> grid;
    for (int i = 0; i < 3000; ++i) {
      const double la = lat(random), lo = lon(random);
      auto& c = grid[{std::lround(std::floor(la / cell)), std::lround(std::floor(lo / cell))}];
      c.latitude = (c.latitude * c.count + la) / (c.count + 1);
      c.longitude = (c.longitude * c.count + lo) / (c.count + 1);
      ++c.count;
      c.bounds = GeoBox{lo, la, lo, la};  // any box: the test is about positions
    }
    std::vector<MapCluster> cells;
    for (auto& [key, c] : grid) cells.push_back(c);
    CAPTURE(zoom);
    CHECK(AnyTooClose(cells, zoom));  // what the stores answer alone
    auto out = SeparateClusters(cells, zoom);
    CHECK_FALSE(AnyTooClose(out, zoom));
    CHECK(Total(out) == 3000);
    for (std::size_t i = 1; i < out.size(); ++i) CHECK(out[i - 1].count >= out[i].count);
  }
}
