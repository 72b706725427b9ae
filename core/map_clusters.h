#pragma once
// Map clusters that never overlap on screen, for the node's and the hub's /api/map/clusters.
//
// The stores group points in grid cells of ClusterCellDegrees(zoom) (core/geo.h, about 32
// pixels) and place each cell's marker at the mean position of its points, so the markers of
// two neighbouring cells can lie a few pixels apart, whatever the cell size; the maps draw a
// cluster up to 58 pixels wide. SeparateClusters merges the cells whose markers would come
// closer than kClusterSpacingPixels on either axis at `zoom` on 256-pixel Web Mercator tiles
// (Leaflet's default), so that any two markers at most that wide and high are disjoint. The
// page draws at the zoom it asked or above (it asks the whole zoom below a fractional one):
// on screen markers are never closer than asked.

#include <vector>

#include "core/geo.h"

namespace ess {

// The least distance, on either screen axis, between two cluster markers' centres; the maps'
// markers are at most this wide and high (web/common/map.js DrawClusters).
inline constexpr double kClusterSpacingPixels = 60;

// Merges `cells` (any order; the stores give the fullest first) until no two markers lie
// within kClusterSpacingPixels of each other on both axes at `zoom` (clamped to [0, kMaxZoom]).
// A merged cluster counts its cells' points, sits at their mean position (weighted by count)
// and has the union of their bounds (none if a cell has none); it names no initiative. A cell
// left alone is returned as it came (a single point keeps its id and preview). The result is
// the fullest first.
std::vector<MapCluster> SeparateClusters(std::vector<MapCluster> cells, int zoom);

// The position of a point in pixels of the whole world map at `zoom` (Web Mercator, 256-pixel
// tiles): x from the antimeridian eastwards, y from the north edge southwards. Latitudes are
// clamped to Web Mercator's +-85.0511 degrees.
struct PixelPoint {
  double x = 0, y = 0;
};
PixelPoint WorldPixel(double latitude, double longitude, int zoom);

}  // namespace ess
