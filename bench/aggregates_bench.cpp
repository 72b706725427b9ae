// The national aggregates (hub/sql/041_national_aggregates.sql) at scale, against the
// queries over the table they replace, on one PostgreSQL in the same run:
//   - load: national rows written by INSERT ... SELECT in statements of 10,000 rows, with the
//     aggregates' triggers and without (the cost the aggregates add to every write);
//   - clusters for all of France (zoom 6, the France box panned a little each time) and for
//     one department (zoom 9, its box, its code), indicators unfiltered and filtered (a region
//     and a period): p50 and p99 over varied queries, each in its own transaction as the
//     hub runs them; the peer is the table's statement the hub ran before (and still runs for
//     the filters the aggregates do not hold).
// Rows are made by SQL (setseed: the same rows every run). Human output on stderr, one JSON
// line per case on stdout (bench/aggregates.sh wraps it with a throwaway PostgreSQL).
//   aggregates_bench <postgresql-url> [--rows N] [--queries N] [--run K]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/clock.h"
#include "core/pg_migrations.h"
#include "hub/store/hub_migrations.h"
#include "hub/store/hub_statements.h"
#include "hub/store/national_aggregates.h"
#include "hub/store/national_queries.h"

using namespace ess;
using namespace ess::hub;
using Clock_ = std::chrono::steady_clock;

namespace {

const char* kTriggers[] = {
    "national_initiative_aggregate_insert", "national_initiative_aggregate_update",
    "national_initiative_aggregate_delete", "national_initiative_aggregate_truncate"};
const char* kStateTriggers[] = {
    "national_initiative_state_aggregate_insert", "national_initiative_state_aggregate_update",
    "national_initiative_state_aggregate_delete", "national_initiative_state_aggregate_truncate"};

void SetTriggers(pqxx::connection& c, bool on) {
  pqxx::work txn(c);
  for (const char* t : kTriggers) {
    txn.exec(std::string("ALTER TABLE national_initiative ") + (on ? "ENABLE" : "DISABLE") +
             " TRIGGER " + t);
  }
  for (const char* t : kStateTriggers) {
    txn.exec(std::string("ALTER TABLE national_initiative_state ") + (on ? "ENABLE" : "DISABLE") +
             " TRIGGER " + t);
  }
  txn.commit();
}

// `rows` initiatives over 18 regions and 96 departments, around 3,000 places of the France
// box (a department is a part of it, as a real one is); seconds taken.
double Load(pqxx::connection& c, long rows) {
  const auto start = Clock_::now();
  for (long from = 0; from < rows; from += 10'000) {
    const long to = std::min(rows, from + 10'000);
    pqxx::work txn(c);
    txn.exec("SELECT setseed(" + std::to_string(static_cast<double>(from) / rows / 2) + ")");
    const std::string series =
        "generate_series(" + std::to_string(from + 1) + ", " + std::to_string(to) + ") AS g";
    txn.exec(
        "INSERT INTO national_initiative_state SELECT 'r' || (g % 18), md5(g::text)::uuid, "
        "1, g, 'admitted', now() - (random() * 730) * interval '1 day', now() FROM " +
        series);
    txn.exec(
        "INSERT INTO national_initiative (region, record_id, record_version, log_index, name, "
        "name_key, family, legal_form, activities, commune, commune_name, department, latitude, "
        "longitude, valid_until, hide_after, admitted_at, search) "
        "SELECT 'r' || (d * 18 / 96), md5(g::text)::uuid, 1, g, 'Initiative ' || g, "
        "'initiative ' || g, 'f' || (l % 8), 'l' || l, ARRAY['a' || (g % 40), 'a' || (g % 7)], "
        "'c' || p, 'Commune ' || p, 'd' || d, py + (random() - 0.5) * 0.08, "
        "px + (random() - 0.5) * 0.1, v, v + interval '90 days', now(), ''::tsvector "
        // A department is one of 12 x 8 rectangles of the France box, a region 5 or 6 of them.
        "FROM (SELECT *, least(11, floor((px + 4.5) / 12.5 * 12))::int "
        "+ 12 * least(7, floor((py - 42.3) / 8.5 * 8))::int AS d FROM "
        "(SELECT g, p, l, v, 42.3 + (hashtext('y' || p) & 1023) / 1024.0 * 8.5 AS py, "
        "-4.5 + (hashtext('x' || p) & 1023) / 1024.0 * 12.5 AS px FROM "
        "(SELECT g, (hashtext(g::text) & 2147483647) % 3000 AS p, g % 20 AS l, "
        "CASE WHEN g % 10 = 0 THEN NULL ELSE now() + (random() * 700 - 200) * interval '1 day' "
        "END AS v FROM " +
        series + ") AS a) AS b) AS x");
    txn.commit();
  }
  return std::chrono::duration<double>(Clock_::now() - start).count();
}

struct Stats {
  double p50 = 0, p99 = 0;
};

Stats Measure(int count, const std::function<void(int)>& one) {
  std::vector<double> ms;
  for (int i = 0; i < count; ++i) {
    const auto start = Clock_::now();
    one(i);
    ms.push_back(std::chrono::duration<double, std::milli>(Clock_::now() - start).count());
  }
  std::sort(ms.begin(), ms.end());
  const auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<std::size_t>(q * ms.size()))];
  };
  return {at(0.5), at(0.99)};
}

