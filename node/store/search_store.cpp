#include "node/store/search_store.h"

#include "core/freshness.h"
#include "core/geo.h"
#include "core/search_query.h"
#include "node/store/initiative_store.h"
#include "node/store/pg_values.h"

namespace ess::node {

namespace {

// Parameters $1..$14 shared by search and clusters; $7 is the time of the query (UnixMillis);
// $9..$12 the box (core's SearchBox: bbox narrowed to the circle's box), $13, $14 the centre
// of a radius search.
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
    "$12)) ";

// Metres from the centre of a radius search ($13, $14), NULL without one.
const std::string kDistance = "CASE WHEN $13::float8 IS NULL THEN NULL ELSE " +
                              SqlDistanceMetres("i.latitude", "i.longitude", "$13", "$14") + " END";

std::optional<std::string> Num(const std::optional<double>& v) {
  if (!v) return std::nullopt;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", *v);
  return std::string(buf);
}

struct FilterParams {
  std::optional<std::string> tsquery, box[4], near_lat, near_lon, radius_m;
  std::string statuses;
  explicit FilterParams(const SearchFilter& f) : statuses(TextArrayLiteral(f.statuses)) {
    if (f.where.text) tsquery = PrefixTsQuery(*f.where.text, f.where.synonyms);
    if (auto b = SearchBox(f.where)) {
      box[0] = Num(b->min_longitude);
      box[1] = Num(b->min_latitude);
      box[2] = Num(b->max_longitude);
      box[3] = Num(b->max_latitude);
    }
    if (f.where.near) {
      near_lat = Num(f.where.near->centre.latitude);
      near_lon = Num(f.where.near->centre.longitude);
      radius_m = Num(f.where.near->radius_m);
    }
  }
};

template <typename... Extra>
pqxx::result ExecFiltered(pqxx::transaction_base& txn, const char* statement, const SearchFilter& f,
                          const FilterParams& p, UnixMillis now, Extra&&... extra) {
  const SearchFilters& w = f.where;
  return txn.exec_prepared(statement, OrNull(p.tsquery), OrNull(w.department), OrNull(w.commune),
                           OrNull(w.family), OrNull(w.activity), p.statuses, now,
                           OrNull(w.freshness), OrNull(p.box[0]), OrNull(p.box[1]),
                           OrNull(p.box[2]), OrNull(p.box[3]), OrNull(p.near_lat),
                           OrNull(p.near_lon), std::forward<Extra>(extra)...);
}

}  // namespace

void PrepareSearchStatements(pqxx::connection& c) {
  // $15 radius in metres, $16 limit, $17 offset.
  PrepareStatement(c, "search_initiatives",
                   std::string("SELECT * FROM (SELECT ") + kInitiativeColumns + ", " + kDistance +
                       " AS distance_m, CASE WHEN $1::text IS NULL THEN 0 ELSE "
                       "ts_rank(i.search, to_tsquery('ess_french', $1)) END AS rank "
                       "FROM initiative i WHERE " +
                       kFilterWhere +
                       ") AS hit WHERE ($13::float8 IS NULL OR distance_m <= $15::float8) "
                       "ORDER BY CASE WHEN $13::float8 IS NULL THEN NULL ELSE distance_m END ASC "
                       "NULLS LAST, CASE WHEN $1::text IS NULL THEN NULL ELSE rank END DESC NULLS "
                       "LAST, name, initiative_id LIMIT $16 OFFSET $17");
  PrepareStatement(c, "search_count",
                   std::string("SELECT count(*) FROM initiative i WHERE ") + kFilterWhere +
                       " AND ($13::float8 IS NULL OR " + kDistance + " <= $15::float8)");
  // $15 radius in metres, $16 cell size in degrees, $17 maximum clusters.
  PrepareStatement(c, "search_clusters",
                   std::string("SELECT count(*), avg(i.latitude), avg(i.longitude), "
                               "CASE WHEN count(*) = 1 THEN min(i.initiative_id::text) END, "
                               "CASE WHEN count(*) = 1 THEN min(i.name) END, "
                               "CASE WHEN count(*) = 1 THEN min(i.family) END, "
                               "CASE WHEN count(*) = 1 THEN min(i.commune_name) END, "
                               "CASE WHEN count(*) = 1 THEN CASE WHEN bool_or(") +
                       SqlToConfirm("i.valid_until", "i.hide_after", "$7") +
                       ") THEN 'to_confirm' ELSE 'fresh' END END, "
                       "CASE WHEN count(*) = 1 THEN min(i.location_precision) END "
                       "FROM initiative i WHERE " +
                       kFilterWhere + " AND ($13::float8 IS NULL OR " + kDistance +
                       " <= $15::float8) "
                       "GROUP BY floor(i.longitude / $16::float8), floor(i.latitude / $16::float8) "
                       "ORDER BY count(*) DESC LIMIT $17");
  PrepareStatement(
      c, "latest_log_indexes",
      "SELECT DISTINCT ON (record_id) record_id::text, log_index FROM log_entry "
      "WHERE region = $1 AND kind = 'initiative' AND record_id = ANY($2::text[]::uuid[]) "
      "ORDER BY record_id, record_version DESC");
  // The initiative's columns first (InitiativeFromRow), then the entry's. The latest entry of
  // a record is the one no later version follows (log_entry_by_record); "once admitted" reads
  // the status of the record's journalled revisions.
  PrepareStatement(
      c, "public_changes",
      std::string("SELECT i.*, e.log_index AS change_log_index, e.record_id::text AS change_id, "
                  "e.record_version AS change_version, e.operation AS change_operation, "
                  "extract(epoch from e.stored_at)::bigint AS change_journalled_at "
                  "FROM log_entry e LEFT JOIN LATERAL (SELECT ") +
          kInitiativeColumns +
          " FROM initiative WHERE initiative_id = e.record_id) i ON true "
          "WHERE e.region = $1 AND e.kind = 'initiative' AND e.log_index > $2 "
          "AND NOT EXISTS (SELECT 1 FROM log_entry l WHERE l.region = e.region "
          "AND l.record_id = e.record_id AND l.record_version > e.record_version) "
          "AND (e.operation = 'erase' OR EXISTS (SELECT 1 FROM log_entry a "
          "WHERE a.region = e.region AND a.record_id = e.record_id AND a.payload IS NOT NULL "
          "AND convert_from(a.payload, 'UTF8')::jsonb ->> 'status' = 'admitted')) "
          "ORDER BY e.log_index LIMIT $3");
}

SearchPage SearchStore::Search(const SearchFilter& f, UnixMillis now, std::size_t limit,
                               std::size_t offset) {
  FilterParams p(f);
  SearchPage page;
  for (const auto& row :
       ExecFiltered(txn_, "search_initiatives", f, p, now, OrNull(p.radius_m), limit, offset)) {
    SearchHit hit{InitiativeFromRow(row), std::nullopt};
    if (!row["distance_m"].is_null()) hit.distance_m = row["distance_m"].as<double>();
    page.hits.push_back(std::move(hit));
  }
  page.total =
      ExecFiltered(txn_, "search_count", f, p, now, OrNull(p.radius_m))[0][0].as<std::int64_t>();
  return page;
}

std::vector<MapCluster> SearchStore::Clusters(const SearchFilter& f, UnixMillis now, int zoom) {
  FilterParams p(f);
  std::vector<MapCluster> out;
  for (const auto& row : ExecFiltered(txn_, "search_clusters", f, p, now, OrNull(p.radius_m),
                                      ClusterCellDegrees(zoom), kMaxClusters)) {
    MapCluster c;
    c.count = row[0].as<std::uint64_t>();
    c.latitude = row[1].as<double>();
    c.longitude = row[2].as<double>();
    c.id = OptionalText(row[3]);
    c.name = OptionalText(row[4]);
    c.family = OptionalText(row[5]);
    c.commune_name = OptionalText(row[6]);
    c.freshness = OptionalText(row[7]);
    c.location_precision = OptionalText(row[8]);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<ChangeRow> SearchStore::Changes(const std::string& region, std::int64_t after,
                                            std::size_t limit) {
  std::vector<ChangeRow> out;
  for (const auto& row : txn_.exec_prepared("public_changes", region, after, limit)) {
    ChangeRow& change = out.emplace_back();
    change.log_index = row["change_log_index"].as<std::uint64_t>();
    change.record_id = row["change_id"].as<std::string>();
    change.record_version = row["change_version"].as<std::uint32_t>();
    change.journalled_at = row["change_journalled_at"].as<UnixSeconds>();
    if (row["change_operation"].as<std::string>() == "erase") {
      change.status = "erased";
    } else if (!row[0].is_null()) {
      Initiative initiative = InitiativeFromRow(row);
      change.status = std::string(InitiativeStatusName(initiative.status));
      if (initiative.status == InitiativeStatus::kAdmitted)
        change.initiative = std::move(initiative);
    }
  }
  return out;
}

std::map<std::string, std::uint64_t> SearchStore::LatestLogIndexes(
    const std::string& region, const std::vector<std::string>& ids) {
  std::map<std::string, std::uint64_t> out;
  if (ids.empty()) return out;
  for (const auto& row : txn_.exec_prepared("latest_log_indexes", region, TextArrayLiteral(ids)))
    out.emplace(row[0].as<std::string>(), row[1].as<std::uint64_t>());
  return out;
}

}  // namespace ess::node
