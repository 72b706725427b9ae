#include "hub/store/national_queries.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "core/bytes.h"
#include "core/freshness.h"
#include "core/pg_fields.h"
#include "core/search_query.h"
#include "hub/store/national_aggregates.h"

namespace ess::hub {

namespace {

// Parameters $1..$16 of every filtered statement; $1 is the time of the query (UnixMillis).
const std::string kToConfirm = SqlToConfirm("valid_until", "hide_after", "$1");

const std::string kFilter =
    " " + SqlVisible("hide_after", "$1") +
    " AND ($2::text IS NULL OR search @@ to_tsquery('ess_french', $2))"
    " AND ($3::text IS NULL OR region = $3)"
    " AND ($4::text IS NULL OR department = $4)"
    " AND ($5::text IS NULL OR commune = $5)"
    " AND ($6::text IS NULL OR family = $6)"
    " AND ($7::text IS NULL OR legal_form = $7)"
    " AND ($8::text IS NULL OR activities @> ARRAY[$8::text])"
    " AND ($9::text IS NULL OR ($9 = 'to_confirm') = " +
    kToConfirm +
    ")"
    " AND ($10::float8 IS NULL OR location <@ box(point($10, $11), point($12, $13)))"
    " AND ($16::float8 IS NULL OR " +
    SqlDistanceMetres("latitude", "longitude", "$14", "$15") + " <= $16) ";

// Metres from the centre of a radius search ($14, $15).
const std::string kDistance = SqlDistanceMetres("latitude", "longitude", "$14", "$15");

const std::string kRecordColumns =
    "region, record_id::text, record_version, log_index, name, family, legal_form, "
    "array_to_json(activities)::text, description, address, postcode, commune, "
    "coalesce(commune_name, ''), department, latitude, longitude, email, phone, website, siret, "
    "employer, offers::text, charter_version, " +
    SqlRfc3339("charter_adhered_at") + ", " + SqlRfc3339("created_at") + ", " +
    SqlRfc3339("updated_at") + ", " + SqlRfc3339("confirmed_at") + ", " +
    SqlRfc3339("valid_until") + ", " + SqlRfc3339("hide_after") + ", " + SqlRfc3339("admitted_at") +
    ", " + kToConfirm + ", location_precision";
constexpr int kRecordColumnCount = 32;

const char* OrNull(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

struct FilterArgs {
  std::int64_t now = 0;
  std::optional<std::string> query, region, department, commune, family, legal_form, activity,
      freshness;
  std::optional<std::string> min_lon, min_lat, max_lon, max_lat, near_lat, near_lon, radius_m;
};

FilterArgs ToArgs(const SearchFilters& f, std::int64_t now) {
  FilterArgs a;
  a.now = now;
  if (f.text) a.query = PrefixTsQuery(*f.text, f.synonyms);
  a.region = f.region;
  a.department = f.department;
  a.commune = f.commune;
  a.family = f.family;
  a.legal_form = f.legal_form;
  a.activity = f.activity;
  a.freshness = f.freshness;
  if (f.near) {
    a.near_lat = Num(f.near->centre.latitude);
    a.near_lon = Num(f.near->centre.longitude);
    a.radius_m = Num(f.near->radius_m);
  }
  // The circle's bounding box narrows the index scan; the distance test is exact.
  if (auto box = SearchBox(f)) {
    a.min_lon = Num(box->min_longitude);
    a.min_lat = Num(box->min_latitude);
    a.max_lon = Num(box->max_longitude);
    a.max_lat = Num(box->max_latitude);
  }
  return a;
}

template <typename... Extra>
pqxx::result ExecFiltered(pqxx::transaction_base& txn, const char* statement, const FilterArgs& a,
                          Extra&&... extra) {
  return txn.exec_prepared(statement, a.now, OrNull(a.query), OrNull(a.region),
                           OrNull(a.department), OrNull(a.commune), OrNull(a.family),
                           OrNull(a.legal_form), OrNull(a.activity), OrNull(a.freshness),
                           OrNull(a.min_lon), OrNull(a.min_lat), OrNull(a.max_lon),
                           OrNull(a.max_lat), OrNull(a.near_lat), OrNull(a.near_lon),
                           OrNull(a.radius_m), std::forward<Extra>(extra)...);
}

NationalRecord ReadRecord(const pqxx::row& row, int at = 0) {
  NationalRecord r;
  r.region = row[at + 0].as<std::string>();
  r.record_id = row[at + 1].as<std::string>();
  r.record_version = row[at + 2].as<std::uint32_t>();
  r.log_index = row[at + 3].as<std::uint64_t>();
  r.name = row[at + 4].as<std::string>();
  r.family = row[at + 5].as<std::string>();
  r.legal_form = row[at + 6].as<std::string>();
  for (const auto& a : nlohmann::json::parse(row[at + 7].as<std::string>())) {
    r.activities.push_back(a.get<std::string>());
  }
  r.description = row[at + 8].as<std::string>();
  r.address = OptionalText(row[at + 9]);
  r.postcode = OptionalText(row[at + 10]);
  r.commune = row[at + 11].as<std::string>();
  r.commune_name = row[at + 12].as<std::string>();
  r.department = row[at + 13].as<std::string>();
  r.latitude = row[at + 14].as<double>();
  r.longitude = row[at + 15].as<double>();
  r.email = OptionalText(row[at + 16]);
  r.phone = OptionalText(row[at + 17]);
  r.website = OptionalText(row[at + 18]);
  r.siret = OptionalText(row[at + 19]);
  if (!row[at + 20].is_null()) r.employer = row[at + 20].as<bool>();
  r.offers_json = row[at + 21].as<std::string>();
  if (!row[at + 22].is_null()) r.charter_version = row[at + 22].as<std::int64_t>();
  r.charter_adhered_at = OptionalText(row[at + 23]);
  r.created_at = OptionalText(row[at + 24]);
  r.updated_at = OptionalText(row[at + 25]);
  r.confirmed_at = OptionalText(row[at + 26]);
  r.valid_until = OptionalText(row[at + 27]);
  r.hide_after = OptionalText(row[at + 28]);
  r.admitted_at = row[at + 29].as<std::string>();
  r.to_confirm = row[at + 30].as<bool>();
  r.location_precision = row[at + 31].as<std::string>();
  return r;
}

std::vector<CountBy> Counts(const pqxx::result& rows) {
  std::vector<CountBy> out;
  for (const auto& row : rows) out.push_back({row[0].as<std::string>(), "", row[1].as<std::uint64_t>()});
  return out;
}

}  // namespace

std::string EncodeNameCursor(const NameCursor& cursor) {
  const std::string text =
      nlohmann::json::array({cursor.name_key, cursor.region, cursor.record_id}).dump();
  std::string out = ToBase64(AsBytes(text));
  // base64url without padding: it travels in a query string as it is.
  std::replace(out.begin(), out.end(), '+', '-');
  std::replace(out.begin(), out.end(), '/', '_');
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

std::optional<NameCursor> DecodeNameCursor(std::string_view text) {
  if (text.empty() || text.size() > 1024) return std::nullopt;
  std::string b64(text);
  std::replace(b64.begin(), b64.end(), '-', '+');
  std::replace(b64.begin(), b64.end(), '_', '/');
  while (b64.size() % 4) b64.push_back('=');
  auto bytes = FromBase64(b64);
  if (!bytes) return std::nullopt;
  auto j = nlohmann::json::parse(bytes->begin(), bytes->end(), nullptr, false);
  if (!j.is_array() || j.size() != 3 || !j[0].is_string() || !j[1].is_string() ||
      !j[2].is_string()) {
    return std::nullopt;
  }
  NameCursor c{j[0].get<std::string>(), j[1].get<std::string>(), j[2].get<std::string>()};
  // A record id is a UUID: anything else would fail in SQL.
  if (c.record_id.size() != 36 || c.region.empty()) return std::nullopt;
  for (std::size_t i = 0; i < c.record_id.size(); ++i) {
    const char ch = c.record_id[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? ch != '-' : !std::isxdigit(static_cast<unsigned char>(ch))) return std::nullopt;
  }
  return c;
}

void PrepareNationalQueriesStatements(pqxx::connection& c) {
  // $17 sort, $18 limit, $19 offset, $20..$22 the name cursor (NULL: from the start).
  c.prepare("national_search",
            "SELECT " + kRecordColumns + ", CASE WHEN $14::float8 IS NOT NULL THEN " + kDistance +
                " END, name_key FROM national_initiative WHERE " + kFilter +
                "AND ($20::text IS NULL OR (name_key, region, record_id) > ($20, $21, $22::uuid)) "
                "ORDER BY CASE WHEN $17 = 'distance' AND $14::float8 IS NOT NULL THEN " +
                kDistance +
                " END ASC NULLS LAST, "
                "CASE WHEN $17 = 'relevance' AND $2::text IS NOT NULL THEN "
                "ts_rank(search, to_tsquery('ess_french', $2)) END DESC NULLS LAST, "
                "name_key, region, record_id LIMIT $18 OFFSET $19");
  // Counts up to $17 matches, never more.
  c.prepare(
      "national_search_count",
      "SELECT count(*) FROM (SELECT 1 FROM national_initiative WHERE " + kFilter + "LIMIT $17) m");
  // Relevance over the first $17 matches (all of them when fewer), ranked, with their count:
  // one statement, and a broad keyword never ranks more than the cap. $18 limit, $19 offset.
  c.prepare("national_search_ranked",
            "WITH m AS MATERIALIZED (SELECT * FROM national_initiative WHERE " + kFilter +
                "LIMIT $17) SELECT " + kRecordColumns +
                ", CASE WHEN $14::float8 IS NOT NULL THEN " + kDistance +
                " END, name_key, (SELECT count(*) FROM m) FROM m "
                "ORDER BY ts_rank(search, to_tsquery('ess_french', $2)) DESC, "
                "name_key, region, record_id LIMIT $18 OFFSET $19");
  // A broad match in name order: the next $20 rows of the name index after the cursor
  // ($17..$19), read in order (the CTE's LIMIT keeps the planner from sorting the whole
  // match), the first $21 of them that match, each with where the chunk ended and its size.
  c.prepare("national_search_name_scan",
            "WITH chunk AS MATERIALIZED (SELECT * FROM national_initiative "
            "WHERE (name_key, region, record_id) > ($17, $18, $19::uuid) "
            "ORDER BY name_key, region, record_id LIMIT $20) "
            "SELECT e.name_key, e.region, e.record_id::text, e.scanned, f.* FROM "
            "(SELECT name_key, region, record_id, (SELECT count(*) FROM chunk) AS scanned "
            "FROM chunk ORDER BY name_key DESC, region DESC, record_id DESC LIMIT 1) e "
            "LEFT JOIN LATERAL (SELECT " +
                kRecordColumns + ", CASE WHEN $14::float8 IS NOT NULL THEN " + kDistance +
                " END, name_key FROM chunk WHERE " + kFilter +
                "ORDER BY name_key, region, record_id LIMIT $21) f ON true");
  // $17 cell size in degrees, $18 maximum clusters, $19..$22 the cells of a map view (min x,
  // min y, max x, max y: every cell the view's box meets, whole; $10..$13 holds them all).
  c.prepare("national_clusters",
            "SELECT count(*), avg(latitude), avg(longitude), min(latitude), min(longitude), "
            "max(latitude), max(longitude), "
            "CASE WHEN count(*) = 1 THEN min(region) END, "
            "CASE WHEN count(*) = 1 THEN min(record_id::text) END, "
            "CASE WHEN count(*) = 1 THEN min(name) END, "
            "CASE WHEN count(*) = 1 THEN min(family) END, "
            "CASE WHEN count(*) = 1 THEN min(coalesce(commune_name, '')) END, "
            "CASE WHEN count(*) = 1 THEN CASE WHEN bool_or(" +
                kToConfirm +
                ") THEN 'to_confirm' ELSE 'fresh' END END, "
                "CASE WHEN count(*) = 1 THEN min(location_precision) END "
                "FROM national_initiative WHERE " +
                kFilter +
                "AND ($19::integer IS NULL OR (floor(longitude / $17::float8) BETWEEN $19 AND $21 "
                "AND floor(latitude / $17::float8) BETWEEN $20 AND $22)) "
                "GROUP BY floor(longitude / $17::float8), floor(latitude / $17::float8) "
                "ORDER BY count(*) DESC, floor(longitude / $17::float8), "
                "floor(latitude / $17::float8) LIMIT $18");
  PrepareNationalAggregatesStatements(c);
  // One range scan of national_initiative_state_by_log per region (hub/sql/050), from the
  // cursor's position for that region ($4 regions, $5 their log indexes).
  c.prepare(
      "national_changes",
      "SELECT s.region, s.record_id::text, s.record_version, s.log_index, s.status, " +
          SqlRfc3339("s.changed_at") +
          ", r.* FROM (SELECT region FROM hub_region WHERE $3::text IS NULL OR region = $3) g "
          "CROSS JOIN LATERAL (SELECT * FROM national_initiative_state st "
          "WHERE st.region = g.region AND st.first_admitted_at IS NOT NULL "
          "AND st.log_index > coalesce((SELECT c.after FROM "
          "unnest($4::text[], $5::bigint[]) AS c(region, after) WHERE c.region = g.region), "
          "-1) ORDER BY st.log_index LIMIT $2) s "
          "LEFT JOIN LATERAL (SELECT " +
          kRecordColumns +
          " FROM national_initiative n WHERE n.region = s.region AND "
          "n.record_id = s.record_id) r ON true ORDER BY s.region, s.log_index LIMIT $2");
  c.prepare("national_get",
            "SELECT " + kRecordColumns +
                " FROM national_initiative WHERE region = $2 AND record_id = $3::uuid AND " +
                SqlVisible("hide_after", "$1"));
  // The dashboard's filters: $2 region, $3 department, $4 and $5 the period of first
  // admission (from inclusive, to exclusive, UnixMillis).
  const std::string joined =
      " FROM national_initiative n LEFT JOIN national_initiative_state s "
      "ON s.region = n.region AND s.record_id = n.record_id";
  const std::string where =
      " WHERE " + SqlVisible("n.hide_after", "$1") +
      " AND ($2::text IS NULL OR n.region = $2) AND ($3::text IS NULL OR n.department = $3)"
      " AND ($4::bigint IS NULL OR s.first_admitted_at >= to_timestamp($4::bigint / 1000.0))"
      " AND ($5::bigint IS NULL OR s.first_admitted_at < to_timestamp($5::bigint / 1000.0)) ";
  const std::string filtered = joined + where;
  c.prepare("national_count_freshness", "SELECT count(*), count(*) FILTER (WHERE " +
                                            SqlToConfirm("n.valid_until", "n.hide_after", "$1") +
                                            ")" + filtered);
  c.prepare("national_count_by_region",
            "SELECT n.region, count(*)" + filtered + "GROUP BY n.region ORDER BY n.region");
  c.prepare("national_count_by_department", "SELECT n.department, count(*)" + filtered +
                                                "GROUP BY n.department ORDER BY n.department");
  c.prepare("national_count_by_family",
            "SELECT n.family, count(*)" + filtered + "GROUP BY n.family ORDER BY n.family");
  c.prepare("national_count_by_legal_form", "SELECT n.legal_form, count(*)" + filtered +
                                                "GROUP BY n.legal_form ORDER BY n.legal_form");
  c.prepare("national_count_by_activity", "SELECT a, count(*)" + joined +
                                              ", unnest(n.activities) AS a" + where +
                                              "GROUP BY a ORDER BY a");
  // Every initiative the hub knows has a region but not always a department or an admission
  // date: only the region filter applies ($1).
  c.prepare("national_count_by_status",
            "SELECT status, count(*) FROM national_initiative_state "
            "WHERE $1::text IS NULL OR region = $1 GROUP BY status ORDER BY status");
  c.prepare("national_monthly_growth",
            "SELECT to_char(date_trunc('month', s.first_admitted_at AT TIME ZONE 'UTC'), "
            "'YYYY-MM') AS month, count(*)" +
                filtered + " AND s.first_admitted_at IS NOT NULL GROUP BY month ORDER BY month");
  // Pairs across regions: same SIRET, or same normalised name within 200 m.
  const std::string pairs =
      "SELECT a.region AS ra, a.record_id AS ia, b.region AS rb, b.record_id AS ib, "
      "'siret' AS reason FROM national_initiative a JOIN national_initiative b "
      "ON a.siret = b.siret AND a.region < b.region WHERE a.siret IS NOT NULL "
      "AND " +
      SqlVisible("a.hide_after", "$1") + " AND " + SqlVisible("b.hide_after", "$1") +
      " UNION ALL "
      "SELECT a.region, a.record_id, b.region, b.record_id, 'name_nearby' "
      "FROM national_initiative a JOIN national_initiative b "
      "ON a.name_key = b.name_key AND a.region < b.region "
      "WHERE " +
      SqlDistanceMetres("a.latitude", "a.longitude", "b.latitude", "b.longitude") +
      " <= " + Num(kDuplicateDistanceMetres) + " AND " + SqlVisible("a.hide_after", "$1") +
      " AND " + SqlVisible("b.hide_after", "$1");
  // $4: NULL (every pair), 'marked' or 'unmarked' (the pilot's marks, duplicate_mark).
  c.prepare("national_duplicates",
            "SELECT ra, ia::text, rb, ib::text, reasons, count(*) OVER (), m.mark, m.note, "
            "coalesce(a.display_name, ''), " +
                SqlRfc3339("m.marked_at") +
                " FROM (SELECT ra, ia, rb, ib, string_agg(DISTINCT reason, ',' ORDER BY reason) "
                "AS reasons FROM (" +
                pairs +
                ") p GROUP BY ra, ia, rb, ib) q "
                "LEFT JOIN duplicate_mark m ON m.first_region = ra AND m.first_id = ia "
                "AND m.second_region = rb AND m.second_id = ib "
                "LEFT JOIN pilot_account a ON a.account_id = m.marked_by "
                "WHERE $4::text IS NULL OR ($4 = 'marked') = (m.mark IS NOT NULL) "
                "ORDER BY ra, ia, rb, ib LIMIT $2 OFFSET $3");
}

SearchPage NationalQueries::Search(const SearchFilters& filters, SortOrder sort, std::size_t limit,
                                   std::size_t offset, const std::optional<NameCursor>& after) {
  FilterArgs args = ToArgs(filters, clock_.NowMillis());
  SearchPage page;
  const std::uint64_t cap = std::max<std::uint64_t>(kSearchCountCap, offset + limit);
  if (sort == SortOrder::kRelevance && !args.query) sort = SortOrder::kName;
  if (sort == SortOrder::kDistance && !args.near_lat) sort = SortOrder::kName;
  page.sort = sort;
  std::vector<std::pair<NationalRecord, NameCursor>> rows;
  const auto read = [&](const pqxx::row& row, int at) {
    NationalRecord r = ReadRecord(row, at);
    if (!row[at + kRecordColumnCount].is_null()) {
      r.distance_m = row[at + kRecordColumnCount].as<double>();
    }
    NameCursor key{row[at + kRecordColumnCount + 1].as<std::string>(), r.region, r.record_id};
    rows.emplace_back(std::move(r), std::move(key));
  };
  const auto set_total = [&](std::uint64_t counted) {
    page.total = std::min(counted, cap);
    page.total_capped = counted > cap;
  };
  if (sort == SortOrder::kRelevance) {
    // Ranked among the first cap + 1 matches: every match below the cap, as before.
    auto result = ExecFiltered(txn_, "national_search_ranked", args, cap + 1, limit, offset);
    for (const auto& row : result) read(row, 0);
    set_total(result.empty()
                  ? (offset == 0 ? 0
                                 : ExecFiltered(txn_, "national_search_count", args, cap + 1)[0][0]
                                       .as<std::uint64_t>())
                  : result[0][kRecordColumnCount + 2].as<std::uint64_t>());
    for (auto& [record, key] : rows) page.items.push_back(std::move(record));
    return page;
  }
  set_total(ExecFiltered(txn_, "national_search_count", args, cap + 1)[0][0].as<std::uint64_t>());
  // One row more than the page tells whether another follows.
  const std::size_t wanted = offset + limit + 1;
  // A broad match without words, by name: from the name index in order (its density is
  // that of the filters, which name order does not gather; words it would: "Épicerie ...").
  const bool scan = sort == SortOrder::kName && page.total_capped && !args.query;
  if (scan) {
    NameCursor from = after.value_or(NameCursor{"", "", "00000000-0000-0000-0000-000000000000"});
    std::size_t chunk = 1024;
    while (rows.size() < wanted) {
      auto result = ExecFiltered(txn_, "national_search_name_scan", args, from.name_key,
                                 from.region, from.record_id, chunk, wanted - rows.size());
      if (result.empty()) break;  // past the last record
      for (const auto& row : result) {
        if (!row[4].is_null()) read(row, 4);
      }
      if (result[0][3].as<std::size_t>() < chunk) break;
      from = {result[0][0].as<std::string>(), result[0][1].as<std::string>(),
              result[0][2].as<std::string>()};
      chunk = std::min<std::size_t>(chunk * 4, 65'536);
    }
  } else {
    const char* sort_name = sort == SortOrder::kDistance ? "distance" : "name";
    const bool by_cursor = after && sort == SortOrder::kName;
    for (const auto& row : ExecFiltered(txn_, "national_search", args, sort_name, limit + 1, offset,
                                        by_cursor ? after->name_key.c_str() : nullptr,
                                        by_cursor ? after->region.c_str() : nullptr,
                                        by_cursor ? after->record_id.c_str() : nullptr)) {
      read(row, 0);
    }
  }
  for (std::size_t i = scan ? offset : 0; i < rows.size() && page.items.size() < limit; ++i) {
    page.items.push_back(std::move(rows[i].first));
    if (page.items.size() == limit && i + 1 < rows.size() && sort == SortOrder::kName) {
      page.next = rows[i].second;
    }
  }
  return page;
}

MapCluster NationalClusterOf(const pqxx::row& row, int count_column, int first_column) {
  const auto at = [&](int i) { return row[first_column + i]; };
  MapCluster c;
  c.count = row[count_column].as<std::uint64_t>();
  c.latitude = at(0).as<double>();
  c.longitude = at(1).as<double>();
  c.bounds = GeoBox{.min_longitude = at(3).as<double>(),
                    .min_latitude = at(2).as<double>(),
                    .max_longitude = at(5).as<double>(),
                    .max_latitude = at(4).as<double>()};
  c.region = OptionalText(at(6));
  c.id = OptionalText(at(7));
  c.name = OptionalText(at(8));
  c.family = OptionalText(at(9));
  c.commune_name = OptionalText(at(10));
  c.freshness = OptionalText(at(11));
  c.location_precision = OptionalText(at(12));
  return c;
}

std::vector<MapCluster> NationalQueries::Clusters(const SearchFilters& filters, int zoom) {
  FilterArgs args = ToArgs(filters, clock_.NowMillis());
  const std::string cell = Num(ClusterCellDegrees(zoom));
  const double cell_degrees = std::stod(cell);
  // A map view (a box, no radius) keeps every cell its box meets, whole, as the grid does.
  std::optional<CellRange> cells;
  std::optional<std::string> min_x, min_y, max_x, max_y;
  if (filters.box && !filters.near) {
    cells = CellsMeeting(*filters.box, cell_degrees);
    const auto edge = [&](double index) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", index * cell_degrees);
      return std::string(buf);
    };
    args.min_lon = edge(cells->min_x - 1e-6);
    args.min_lat = edge(cells->min_y - 1e-6);
    args.max_lon = edge(cells->max_x + 1 + 1e-6);
    args.max_lat = edge(cells->max_y + 1 + 1e-6);
    min_x = std::to_string(cells->min_x);
    min_y = std::to_string(cells->min_y);
    max_x = std::to_string(cells->max_x);
    max_y = std::to_string(cells->max_y);
  }
  if (!args.query && !filters.commune && !filters.legal_form && !filters.activity &&
      !filters.freshness && !filters.near) {
    ClusterGridFilters grid{filters.region, filters.department, filters.family, cells};
    if (auto out = NationalAggregates(txn_, args.now).Clusters(grid, zoom, cell)) return *out;
  }
  std::vector<MapCluster> out;
  for (const auto& row : ExecFiltered(txn_, "national_clusters", args, cell, kMaxClusters,
                                      OrNull(min_x), OrNull(min_y), OrNull(max_x), OrNull(max_y))) {
    out.push_back(NationalClusterOf(row, 0, 1));
  }
  return out;
}

std::optional<NationalRecord> NationalQueries::Get(const std::string& region,
                                                   const std::string& record_id) {
  if (region.empty() || record_id.size() != 36) return std::nullopt;
  auto rows = txn_.exec_prepared("national_get", clock_.NowMillis(), region, record_id);
  if (rows.empty()) return std::nullopt;
  return ReadRecord(rows[0]);
}

ChangesPage NationalQueries::Changes(const ChangeCursor& after,
                                     const std::optional<std::string>& region, std::size_t limit) {
  limit = std::clamp<std::size_t>(limit, 1, kMaxChangesPage);
  std::vector<std::string> regions;
  std::string indexes = "{";
  for (const auto& [code, index] : after.after) {
    regions.push_back(code);
    if (indexes.size() > 1) indexes += ',';
    indexes += std::to_string(index);
  }
  indexes += '}';
  auto rows = txn_.exec_prepared("national_changes", clock_.NowMillis(), limit + 1, OrNull(region),
                                 TextArrayLiteral(regions), indexes);
  ChangesPage page;
  page.next = after;
  for (const auto& row : rows) {
    if (page.changes.size() == limit) {
      page.more = true;
      break;
    }
    NationalChange& change = page.changes.emplace_back();
    change.region = row[0].as<std::string>();
    change.record_id = row[1].as<std::string>();
    change.record_version = row[2].as<std::uint32_t>();
    change.log_index = row[3].as<std::uint64_t>();
    change.status = row[4].as<std::string>();
    change.changed_at = row[5].as<std::string>();
    if (!row[6].is_null()) change.record = ReadRecord(row, 6);
    page.next.Advance(change.region, change.log_index);
  }
  return page;
}

Indicators NationalQueries::ComputeIndicators(const IndicatorFilters& filters) {
  const std::int64_t now = clock_.NowMillis();
  if (auto counted = NationalAggregates(txn_, now).ComputeIndicators(filters)) return *counted;
  const auto text = [](std::optional<std::int64_t> v) {
    return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
  };
  const auto from = text(filters.from_ms), until = text(filters.until_ms);
  const auto exec = [&](const char* statement) {
    return txn_.exec_prepared(statement, now, OrNull(filters.region), OrNull(filters.department),
                              OrNull(from), OrNull(until));
  };
  Indicators out;
  auto fresh = exec("national_count_freshness");
  out.on_map = fresh[0][0].as<std::uint64_t>();
  out.to_confirm = fresh[0][1].as<std::uint64_t>();
  out.fresh = out.on_map - out.to_confirm;
  out.freshness_rate = out.on_map ? static_cast<double>(out.fresh) / out.on_map : 0;
  out.by_region = Counts(exec("national_count_by_region"));
  out.by_department = Counts(exec("national_count_by_department"));
  out.by_family = Counts(exec("national_count_by_family"));
  out.by_legal_form = Counts(exec("national_count_by_legal_form"));
  out.by_activity = Counts(exec("national_count_by_activity"));
  out.by_status = Counts(txn_.exec_prepared("national_count_by_status", OrNull(filters.region)));
  std::uint64_t cumulative = 0;
  for (const auto& row : exec("national_monthly_growth")) {
    MonthlyGrowth m{row[0].as<std::string>(), row[1].as<std::uint64_t>(), 0};
    cumulative += m.admitted;
    m.cumulative = cumulative;
    out.monthly_growth.push_back(std::move(m));
  }
  return out;
}

DuplicatePage NationalQueries::Duplicates(std::size_t limit, std::size_t offset,
                                          DuplicateMarkFilter marked) {
  DuplicatePage page;
  struct Key {
    std::string ra, ia, rb, ib, reasons;
    std::optional<DuplicateMark> mark;
  };
  const char* mark_filter = marked == DuplicateMarkFilter::kMarked     ? "marked"
                            : marked == DuplicateMarkFilter::kUnmarked ? "unmarked"
                                                                       : nullptr;
  std::vector<Key> keys;
  for (const auto& row :
       txn_.exec_prepared("national_duplicates", clock_.NowMillis(), limit, offset, mark_filter)) {
    Key k{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
          row[3].as<std::string>(), row[4].as<std::string>(), std::nullopt};
    if (!row[6].is_null()) {
      k.mark = DuplicateMark{row[6].as<std::string>(), row[7].as<std::string>(),
                             row[8].as<std::string>(), row[9].as<std::string>()};
    }
    keys.push_back(std::move(k));
    page.total = row[5].as<std::uint64_t>();
  }
  for (const auto& k : keys) {
    auto a = Get(k.ra, k.ia);
    auto b = Get(k.rb, k.ib);
    if (!a || !b) continue;
    DuplicatePair pair{*a, *b, {}, 0, k.mark};
    std::size_t at = 0;
    while (at <= k.reasons.size()) {
      auto comma = k.reasons.find(',', at);
      pair.reasons.push_back(k.reasons.substr(at, comma - at));
      if (comma == std::string::npos) break;
      at = comma + 1;
    }
    // As in SQL, for the pilot to see how close they are.
    pair.distance_m = DistanceMetres({a->latitude, a->longitude}, {b->latitude, b->longitude});
    page.items.push_back(std::move(pair));
  }
  return page;
}

}  // namespace ess::hub
