#include "node/service/search_service.h"

#include <algorithm>

#include "core/geo.h"
#include "core/map_clusters.h"
#include "node/store/search_store.h"

namespace ess::node {

namespace {

// The store's filter for `query` asked by the public or the staff: who may ask what, and the
// defaults of each audience. The words searched take `referential`'s synonyms (null: none).
Result<SearchFilter> FilterFor(const SearchQuery& query, bool staff,
                               const Referential* referential) {
  if (!staff && query.where.freshness == "hidden") {
    return Failure::Of(FailureKind::kForbidden, "forbidden",
                       "Les fiches masquées sont réservées à l'équipe du nœud.");
  }
  if (!staff && query.statuses) {
    return Failure::Of(FailureKind::kForbidden, "forbidden",
                       "Le filtre par statut est réservé à l'équipe du nœud ; la carte publique "
                       "ne montre que les initiatives admises.");
  }
  SearchFilter f;
  f.where = query.where;
  if (referential) f.where.synonyms = referential->synonyms();
  if (!staff && !f.where.freshness) f.where.freshness = "visible";
  if (query.statuses) {
    f.statuses.clear();
    for (InitiativeStatus s : *query.statuses) f.statuses.emplace_back(InitiativeStatusName(s));
  } else if (staff) {
    f.statuses = {"pending", "changes_requested", "admitted", "rejected", "suspended", "withdrawn"};
  }
  return f;
}

}  // namespace

Result<SearchResults> SearchService::Search(const SearchQuery& query, const PageRequest& page,
                                            bool staff) {
  const auto referential = context_.referential.Get();
  auto filter = FilterFor(query, staff, referential.get());
  if (!filter.ok()) return filter.failure();
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  auto found = context_.pool.WithTransaction([&](pqxx::work& txn) {
    return SearchStore(txn).Search(filter.value(), now_millis, page.per_page, page.offset());
  });
  SearchResults results{found.total, page, {}};
  results.items.reserve(found.hits.size());
  for (auto& hit : found.hits) {
    const Freshness freshness = FreshnessAt(hit.initiative, now);
    results.items.push_back({std::move(hit.initiative), freshness, hit.distance_m});
  }
  return results;
}

Result<ClusterList> SearchService::Clusters(const SearchQuery& query, int zoom) {
  const auto referential = context_.referential.Get();
  auto filter = FilterFor(query, /*staff=*/false, referential.get());
  if (!filter.ok()) return filter.failure();
  const UnixMillis now = context_.clock.NowMillis();
  auto clusters = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return SearchStore(txn).Clusters(filter.value(), now, zoom); });
  return ClusterList{zoom, ClusterCellDegrees(zoom), SeparateClusters(std::move(clusters), zoom)};
}

Result<FeedResults> SearchService::Feed(const SearchQuery& query, const PageRequest& page) {
  auto found = Search(query, page, /*staff=*/false);
  if (!found.ok()) return found.failure();
  FeedResults feed{std::move(found.value()), {}};
  std::vector<std::string> ids;
  ids.reserve(feed.results.items.size());
  for (const auto& item : feed.results.items) ids.push_back(item.initiative.id);
  feed.log_index = LatestLogIndexes(ids);
  return feed;
}

std::map<std::string, std::uint64_t> SearchService::LatestLogIndexes(
    const std::vector<std::string>& ids) {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    return SearchStore(txn).LatestLogIndexes(context_.settings.region, ids);
  });
}

PublicChanges SearchService::Changes(const ChangeCursor& after, std::size_t limit) {
  limit = std::clamp<std::size_t>(limit, 1, kMaxChangesPage);
  const std::string& region = context_.settings.region;
  const auto position = after.after.find(region);
  const std::int64_t from =
      position == after.after.end() ? -1 : static_cast<std::int64_t>(position->second);
  auto rows = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return SearchStore(txn).Changes(region, from, limit + 1); });
  const UnixSeconds now = NowSeconds(context_.clock);
  PublicChanges page;
  page.next = after;
  for (auto& row : rows) {
    if (page.changes.size() == limit) {
      page.more = true;
      break;
    }
    PublicChange& change = page.changes.emplace_back();
    change.log_index = row.log_index;
    change.record_id = std::move(row.record_id);
    change.record_version = row.record_version;
    change.status = std::move(row.status);
    change.journalled_at = row.journalled_at;
    if (row.initiative) {
      const Freshness freshness = FreshnessAt(*row.initiative, now);
      change.item = SearchItem{std::move(*row.initiative), freshness, std::nullopt};
    }
    page.next.Advance(region, change.log_index);
  }
  return page;
}

}  // namespace ess::node