std::string Text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: aggregates_bench <postgresql-url> [--rows N] [--queries N] [--run K]\n";
    return 2;
  }
  const std::string url = argv[1];
  long rows = 200'000;
  int queries = 1'000, run = 1;
  for (int i = 2; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--rows") rows = std::atol(argv[i + 1]);
    if (a == "--queries") queries = std::atoi(argv[i + 1]);
    if (a == "--run") run = std::atoi(argv[i + 1]);
  }
  const int peer_queries = std::max(10, queries / 20);
  const std::string command = "bench/aggregates.sh " + std::to_string(rows);
  pqxx::connection c(url);
  ApplyMigrations(c, HubMigrations());
  PrepareHubStatements(c);

  SetTriggers(c, false);
  const double bare = Load(c, rows);
  {
    pqxx::work txn(c);
    txn.exec("TRUNCATE national_initiative, national_initiative_state");
    txn.commit();
  }
  SetTriggers(c, true);
  const double counted = Load(c, rows);
  {
    pqxx::nontransaction n(c);
    n.exec("VACUUM ANALYZE");
  }
  std::cerr << "load of " << rows << " rows: " << rows / counted << " rows/s with the aggregates, "
            << rows / bare << " rows/s without\n";
  std::cout << nlohmann::json{{"bench", "national_aggregates"},
                              {"case", "load_" + std::to_string(rows)},
                              {"run", run},
                              {"ours", {{"value", rows / counted}, {"unit", "rows/s"}}},
                              {"peer",
                               {{"name", "the same INSERT ... SELECT without the aggregates"},
                                {"value", rows / bare},
                                {"unit", "rows/s"}}},
                              {"target", "reported (the aggregates' cost on writes)"},
                              {"met", nullptr},
                              {"command", command}}
                   .dump()
            << std::endl;

  SystemClock clock;
  {
    const auto start = Clock_::now();
    pqxx::work txn(c);
    NationalQueries(txn, clock).ComputeIndicators();  // the first read sweeps every past instant
    txn.commit();
    std::cerr << "first sweep: "
              << std::chrono::duration<double, std::milli>(Clock_::now() - start).count()
              << " ms\n";
  }
  std::mt19937_64 rng(12 + run);
  const auto real = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  std::vector<std::pair<std::string, GeoBox>> departments;
  {
    pqxx::work txn(c);
    for (const auto& row :
         txn.exec("SELECT department, min(longitude), min(latitude), max(longitude), "
                  "max(latitude) FROM national_initiative GROUP BY 1 ORDER BY 1")) {
      departments.push_back(
          {row[0].as<std::string>(),
           {row[1].as<double>(), row[2].as<double>(), row[3].as<double>(), row[4].as<double>()}});
    }
  }
  const auto france = [&] {
    const double dx = real(-0.5, 0.5), dy = real(-0.5, 0.5);
    return GeoBox{-5.5 + dx, 41.0 + dy, 10.0 + dx, 51.5 + dy};
  };
  // The table's statement (national_clusters, the hub's fallback): every argument by hand.
  const auto table_clusters = [&](pqxx::work& txn, const std::optional<std::string>& department,
                                  const GeoBox& box, int zoom) {
    const std::string cell = Text(ClusterCellDegrees(zoom));
    const CellRange r = CellsMeeting(box, std::stod(cell));
    const char* d = department ? department->c_str() : nullptr;
    const char* none = nullptr;
    return txn
        .exec_prepared("national_clusters", clock.NowMillis(), none, none, d, none, none, none,
                       none, none, Text(box.min_longitude), Text(box.min_latitude),
                       Text(box.max_longitude), Text(box.max_latitude), none, none, none, cell,
                       kMaxClusters, r.min_x, r.min_y, r.max_x, r.max_y)
        .size();
  };
  const auto ours_clusters = [&](pqxx::work& txn, const std::optional<std::string>& department,
                                 const GeoBox& box, int zoom) {
    SearchFilters f;
    f.department = department;
    f.box = box;
    return NationalQueries(txn, clock).Clusters(f, zoom).size();
  };
  const auto table_indicators = [&](pqxx::work& txn, const IndicatorFilters& f) {
    const auto text = [](std::optional<std::int64_t> v) {
      return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    };
    const auto from = text(f.from_ms), until = text(f.until_ms);
    const char* region = f.region ? f.region->c_str() : nullptr;
    for (const char* s :
         {"national_count_freshness", "national_count_by_region", "national_count_by_department",
          "national_count_by_family", "national_count_by_legal_form", "national_count_by_activity",
          "national_monthly_growth"}) {
      txn.exec_prepared(s, clock.NowMillis(), region, nullptr, from ? from->c_str() : nullptr,
                        until ? until->c_str() : nullptr);
    }
    txn.exec_prepared("national_count_by_status", region);
  };
  const auto filtered = [&](int i) {
    IndicatorFilters f;
    f.region = "r" + std::to_string(i % 18);
    const std::int64_t today = clock.NowMillis() / 86'400'000 * 86'400'000;
    f.from_ms = today - static_cast<std::int64_t>(real(200, 700)) * 86'400'000;
    f.until_ms = *f.from_ms + static_cast<std::int64_t>(real(20, 200)) * 86'400'000;
    return f;
  };

  struct Case {
    std::string name;
    std::function<void(pqxx::work&, int)> ours, peer;
  };
  std::vector<Case> cases = {
      {"clusters_france", [&](pqxx::work& t, int) { ours_clusters(t, std::nullopt, france(), 6); },
       [&](pqxx::work& t, int) { table_clusters(t, std::nullopt, france(), 6); }},
      {"clusters_department",
       [&](pqxx::work& t, int i) {
         const auto& d = departments[i % departments.size()];
         ours_clusters(t, d.first, d.second, 9);
       },
       [&](pqxx::work& t, int i) {
         const auto& d = departments[i % departments.size()];
         table_clusters(t, d.first, d.second, 9);
       }},
      {"indicators", [&](pqxx::work& t, int) { NationalQueries(t, clock).ComputeIndicators(); },
       [&](pqxx::work& t, int) { table_indicators(t, {}); }},
      {"indicators_region_period",
       [&](pqxx::work& t, int i) { NationalQueries(t, clock).ComputeIndicators(filtered(i)); },
       [&](pqxx::work& t, int i) { table_indicators(t, filtered(i)); }},
  };
  for (const auto& k : cases) {
    const auto in_txn = [&](const std::function<void(pqxx::work&, int)>& q) {
      return [&](int i) {
        pqxx::work txn(c);
        q(txn, i);
        txn.commit();
      };
    };
    const Stats ours = Measure(queries, in_txn(k.ours));
    const Stats peer = Measure(peer_queries, in_txn(k.peer));
    std::cerr << k.name << ": ours p50 " << ours.p50 << " ms, p99 " << ours.p99 << " ms over "
              << queries << "; the table's statement p50 " << peer.p50 << " ms, p99 " << peer.p99
              << " ms over " << peer_queries << " (p99 ratio " << peer.p99 / ours.p99 << "x)\n";
    std::cout << nlohmann::json{{"bench", "national_aggregates"},
                                {"case", k.name + "_" + std::to_string(rows)},
                                {"run", run},
                                {"ours",
                                 {{"value", ours.p99}, {"unit", "ms p99"}, {"p50", ours.p50}}},
                                {"peer",
                                 {{"name", "the table's statement (before)"},
                                  {"value", peer.p99},
                                  {"unit", "ms p99"},
                                  {"p50", peer.p50}}},
                                {"target", "p99 <= 50 ms"},
                                {"met", ours.p99 <= 50},
                                {"command", command}}
                     .dump()
              << std::endl;
  }
  return 0;
}
