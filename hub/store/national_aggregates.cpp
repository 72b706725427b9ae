#include "hub/store/national_aggregates.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/pg_fields.h"

namespace ess::hub {

namespace {

constexpr std::int64_t kDayMillis = 86'400'000;

// The aggregates' instant and whether they answer exactly at $1 (UnixMillis, as
// core/freshness.cpp turns it into a timestamptz): no instant of `columns` lies between $1
// and swept_at, and no region the read may cover (`region`: the parameter of the region
// filter, NULL for every region) is deferred by a bulk catch-up. `later`: $1 is past swept_at,
// so a sweep can bring them to $1.
std::string Exactness(const std::vector<std::string>& columns, const std::string& region) {
  std::string exact = "NOT EXISTS (SELECT 1 FROM national_aggregate_deferred d WHERE " + region +
                      "::text IS NULL OR d.region = " + region + ")";
  for (const auto& c : columns) {
    exact += " AND NOT EXISTS (SELECT 1 FROM national_initiative i WHERE i." + c +
             " > least(st.swept_at, st.now_at) AND i." + c +
             " <= greatest(st.swept_at, st.now_at))";
  }
  return "st AS (SELECT swept_at, to_timestamp($1::bigint / 1000.0) AS now_at "
         "FROM national_aggregate_state), "
         "ok AS (SELECT " +
         exact + " AS exact, st.now_at > st.swept_at AS later FROM st) ";
}

int CellIndex(double coordinate, double cell_degrees) {
  return static_cast<int>(std::clamp(std::floor(coordinate / cell_degrees), -2e9, 2e9));
}

std::optional<std::string> DayOf(std::optional<std::int64_t> millis) {
  if (!millis) return std::nullopt;
  const std::time_t t = static_cast<std::time_t>(*millis / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

const char* OrNull(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

}  // namespace

CellRange CellsMeeting(const GeoBox& box, double cell_degrees) {
  return {CellIndex(box.min_longitude, cell_degrees), CellIndex(box.min_latitude, cell_degrees),
          CellIndex(box.max_longitude, cell_degrees), CellIndex(box.max_latitude, cell_degrees)};
}

void PrepareNationalAggregatesStatements(pqxx::connection& c) {
  // $2 zoom, $3 its cell size as the tables' query writes it, $4 region, $5 department,
  // $6 family, $7..$10 the cells (min x, min y, max x, max y), $11 the maximum of clusters. The
  // first row says whether the grid answers; the cells follow, the fullest first (then west to
  // east, south to north).
  c.prepare(
      "national_aggregate_clusters",
      "WITH " + Exactness({"hide_after"}, "$4") +
          ", z AS (SELECT cell_degrees AS c FROM national_cluster_zoom "
          "WHERE zoom = $2 AND cell_degrees = $3::float8), "
          "g AS (SELECT cx, cy, sum(n) AS n, sum(sum_lat) AS slat, sum(sum_lon) AS slon, "
          "min(min_lat) AS min_lat, min(min_lon) AS min_lon, max(max_lat) AS max_lat, "
          "max(max_lon) AS max_lon, min(one_region) AS one_region, min(one_id::text) AS one_id "
          "FROM national_cluster_cell, z WHERE zoom = $2 "
          "AND ($4::text IS NULL OR region = $4) AND ($5::text IS NULL OR department = $5) "
          "AND ($6::text IS NULL OR family = $6) "
          "AND ($7::integer IS NULL OR (cx BETWEEN $7 AND $9 AND cy BETWEEN $8 AND $10)) "
          "AND (SELECT exact FROM ok) "
          "GROUP BY cx, cy ORDER BY sum(n) DESC, cx, cy LIMIT $11) "
          "SELECT 0 AS part, ((SELECT exact FROM ok) AND EXISTS (SELECT 1 FROM z))::text, "
          "(SELECT later FROM ok)::text, NULL::numeric AS n, NULL::integer AS cx, "
          "NULL::integer AS cy, NULL::float8, NULL::float8, NULL::float8, NULL::float8, "
          "NULL::float8, NULL::float8, NULL, NULL, NULL, NULL, NULL, NULL, NULL "
          "UNION ALL "
          "SELECT 1, NULL, NULL, g.n, g.cx, g.cy, (g.slat / g.n)::float8, (g.slon / g.n)::float8, "
          "g.min_lat, g.min_lon, g.max_lat, g.max_lon, i.region, i.record_id::text, i.name, "
          "i.family, CASE WHEN i.record_id IS NOT NULL THEN coalesce(i.commune_name, '') END, "
          "CASE WHEN i.record_id IS NULL THEN NULL WHEN " +
          SqlToConfirm("i.valid_until", "i.hide_after", "$1") +
          " THEN 'to_confirm' ELSE 'fresh' END, i.location_precision "
          "FROM g LEFT JOIN national_initiative i ON g.n = 1 AND i.region = g.one_region "
          "AND i.record_id = g.one_id::uuid "
          "ORDER BY part, n DESC, cx, cy");
  // $2 region, $3 department, $4 and $5 the period [from, until) as UTC dates. Counters per
  // month for the whole months of the period, per day for its ends; every record (level 0)
  // without a period. The first row says whether the counters answer.
  const std::string period =
      "b AS (SELECT $4::date AS f, $5::date AS u, "
      "coalesce(CASE WHEN extract(day FROM $4::date) = 1 THEN $4::date "
      "ELSE (date_trunc('month', $4::date) + interval '1 month')::date END, '-infinity') AS ms, "
      "coalesce(date_trunc('month', $5::date)::date, 'infinity') AS me), "
      "sel AS (SELECT c.* FROM national_indicator_count c, b "
      "WHERE (SELECT exact FROM ok) AND ($2::text IS NULL OR c.region = $2) "
      "AND ($3::text IS NULL OR c.department = $3) AND ("
      "(c.level = 1 AND b.ms < b.me AND c.period >= b.ms AND c.period < b.me) OR "
      "(c.level = 2 AND c.period >= coalesce(b.f, '-infinity') "
      "AND c.period < coalesce(b.u, 'infinity') "
      "AND (b.ms >= b.me OR c.period < b.ms OR c.period >= b.me)))), "
      "base AS (SELECT * FROM sel WHERE $4::date IS NOT NULL OR $5::date IS NOT NULL "
      "UNION ALL SELECT c.* FROM national_indicator_count c "
      "WHERE $4::date IS NULL AND $5::date IS NULL AND c.level = 0 AND (SELECT exact FROM ok) "
      "AND ($2::text IS NULL OR c.region = $2) AND ($3::text IS NULL OR c.department = $3)) ";
  c.prepare("national_aggregate_indicators",
            "WITH " + Exactness({"hide_after", "valid_until"}, "$2") + ", " + period +
                "SELECT 0 AS part, 'ok' AS kind, (SELECT exact FROM ok)::text AS code, "
                "(SELECT later FROM ok)::int::numeric AS n "
                "UNION ALL SELECT 1, 'freshness', code, sum(n) FROM base "
                "WHERE kind = 'freshness' GROUP BY code "
                "UNION ALL SELECT 2, 'region', region, sum(n) FROM base "
                "WHERE kind = 'freshness' GROUP BY region "
                "UNION ALL SELECT 3, 'department', department, sum(n) FROM base "
                "WHERE kind = 'freshness' GROUP BY department "
                "UNION ALL SELECT 4, kind, code, sum(n) FROM base "
                "WHERE kind IN ('family', 'legal_form', 'activity') GROUP BY kind, code "
                "UNION ALL SELECT 5, 'month', to_char(period, 'YYYY-MM'), sum(n) FROM sel "
                "WHERE kind = 'freshness' GROUP BY 3 "
                "ORDER BY part, kind, code");
  c.prepare("national_aggregate_status",
            "SELECT status, sum(n) FROM national_status_count "
            "WHERE $1::text IS NULL OR region = $1 GROUP BY status ORDER BY status");
  c.prepare("national_aggregates_sweep",
            "SELECT national_aggregates_sweep(to_timestamp($1::bigint / 1000.0))");
}

NationalAggregatesDuringBatch::NationalAggregatesDuringBatch(pqxx::transaction_base& txn,
                                                             const std::string& region,
                                                             std::uint64_t backlog,
                                                             std::uint64_t backlog_limit)
    : txn_(txn), region_(region), bulk_(backlog > backlog_limit) {
  deferred_ =
      bulk_ ||
      !txn_.exec_params("SELECT 1 FROM national_aggregate_deferred WHERE region = $1", region_)
           .empty();
  if (!deferred_) return;
  if (bulk_) {
    txn_.exec_params(
        "INSERT INTO national_aggregate_deferred (region) VALUES ($1) ON CONFLICT DO NOTHING",
        region_);
  }
  txn_.exec("SELECT set_config('ess.aggregates_deferred', 'on', true)");
}

void NationalAggregatesDuringBatch::Finish() {
  if (!deferred_) return;
  txn_.exec("SELECT set_config('ess.aggregates_deferred', 'off', true)");
  if (!bulk_) txn_.exec_params("SELECT national_aggregates_recount_region($1)", region_);
}

bool NationalAggregates::SweepIfLater(bool later) {
  if (!later) return false;
  txn_.exec_prepared("national_aggregates_sweep", now_);
  return true;
}

std::optional<std::vector<MapCluster>> NationalAggregates::Clusters(
    const ClusterGridFilters& filters, int zoom, const std::string& cell_degrees) {
  std::optional<std::string> min_x, min_y, max_x, max_y;
  if (filters.cells) {
    min_x = std::to_string(filters.cells->min_x);
    min_y = std::to_string(filters.cells->min_y);
    max_x = std::to_string(filters.cells->max_x);
    max_y = std::to_string(filters.cells->max_y);
  }
  const auto read = [&] {
    return txn_.exec_prepared("national_aggregate_clusters", now_, zoom, cell_degrees,
                              OrNull(filters.region), OrNull(filters.department),
                              OrNull(filters.family), OrNull(min_x), OrNull(min_y), OrNull(max_x),
                              OrNull(max_y), kMaxClusters);
  };
  pqxx::result rows = read();
  if (rows[0][1].as<std::string>() != "true") {
    if (!SweepIfLater(rows[0][2].as<std::string>() == "true")) return std::nullopt;
    rows = read();
    if (rows[0][1].as<std::string>() != "true") return std::nullopt;
  }
  std::vector<MapCluster> out;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    out.push_back(NationalClusterOf(rows[r], 3, 6));
  }
  return out;
}

std::optional<Indicators> NationalAggregates::ComputeIndicators(const IndicatorFilters& filters) {
  if ((filters.from_ms && *filters.from_ms % kDayMillis != 0) ||
      (filters.until_ms && *filters.until_ms % kDayMillis != 0)) {
    return std::nullopt;
  }
  const auto from = DayOf(filters.from_ms), until = DayOf(filters.until_ms);
  const auto read = [&] {
    return txn_.exec_prepared("national_aggregate_indicators", now_, OrNull(filters.region),
                              OrNull(filters.department), OrNull(from), OrNull(until));
  };
  pqxx::result rows = read();
  if (rows[0][2].as<std::string>() != "true") {
    if (!SweepIfLater(rows[0][3].as<int>() == 1)) return std::nullopt;
    rows = read();
    if (rows[0][2].as<std::string>() != "true") return std::nullopt;
  }
  Indicators out;
  std::uint64_t cumulative = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    const std::string kind = row[1].as<std::string>();
    CountBy count{row[2].as<std::string>(), "", row[3].as<std::uint64_t>()};
    if (kind == "freshness") {
      (count.code == "to_confirm" ? out.to_confirm : out.fresh) = count.count;
    } else if (kind == "region") {
      out.by_region.push_back(std::move(count));
    } else if (kind == "department") {
      out.by_department.push_back(std::move(count));
    } else if (kind == "family") {
      out.by_family.push_back(std::move(count));
    } else if (kind == "legal_form") {
      out.by_legal_form.push_back(std::move(count));
    } else if (kind == "activity") {
      out.by_activity.push_back(std::move(count));
    } else if (kind == "month") {
      cumulative += count.count;
      out.monthly_growth.push_back({count.code, count.count, cumulative});
    }
  }
  out.on_map = out.fresh + out.to_confirm;
  out.freshness_rate = out.on_map ? static_cast<double>(out.fresh) / out.on_map : 0;
  for (const auto& row : txn_.exec_prepared("national_aggregate_status", OrNull(filters.region))) {
    out.by_status.push_back({row[0].as<std::string>(), "", row[1].as<std::uint64_t>()});
  }
  return out;
}

}  // namespace ess::hub
