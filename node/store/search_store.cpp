#include "node/store/search_store.h"

#include "core/freshness.h"
#include "node/store/initiative_store.h"
#include "node/store/pg_values.h"

namespace ess::node {

namespace {

// Parameters $1..$15 shared by search and clusters; $7 is the time of the query (UnixMillis).
const std::string kFilterWhere =
    "($1::text IS NULL OR i.search @@ to_tsquery('ess_french', $1)) "
    "AND ($2::text IS NULL OR i.department = $2) "
    "AND ($3::text IS NULL OR i.commune = $3) "
    "AND ($4::text IS NULL OR i.family = $4) "
    "AND ($5::text IS NULL OR i.activities @> ARRAY[$5::text]) "
    "AND i.status = ANY($6::text[]) "
    "AND (CASE $8::text WHEN 'fresh' THEN " +
    SqlFresh("i.valid_until", "$7") + "  WHEN 'to_confirm' THEN " +
    SqlToConfirm("i.valid_until", "i.hide_after", "$7") + "  WHEN 'hidden' THEN " +
    SqlHidden("i.hide_after", "$7") + "  WHEN 'visible' THEN " + SqlVisible("i.hide_after", "$7") +
    " ELSE true END) "
    "AND ($9::float8 IS NULL OR (i.longitude BETWEEN $9 AND $11 AND i.latitude BETWEEN $10 AND "
    "$12)) "
    "AND ($13::float8 IS NULL OR (i.latitude BETWEEN $13 - $15 / 111.2 AND $13 + $15 / 111.2 "
    "  AND i.longitude BETWEEN $14 - $15 / (111.2 * greatest(cos(radians($13)), 0.01)) "
    "  AND $14 + $15 / (111.2 * greatest(cos(radians($13)), 0.01))))";

constexpr const char* kDistance =
    "CASE WHEN $13::float8 IS NULL THEN NULL ELSE 6371.0 * 2 * asin(least(1, sqrt("
    "power(sin(radians(i.latitude - $13) / 2), 2) + cos(radians($13)) * cos(radians(i.latitude)) * "
    "power(sin(radians(i.longitude - $14) / 2), 2)))) END";

std::optional<std::string> Num(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.8f", *v);
  return std::string(buf);
}

struct FilterParams {
  std::optional<std::string> bbox[4], near_lat, near_lon, radius;
  std::string statuses;
  explicit FilterParams(const SearchFilter& f) : statuses(TextArray(f.statuses)) {
    if (f.bbox) {
      bbox[0] = Num(f.bbox->min_longitude);
      bbox[1] = Num(f.bbox->min_latitude);
      bbox[2] = Num(f.bbox->max_longitude);
      bbox[3] = Num(f.bbox->max_latitude);
    }
    near_lat = Num(f.near_latitude);
    near_lon = Num(f.near_longitude);
    radius = Num(f.radius_km);
  }
};

}  // namespace

void PrepareSearchStatements(pqxx::connection& c) {
  PrepareStatement(c, "search_initiatives",
                   std::string("SELECT * FROM (SELECT ") + kInitiativeColumns + ", " + kDistance +
                       " AS distance_km, CASE WHEN $1::text IS NULL THEN 0 ELSE "
                       "ts_rank(i.search, to_tsquery('ess_french', $1)) END AS rank "
                       "FROM initiative i WHERE " + kFilterWhere +
                       ") AS hit WHERE ($13::float8 IS NULL OR distance_km <= $15) "
                       "ORDER BY CASE WHEN $13::float8 IS NULL THEN NULL ELSE distance_km END ASC NULLS LAST, "
                       "CASE WHEN $1::text IS NULL THEN NULL ELSE rank END DESC NULLS LAST, name, initiative_id "
                       "LIMIT $16 OFFSET $17");
  PrepareStatement(c, "search_count",
                   std::string("SELECT count(*) FROM initiative i WHERE ") + kFilterWhere +
                       " AND ($13::float8 IS NULL OR " + kDistance + " <= $15)");
  PrepareStatement(c, "search_clusters",
                   std::string("SELECT count(*), avg(i.latitude), avg(i.longitude), "
                               "CASE WHEN count(*) = 1 THEN min(i.initiative_id::text) END, "
                               "CASE WHEN count(*) = 1 THEN min(i.name) END "
                               "FROM initiative i WHERE ") + kFilterWhere +
                       " GROUP BY floor(i.longitude / $16::float8), floor(i.latitude / $16::float8) "
                       "ORDER BY count(*) DESC LIMIT 2000");
  PrepareStatement(c, "public_map",
                   std::string("SELECT ") + kInitiativeColumns +
                       " FROM initiative WHERE status = 'admitted' AND " +
                       SqlVisible("hide_after", "$1") + " ORDER BY name, initiative_id");
}

SearchPage SearchStore::Search(const SearchFilter& f, UnixMillis now, std::size_t limit,
                               std::size_t offset) {
  FilterParams p(f);
  SearchPage page;
  auto rows = txn_.exec_prepared("search_initiatives", OrNull(f.tsquery), OrNull(f.department),
                                 OrNull(f.commune), OrNull(f.family), OrNull(f.activity), p.statuses, now,
                                 OrNull(f.freshness), OrNull(p.bbox[0]), OrNull(p.bbox[1]), OrNull(p.bbox[2]),
                                 OrNull(p.bbox[3]), OrNull(p.near_lat), OrNull(p.near_lon), OrNull(p.radius),
                                 limit, offset);
  for (const auto& row : rows) {
    SearchHit hit{InitiativeFromRow(row), std::nullopt};
    if (!row["distance_km"].is_null()) hit.distance_km = row["distance_km"].as<double>();
    page.hits.push_back(std::move(hit));
  }
  page.total = txn_.exec_prepared("search_count", OrNull(f.tsquery), OrNull(f.department), OrNull(f.commune),
                                  OrNull(f.family), OrNull(f.activity), p.statuses, now, OrNull(f.freshness),
                                  OrNull(p.bbox[0]), OrNull(p.bbox[1]), OrNull(p.bbox[2]), OrNull(p.bbox[3]),
                                  OrNull(p.near_lat), OrNull(p.near_lon), OrNull(p.radius))[0][0]
                   .as<std::int64_t>();
  return page;
}

std::vector<MapCluster> SearchStore::Clusters(const SearchFilter& f, UnixMillis now,
                                              double cell_degrees) {
  FilterParams p(f);
  std::vector<MapCluster> out;
  for (const auto& row : txn_.exec_prepared(
           "search_clusters", OrNull(f.tsquery), OrNull(f.department), OrNull(f.commune), OrNull(f.family),
           OrNull(f.activity), p.statuses, now, OrNull(f.freshness), OrNull(p.bbox[0]), OrNull(p.bbox[1]),
           OrNull(p.bbox[2]), OrNull(p.bbox[3]), OrNull(p.near_lat), OrNull(p.near_lon), OrNull(p.radius),
           cell_degrees)) {
    out.push_back({row[0].as<std::int64_t>(), row[1].as<double>(), row[2].as<double>(), OptionalText(row[3]),
                   OptionalText(row[4])});
  }
  return out;
}

std::vector<Initiative> SearchStore::PublicMap(UnixMillis now) {
  std::vector<Initiative> out;
  for (const auto& row : txn_.exec_prepared("public_map", now)) out.push_back(InitiativeFromRow(row));
  return out;
}

}  // namespace ess::node
