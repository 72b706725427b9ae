// The national aggregates (hub/sql/041_national_aggregates.sql) against the national tables:
// random national tables (a fixed seed) written through replicated batches and changed by
// statements of every kind, then for many filters, zooms, boxes and clock times (forward,
// backward, on an instant), the map's clusters and the dashboard's indicators are exactly
// what the GROUP BY and counts over the table give (the hub's statements before the
// aggregates, kept here as the reference), and the aggregates did answer.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "core/freshness.h"
#include "hub/store/national_aggregates.h"
#include "hub/store/national_queries.h"
#include "tests/hub/hub_store_fixture.h"
#include "tests/hub/national_tables_snapshot.h"

using namespace ess;
using namespace ess::hub;
using test::SignedRegionLog;

namespace {

constexpr std::int64_t kDay = 86'400;
constexpr std::int64_t kJan2026 = 1'767'225'600;  // 2026-01-01T00:00:00Z

std::string Rfc3339(std::int64_t seconds) {
  const std::time_t t = seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// The hub's clusters statement before the aggregates, for the filters the grid holds, with a
// map view's box taken as the cells it meets (whole).
const std::string kReferenceClusters =
    "SELECT count(*), avg(latitude), avg(longitude), min(latitude), min(longitude), "
    "max(latitude), max(longitude), "
    "CASE WHEN count(*) = 1 THEN min(region) END, "
    "CASE WHEN count(*) = 1 THEN min(record_id::text) END, "
    "CASE WHEN count(*) = 1 THEN min(name) END, "
    "CASE WHEN count(*) = 1 THEN min(family) END, "
    "CASE WHEN count(*) = 1 THEN min(coalesce(commune_name, '')) END, "
    "CASE WHEN count(*) = 1 THEN CASE WHEN bool_or(" +
    SqlToConfirm("valid_until", "hide_after", "$1") +
    ") THEN 'to_confirm' ELSE 'fresh' END END, "
    "CASE WHEN count(*) = 1 THEN min(location_precision) END "
    "FROM national_initiative WHERE " +
    SqlVisible("hide_after", "$1") +
    " AND ($2::text IS NULL OR region = $2) AND ($3::text IS NULL OR department = $3) "
    "AND ($4::text IS NULL OR family = $4) "
    "AND ($6::integer IS NULL OR (floor(longitude / $5::float8) BETWEEN $6 AND $8 "
    "AND floor(latitude / $5::float8) BETWEEN $7 AND $9)) "
    "GROUP BY floor(longitude / $5::float8), floor(latitude / $5::float8) "
    "ORDER BY count(*) DESC, floor(longitude / $5::float8), floor(latitude / $5::float8)";

// The hub's indicator statements before the aggregates.
const std::string kJoined =
    " FROM national_initiative n LEFT JOIN national_initiative_state s "
    "ON s.region = n.region AND s.record_id = n.record_id";
const std::string kWhere =
    " WHERE " + SqlVisible("n.hide_after", "$1") +
    " AND ($2::text IS NULL OR n.region = $2) AND ($3::text IS NULL OR n.department = $3)"
    " AND ($4::bigint IS NULL OR s.first_admitted_at >= to_timestamp($4::bigint / 1000.0))"
    " AND ($5::bigint IS NULL OR s.first_admitted_at < to_timestamp($5::bigint / 1000.0)) ";

struct Reference {
  pqxx::transaction_base& txn;
  std::int64_t now;

  std::vector<MapCluster> Clusters(const SearchFilters& f, int zoom) {
    char cell[40];
    std::snprintf(cell, sizeof cell, "%.10g", ClusterCellDegrees(zoom));
    std::optional<std::string> x0, y0, x1, y1;
    if (f.box) {
      CellRange r = CellsMeeting(*f.box, std::stod(cell));
      x0 = std::to_string(r.min_x);
      y0 = std::to_string(r.min_y);
      x1 = std::to_string(r.max_x);
      y1 = std::to_string(r.max_y);
    }
    const auto c = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
    std::vector<MapCluster> out;
    for (const auto& row : txn.exec_params(kReferenceClusters, now, c(f.region), c(f.department),
                                           c(f.family), cell, c(x0), c(y0), c(x1), c(y1))) {
      MapCluster m;
      m.count = row[0].as<std::uint64_t>();
      m.latitude = row[1].as<double>();
      m.longitude = row[2].as<double>();
      m.bounds = GeoBox{row[4].as<double>(), row[3].as<double>(), row[6].as<double>(),
                        row[5].as<double>()};
      const auto opt = [&](int i) {
        return row[i].is_null() ? std::nullopt : std::optional<std::string>(row[i].c_str());
      };
      m.region = opt(7);
      m.id = opt(8);
      m.name = opt(9);
      m.family = opt(10);
      m.commune_name = opt(11);
      m.freshness = opt(12);
      m.location_precision = opt(13);
      out.push_back(std::move(m));
    }
    return out;
  }

  std::vector<CountBy> Counts(const std::string& sql, const IndicatorFilters& f) {
    const auto text = [](std::optional<std::int64_t> v) {
      return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    };
    const auto from = text(f.from_ms), until = text(f.until_ms);
    const auto c = [](const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; };
    std::vector<CountBy> out;
    for (const auto& row :
         txn.exec_params(sql, now, c(f.region), c(f.department), c(from), c(until))) {
      out.push_back({row[0].as<std::string>(), "", row[1].as<std::uint64_t>()});
    }
    return out;
  }

  Indicators Compute(const IndicatorFilters& f) {
    const std::string filtered = kJoined + kWhere;
    Indicators out;
    auto fresh =
        Counts("SELECT 'all', count(*)" + filtered + " UNION ALL SELECT 'to_confirm', count(*)" +
                   filtered + " AND " + SqlToConfirm("n.valid_until", "n.hide_after", "$1"),
               f);
    out.on_map = fresh[0].count;
    out.to_confirm = fresh[1].count;
    out.fresh = out.on_map - out.to_confirm;
    out.freshness_rate = out.on_map ? static_cast<double>(out.fresh) / out.on_map : 0;
    out.by_region =
        Counts("SELECT n.region, count(*)" + filtered + "GROUP BY n.region ORDER BY n.region", f);
    out.by_department = Counts(
        "SELECT n.department, count(*)" + filtered + "GROUP BY n.department ORDER BY n.department",
        f);
    out.by_family =
        Counts("SELECT n.family, count(*)" + filtered + "GROUP BY n.family ORDER BY n.family", f);
    out.by_legal_form = Counts(
        "SELECT n.legal_form, count(*)" + filtered + "GROUP BY n.legal_form ORDER BY n.legal_form",
        f);
    out.by_activity = Counts("SELECT a, count(*)" + kJoined + ", unnest(n.activities) AS a" +
                                 kWhere + "GROUP BY a ORDER BY a",
                             f);
    for (const auto& row :
         txn.exec_params("SELECT status, count(*) FROM national_initiative_state "
                         "WHERE $1::text IS NULL OR region = $1 GROUP BY status ORDER BY status",
                         f.region ? f.region->c_str() : nullptr)) {
      out.by_status.push_back({row[0].as<std::string>(), "", row[1].as<std::uint64_t>()});
    }
    std::uint64_t cumulative = 0;
    for (const auto& m :
         Counts("SELECT to_char(date_trunc('month', s.first_admitted_at AT TIME ZONE 'UTC'), "
                "'YYYY-MM') AS month, count(*)" +
                    filtered + " AND s.first_admitted_at IS NOT NULL GROUP BY month ORDER BY month",
                f)) {
      cumulative += m.count;
      out.monthly_growth.push_back({m.code, m.count, cumulative});
    }
    return out;
  }
};

void CheckSameClusters(const std::vector<MapCluster>& got, const std::vector<MapCluster>& want) {
  REQUIRE(got.size() == want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    CAPTURE(i);
    CHECK(got[i].count == want[i].count);
    // The grid sums exactly (numeric); avg() over float8 rounds: the last bits may differ.
    CHECK(std::abs(got[i].latitude - want[i].latitude) < 1e-9);
    CHECK(std::abs(got[i].longitude - want[i].longitude) < 1e-9);
    CHECK(got[i].bounds->min_latitude == want[i].bounds->min_latitude);
    CHECK(got[i].bounds->min_longitude == want[i].bounds->min_longitude);
    CHECK(got[i].bounds->max_latitude == want[i].bounds->max_latitude);
    CHECK(got[i].bounds->max_longitude == want[i].bounds->max_longitude);
    CHECK(got[i].region == want[i].region);
    CHECK(got[i].id == want[i].id);
    CHECK(got[i].name == want[i].name);
    CHECK(got[i].family == want[i].family);
    CHECK(got[i].commune_name == want[i].commune_name);
    CHECK(got[i].freshness == want[i].freshness);
    CHECK(got[i].location_precision == want[i].location_precision);
  }
}

std::string Describe(const std::vector<CountBy>& counts) {
  std::string out;
  for (const auto& c : counts) out += c.code + "=" + std::to_string(c.count) + " ";
  return out;
}

void CheckSameIndicators(const Indicators& got, const Indicators& want) {
  CHECK(got.on_map == want.on_map);
  CHECK(got.fresh == want.fresh);
  CHECK(got.to_confirm == want.to_confirm);
  CHECK(got.freshness_rate == want.freshness_rate);
  CHECK(Describe(got.by_region) == Describe(want.by_region));
  CHECK(Describe(got.by_department) == Describe(want.by_department));
  CHECK(Describe(got.by_family) == Describe(want.by_family));
  CHECK(Describe(got.by_legal_form) == Describe(want.by_legal_form));
  CHECK(Describe(got.by_activity) == Describe(want.by_activity));
  CHECK(Describe(got.by_status) == Describe(want.by_status));
  std::string g, w;
  for (const auto& m : got.monthly_growth)
    g += m.month + ":" + std::to_string(m.admitted) + "/" + std::to_string(m.cumulative) + " ";
  for (const auto& m : want.monthly_growth)
    w += m.month + ":" + std::to_string(m.admitted) + "/" + std::to_string(m.cumulative) + " ";
  CHECK(g == w);
}

// Three regions' logs of random initiatives of the referential's communes, codes and
// families, with random freshness instants (whole days, some absent).
class RandomFederation {
 public:
  explicit RandomFederation(test::HubStoreFixture& hub) : hub_(hub) {
    const Referential& ref = test::TheReferential();
    for (const char* region : {"93", "76", "84"}) {
      logs_.emplace_back(region, static_cast<std::uint8_t>(logs_.size() + 1));
      for (const auto& [code, commune] : ref.communes()) {
        if (commune.region == region && commune.latitude && commune.longitude) {
          communes_[region].push_back(&commune);
        }
      }
      REQUIRE(communes_[region].size() > 20);
    }
    for (const auto& log : logs_) hub_.Enrol(log);
  }

  // `count` new initiatives per region (most admitted), in batches of up to 97 entries.
  void AddInitiatives(int count) {
    for (std::size_t r = 0; r < logs_.size(); ++r) {
      for (int i = 0; i < count; ++i) {
        const RecordId id = test::TestRecordId(next_id_++, static_cast<std::uint8_t>(r));
        ids_[r].push_back(id);
        Put(r, id, Chance(0.9) ? "admitted" : "pending");
      }
    }
    Flush();
  }

  // Revisions of existing initiatives: moved or changed, suspended, erased, admitted again.
  void Revise(int count) {
    for (std::size_t r = 0; r < logs_.size(); ++r) {
      for (int i = 0; i < count; ++i) {
        const RecordId id = ids_[r][Int(0, static_cast<int>(ids_[r].size()) - 1)];
        if (erased_.count(id)) continue;
        const int what = Int(0, 9);
        if (what == 0) {
          logs_[r].Append(RecordKind::kInitiative, id, R"({"reason":"demande d'effacement"})",
                          Operation::kErase);
          erased_.insert(id);
        } else {
          Put(r, id, what <= 2 ? "suspended" : "admitted");
        }
      }
    }
    Flush();
  }

  const std::vector<std::string>& Departments() const { return departments_; }
  std::mt19937_64& rng() { return rng_; }
  int Int(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  double Real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  bool Chance(double p) { return Real(0, 1) < p; }

 private:
  void Put(std::size_t r, const RecordId& id, const std::string& status) {
    const Referential& ref = test::TheReferential();
    const auto& list = communes_[logs_[r].region()];
    const Commune* commune = list[Int(0, static_cast<int>(list.size()) - 1)];
    const auto& legal = ref.legal_forms()[Int(0, static_cast<int>(ref.legal_forms().size()) - 1)];
    std::set<std::string> distinct;  // a payload lists an activity once
    for (int a = Int(1, 3); a > 0; --a) {
      distinct.insert(ref.activities()[Int(0, static_cast<int>(ref.activities().size()) - 1)].code);
    }
    nlohmann::json activities(distinct);
    nlohmann::json extra = {
        {"legal_form", legal.code}, {"family", legal.parent}, {"activities", activities}};
    if (Chance(0.8)) {
      const std::int64_t valid = kJan2026 + Int(-30, 400) * kDay;
      extra["valid_until"] = Rfc3339(valid);
      extra["hide_after"] = Rfc3339(valid + Int(0, 120) * kDay);
    }
    // Some initiatives share a point exactly (an extent with ties).
    const double jitter = Chance(0.1) ? 0 : 0.004;
    test::TestPlace place{commune->code, commune->department, commune->region,
                          *commune->latitude + Real(-jitter, jitter),
                          *commune->longitude + Real(-jitter, jitter)};
    if (std::find(departments_.begin(), departments_.end(), commune->department) ==
        departments_.end()) {
      departments_.push_back(commune->department);
    }
    logs_[r].Initiative(id, test::InitiativePayload("Initiative " + std::to_string(Int(0, 99999)),
                                                    status, place, extra));
  }

  void Flush() {
    for (std::size_t r = 0; r < logs_.size(); ++r) {
      auto& log = logs_[r];
      while (sent_[r] < log.size()) {
        const std::uint64_t to = std::min<std::uint64_t>(log.size(), sent_[r] + Int(1, 97));
        auto out = hub_.replicas.ApplyBatch(log.region(), log.Batch(sent_[r], to), "t");
        REQUIRE_MESSAGE(out.kind == BatchOutcome::Kind::kAccepted, out.verdict.reason);
        sent_[r] = to;
      }
    }
  }

  test::HubStoreFixture& hub_;
  std::mt19937_64 rng_{20261202};
  std::vector<SignedRegionLog> logs_;
  std::map<std::string, std::vector<const Commune*>> communes_;
  std::map<std::size_t, std::vector<RecordId>> ids_;
  std::map<std::size_t, std::uint64_t> sent_;
  std::set<RecordId> erased_;
  std::vector<std::string> departments_;
  std::uint32_t next_id_ = 1;
};

// The cluster grid as the triggers left it is the grid counted again from the tables
// (national_aggregates_rebuild, in a subtransaction rolled back): every cell, exactly.
void CheckGridAsCountedAgain(test::HubStoreFixture& hub) {
  hub.pool.WithTransaction([&](pqxx::work& txn) {
    const auto cells = [](pqxx::transaction_base& t) {
      std::vector<std::string> out;
      for (const auto& row :
           t.exec("SELECT concat_ws(' ', zoom, cx, cy, region, department, family, n, "
                  "trim_scale(sum_lat), "
                  "trim_scale(sum_lon), min_lat, min_lon, max_lat, max_lon, one_region, one_id) "
                  "FROM national_cluster_cell")) {
        out.push_back(row[0].as<std::string>());
      }
      return out;
    };
    auto kept = cells(txn);
    pqxx::subtransaction again(txn, "grid_counted_again");
    again.exec("SELECT national_aggregates_rebuild()");
    auto counted = cells(again);
    again.abort();
    std::sort(kept.begin(), kept.end());
    std::sort(counted.begin(), counted.end());
    REQUIRE(!counted.empty());
    std::vector<std::string> only_kept, only_counted;
    std::set_difference(kept.begin(), kept.end(), counted.begin(), counted.end(),
                        std::back_inserter(only_kept));
    std::set_difference(counted.begin(), counted.end(), kept.begin(), kept.end(),
                        std::back_inserter(only_counted));
    CHECK_MESSAGE(only_kept.empty(), only_kept.size(), " cells kept, not counted again, first: ",
                  only_kept.empty() ? "" : only_kept.front());
    CHECK_MESSAGE(only_counted.empty(), only_counted.size(),
                  " cells counted again, not kept, first: ",
                  only_counted.empty() ? "" : only_counted.front());
  });
}

// Compares the hub's answers with the reference for many random map views and dashboard
// filters at the fixture clock's time.
void CompareEverything(test::HubStoreFixture& hub, RandomFederation& world,
                       bool expect_aggregates) {
  const Referential& ref = test::TheReferential();
  const std::int64_t now = hub.clock.NowMillis();
  CAPTURE(now);
  int grid_answers = 0;
  for (int q = 0; q < 60; ++q) {
    SearchFilters f;
    if (world.Chance(0.3)) f.region = std::vector<std::string>{"93", "76", "84"}[world.Int(0, 2)];
    if (world.Chance(0.3))
      f.department =
          world.Departments()[world.Int(0, static_cast<int>(world.Departments().size()) - 1)];
    if (world.Chance(0.3))
      f.family = ref.families()[world.Int(0, static_cast<int>(ref.families().size()) - 1)].code;
    if (world.Chance(0.6)) {
      const double lon = world.Real(-2, 9), lat = world.Real(41, 47);
      f.box = GeoBox{lon, lat, lon + world.Real(0.01, 6), lat + world.Real(0.01, 4)};
    }
    const int zoom = world.Int(0, 13);
    CAPTURE(q);
    CAPTURE(zoom);
    hub.pool.WithTransaction([&](pqxx::work& txn) {
      auto got = NationalQueries(txn, hub.clock).Clusters(f, zoom);
      CheckSameClusters(got, Reference{txn, now}.Clusters(f, zoom));
      char cell[40];
      std::snprintf(cell, sizeof cell, "%.10g", ClusterCellDegrees(zoom));
      std::optional<CellRange> cells;
      if (f.box) cells = CellsMeeting(*f.box, std::stod(cell));
      auto grid = NationalAggregates(txn, now).Clusters({f.region, f.department, f.family, cells},
                                                        zoom, cell);
      if (zoom <= 10 && expect_aggregates) REQUIRE(grid);
      if (zoom > 10) CHECK_FALSE(grid);
      if (grid) {
        ++grid_answers;
        CheckSameClusters(*grid, Reference{txn, now}.Clusters(f, zoom));
      }
    });
  }
  if (expect_aggregates) CHECK(grid_answers > 0);
  CheckGridAsCountedAgain(hub);
  for (int q = 0; q < 25; ++q) {
    IndicatorFilters f;
    if (world.Chance(0.3)) f.region = std::vector<std::string>{"93", "76", "84"}[world.Int(0, 2)];
    if (world.Chance(0.2))
      f.department =
          world.Departments()[world.Int(0, static_cast<int>(world.Departments().size()) - 1)];
    const std::int64_t day = 86'400'000;
    if (world.Chance(0.5)) f.from_ms = (kJan2026 * 1000) + world.Int(-400, 300) * day;
    if (world.Chance(0.5)) f.until_ms = (kJan2026 * 1000) + world.Int(-300, 400) * day;
    const bool off_midnight = world.Chance(0.1) && f.from_ms;
    if (off_midnight) *f.from_ms += 3'600'000;  // not a day: the tables answer
    CAPTURE(q);
    hub.pool.WithTransaction([&](pqxx::work& txn) {
      CheckSameIndicators(NationalQueries(txn, hub.clock).ComputeIndicators(f),
                          Reference{txn, now}.Compute(f));
      auto counted = NationalAggregates(txn, now).ComputeIndicators(f);
      if (off_midnight) CHECK_FALSE(counted);
      if (!off_midnight && expect_aggregates) REQUIRE(counted);
    });
  }
}

void SetClock(test::HubStoreFixture& hub, std::int64_t seconds) {
  hub.clock.Set(std::chrono::system_clock::time_point(std::chrono::seconds(seconds)));
}

}  // namespace

TEST_CASE("clusters and indicators from the aggregates equal the GROUP BY over the tables") {
  test::HubStoreFixture hub;
  RandomFederation world(hub);
  world.AddInitiatives(400);
  CompareEverything(hub, world, true);

  world.Revise(150);
  world.AddInitiatives(100);
  SetClock(hub, kJan2026 + 75 * kDay + 4000);
  CompareEverything(hub, world, true);

  // Statements of every kind straight on the tables (as a bulk path would write): first
  // admissions spread over two years, instants moved, rows deleted.
  hub.pool.WithTransaction([&](pqxx::work& txn) {
    txn.exec(
        "UPDATE national_initiative_state SET first_admitted_at = timestamptz '2025-03-01' + "
        "(hashtext(record_id::text) % 700 + 700) % 700 * interval '1 day' + interval '5 hours' "
        "WHERE first_admitted_at IS NOT NULL");
    txn.exec(
        "UPDATE national_initiative_state SET first_admitted_at = NULL "
        "WHERE hashtext(record_id::text) % 23 = 0");
    txn.exec("DELETE FROM national_initiative_state WHERE hashtext(record_id::text) % 29 = 0");
    txn.exec(
        "UPDATE national_initiative SET valid_until = valid_until + interval '17 days', "
        "hide_after = hide_after + interval '40 days', latitude = latitude + 0.01 "
        "WHERE hashtext(record_id::text) % 5 = 0");
    txn.exec("DELETE FROM national_initiative WHERE hashtext(record_id::text) % 31 = 0");
  });
  CompareEverything(hub, world, true);

  // The clock forward over many instants, exactly on one, then backward.
  std::int64_t on_instant = 0;
  hub.pool.WithTransaction([&](pqxx::work& txn) {
    on_instant =
        txn.exec(
               "SELECT extract(epoch FROM min(valid_until))::bigint FROM national_initiative "
               "WHERE valid_until > timestamptz '2026-06-01'")[0][0]
            .as<std::int64_t>();
  });
  for (std::int64_t t : {kJan2026 + 150 * kDay, on_instant, kJan2026 + 300 * kDay}) {
    SetClock(hub, t);
    CompareEverything(hub, world, true);
  }
  SetClock(hub, kJan2026 + 120 * kDay);  // behind the last sweep: the tables answer
  CompareEverything(hub, world, false);
  world.Revise(100);
  SetClock(hub, kJan2026 + 500 * kDay);
  CompareEverything(hub, world, true);

  // A TRUNCATE (no row-level change) leaves the aggregates counted again.
  hub.pool.WithTransaction(
      [&](pqxx::work& txn) { txn.exec("TRUNCATE national_initiative_state"); });
  CompareEverything(hub, world, true);
}

TEST_CASE("a map view's box keeps the cells it meets whole") {
  // Before the aggregates, a cell cut by the view's edge showed only its part inside the box:
  // its count and position changed as the map panned. A view now shows whole cells.
  test::HubStoreFixture hub;
  SignedRegionLog log("93", 3);
  hub.Enrol(log);
  // Two initiatives of Marseille in one cell at zoom 6 (cells of 0.703125 degrees).
  log.Initiative(test::TestRecordId(1),
                 test::InitiativePayload("Jardin du Port", "admitted", test::kMarseille));
  test::TestPlace east = test::kMarseille;
  east.longitude += 0.01;
  log.Initiative(test::TestRecordId(2), test::InitiativePayload("Café du Port", "admitted", east));
  REQUIRE(hub.replicas.ApplyBatch("93", log.Batch(0, 2), "t").kind ==
          BatchOutcome::Kind::kAccepted);
  SearchFilters view;
  view.box = GeoBox{5.0, 43.0, test::kMarseille.longitude + 0.005, 44.0};  // the first only
  for (SearchFilters f : {view, [&] {
                            SearchFilters keyword = view;  // the tables' query, same answer
                            keyword.text = "port";
                            return keyword;
                          }()}) {
    auto clusters = hub.pool.WithTransaction(
        [&](pqxx::work& txn) { return NationalQueries(txn, hub.clock).Clusters(f, 6); });
    REQUIRE(clusters.size() == 1);
    CHECK(clusters[0].count == 2);
    CHECK(clusters[0].bounds->max_longitude == doctest::Approx(east.longitude));
  }
}

TEST_CASE("a batch leaves the aggregates as its entries applied one by one would") {
  SignedRegionLog log("93", 3);
  for (std::uint32_t i = 1; i <= 30; ++i) {
    test::TestPlace p = i % 2 ? test::kMarseille : test::kNice;
    p.latitude += i * 0.001;
    log.Initiative(test::TestRecordId(i),
                   test::InitiativePayload("Initiative " + std::to_string(i), "admitted", p,
                                           {{"valid_until", "2026-01-10T00:00:00Z"},
                                            {"hide_after", "2026-02-01T00:00:00Z"}}));
  }
  for (std::uint32_t i = 1; i <= 30; i += 3) {
    log.Initiative(test::TestRecordId(i),
                   test::InitiativePayload("Initiative déplacée", "admitted", test::kNice));
  }
  for (std::uint32_t i = 2; i <= 30; i += 7) {
    log.Append(RecordKind::kInitiative, test::TestRecordId(i),
               R"({"reason":"demande d'effacement"})", Operation::kErase);
  }
  test::HubStoreFixture whole, one_by_one;
  whole.Enrol(log);
  one_by_one.Enrol(log);
  REQUIRE(whole.replicas.ApplyBatch("93", log.Batch(0, log.size()), "t").kind ==
          BatchOutcome::Kind::kAccepted);
  for (std::uint64_t i = 0; i < log.size(); ++i) {
    REQUIRE(one_by_one.replicas.ApplyBatch("93", log.Batch(i, i + 1), "t").kind ==
            BatchOutcome::Kind::kAccepted);
  }
  const auto snapshot = [](test::HubStoreFixture& hub) {
    return hub.pool.WithTransaction(
        [](pqxx::work& txn) { return test::NationalTablesSnapshot(txn); });
  };
  CHECK(snapshot(whole) == snapshot(one_by_one));

  // A bulk catch-up: batches of 7 that leave the node more than 5 entries ahead leave the
  // aggregates alone (the region deferred: the tables answer, equal to the reference), the
  // batch that ends it counts them once, as one by one.
  test::HubStoreFixture bulk;
  bulk.Enrol(log);
  hub::ReplicaLimits limits;
  limits.aggregates_backlog = 5;
  hub::RegionReplicas catching_up(bulk.pool, std::string(kDefaultFederation), bulk.clock,
                                  NamedSigner{"ess-federation/hub", test::HubTestSigner()},
                                  test::TheReferential(), limits);
  int deferred_reads = 0;
  for (std::uint64_t from = 0; from < log.size(); from += 7) {
    const std::uint64_t to = std::min<std::uint64_t>(log.size(), from + 7);
    REQUIRE(catching_up.ApplyBatch("93", log.Batch(from, to), "t").kind ==
            BatchOutcome::Kind::kAccepted);
    bulk.pool.WithTransaction([&](pqxx::work& txn) {
      const bool deferred =
          !txn.exec("SELECT 1 FROM national_aggregate_deferred WHERE region = '93'").empty();
      CHECK(deferred == (log.size() - to > 5));
      const std::int64_t now = bulk.clock.NowMillis();
      SearchFilters all;
      CheckSameClusters(NationalQueries(txn, bulk.clock).Clusters(all, 6),
                        Reference{txn, now}.Clusters(all, 6));
      CheckSameIndicators(NationalQueries(txn, bulk.clock).ComputeIndicators({}),
                          Reference{txn, now}.Compute({}));
      const bool grid = NationalAggregates(txn, now).Clusters({}, 6, "0.703125").has_value();
      CHECK(grid == !deferred);
      if (deferred) ++deferred_reads;
    });
  }
  CHECK(deferred_reads > 0);
  // Swept to the same instant (the reads above swept the bulk one to its clock's), the three
  // are equal.
  for (auto* hub : {&whole, &one_by_one, &bulk}) {
    SetClock(*hub, kJan2026 + 20 * kDay);
    hub->pool.WithTransaction(
        [&](pqxx::work& txn) { NationalQueries(txn, hub->clock).ComputeIndicators(); });
  }
  CHECK(snapshot(bulk) == snapshot(one_by_one));
  CHECK(snapshot(whole) == snapshot(one_by_one));
  CHECK(snapshot(whole).find("to_confirm") != std::string::npos);
}
