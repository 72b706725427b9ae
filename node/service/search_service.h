#pragma once
// Finding initiatives: the public search (admitted initiatives on the map), the staff search
// (any status, hidden ones too), map clusters for a bounding box and zoom, and the public map
// for the exports and feeds (public fields only).
//
// Typed values in and out: the HTTP adapter reads the query string (core/search_params.h,
// node/api/search_request.h) and writes the JSON (node/api/api_json.h). What the service
// decides is who may ask what (hidden records and the status filter are the staff's), the
// defaults of each audience, and the time the freshness is computed at.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/change_feed.h"
#include "core/search_params.h"
#include "node/domain/failure.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative.h"
#include "node/service/node_context.h"

namespace ess::node {

// What a search or a cluster view asks for.
struct SearchQuery {
  // core's filters; freshness may also be "hidden" (staff only) or "visible" (not hidden).
  // Without freshness the public sees "visible", the staff every record.
  SearchFilters where;
  // The statuses searched (staff only); nullopt: admitted for the public, any for the staff.
  std::optional<std::vector<InitiativeStatus>> statuses;
};

// One initiative found, with its freshness at the time of the search.
struct SearchItem {
  Initiative initiative;
  Freshness freshness = Freshness::kFresh;
  std::optional<double> distance_m;  // metres from where.near's centre, when given
};

// One page of a search: `total` counts every match, `items` the page's (page.per_page at most).
struct SearchResults {
  std::int64_t total = 0;
  PageRequest page;
  std::vector<SearchItem> items;
};

// A page of the exports and feeds (core/public_feeds.h).
struct FeedResults {
  SearchResults results;
  std::map<std::string, std::uint64_t> log_index;
};

// The clusters of a map view: cells of cell_degrees (ClusterCellDegrees(zoom), core/geo.h),
// merged where their markers would overlap (SeparateClusters, core/map_clusters.h).
struct ClusterList {
  int zoom = 0;
  double cell_degrees = 0;
  std::vector<MapCluster> clusters;
};

// One page of the region's change feed (GET /api/changes, docs/interop.md): as at the hub,
// each initiative once at its latest change, in log order; an upsert carries the initiative
// as the search shows it (`item`), a removal its status.
struct PublicChange {
  std::uint64_t log_index = 0;
  std::string record_id;
  std::uint32_t record_version = 0;
  std::string status;
  UnixSeconds journalled_at = 0;
  std::optional<SearchItem> item;
};

struct PublicChanges {
  std::vector<PublicChange> changes;
  ChangeCursor next;  // `after` advanced past this page
  bool more = false;
};

inline constexpr std::size_t kMaxChangesPage = 1000;

class SearchService {
 public:
  explicit SearchService(const NodeContext& context) : context_(context) {}

  // `staff`: an admin or an active committee member asks. Sorted by distance with near, else
  // by relevance with text, else by name. Forbidden (403 `forbidden`) for the public: freshness
  // "hidden", a status list.
  Result<SearchResults> Search(const SearchQuery& query, const PageRequest& page, bool staff);
  // The public map's clusters of the initiatives matching `query` (the public's rules: the
  // same refusals as Search), within query.where.box (the whole map when absent).
  Result<ClusterList> Clusters(const SearchQuery& query, int zoom);
  // Up to `limit` (1..kMaxChangesPage) changes of this region after `after` (positions of
  // other regions are kept as they are).
  PublicChanges Changes(const ChangeCursor& after, std::size_t limit);
  // A page of the public search for the exports and feeds (the public's rules), each
  // initiative with the log index of its latest entry (FeedResults::log_index, by id).
  Result<FeedResults> Feed(const SearchQuery& query, const PageRequest& page);
  // The log index of the latest entry of each of `ids` that has one, by id.
  std::map<std::string, std::uint64_t> LatestLogIndexes(const std::vector<std::string>& ids);

 private:
  const NodeContext& context_;
};

}  // namespace ess::node
