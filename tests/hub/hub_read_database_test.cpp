// The hub's national reads on a read-only replica (--database-read, hub/hub_config.h): the
// HTTP API's read routes take the replica's rows, under read-only transactions as a hot
// standby imposes them, while migrations stay on --database. The "replica" here is a second
// database of its own whose sessions are all read-only, enrolled with other regions than the
// primary so that the answer tells which one was read.
#include <doctest/doctest.h>

#include <pqxx/pqxx>
#include <set>
#include <utility>
#include <vector>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

// The regions GET /api/regions lists, in order ("52 93").
std::string RegionsServed(int port) {
  std::set<std::string> regions;
  const nlohmann::json body = GetJson(port, "/api/regions");
  for (const auto& r : body["regions"]) {
    regions.insert(r["region"].get<std::string>());
  }
  std::string out;
  for (const auto& r : regions) out += (out.empty() ? "" : " ") + r;
  return out;
}

}  // namespace

TEST_CASE("--database-read: the national read routes answer from the read-only replica") {
  TempDir dir;
  TestDatabase primary, replica;
  const std::string paca = MakeKey(dir, "ess-federation/region/93", "paca.key");
  const std::string occitanie = MakeKey(dir, "ess-federation/region/76", "occitanie.key");
  const std::string loire = MakeKey(dir, "ess-federation/region/52", "loire.key");
  Enrol(dir, primary.connection_string(), "93", paca);
  Enrol(dir, primary.connection_string(), "76", occitanie);
  Enrol(dir, replica.connection_string(), "93", paca);
  Enrol(dir, replica.connection_string(), "52", loire);
  {
    pqxx::connection c(replica.connection_string());
    pqxx::nontransaction(c).exec0("ALTER DATABASE " + c.quote_name(replica.name()) +
                                  " SET default_transaction_read_only = on");
  }
  {
    pqxx::connection c(replica.connection_string());
    pqxx::work txn(c);
    CHECK_THROWS_AS(txn.exec0("CREATE TABLE written_here (x int)"), pqxx::sql_error);
  }

  SUBCASE("without the option, the hub reads its own database") {
    HubProcess hub(dir, primary.connection_string());
    hub.Start();
    CHECK(RegionsServed(hub.http_port()) == "76 93");
  }
  SUBCASE("with it, every national read comes from the replica") {
    HubProcess hub(dir, primary.connection_string(),
                   {"--database-read", replica.connection_string()});
    hub.Start();
    CHECK(RegionsServed(hub.http_port()) == "52 93");
    CHECK(GetJson(hub.http_port(), "/api/regions/52")["region"] == "52");
    CHECK(HttpGet(hub.http_port(), "/api/regions/76").status == 404);
    // Every read route runs its queries in read-only transactions there, with the
    // statements the replica's connections prepare.
    CHECK(GetJson(hub.http_port(), "/api/initiatives?q=epicerie")["total"] == 0);
    const std::string unknown = "/api/initiatives/52/0b4f3c2e-9a1d-4e5f-8a7b-6c5d4e3f2a1b";
    const std::vector<std::pair<std::string, int>> routes = {
        {"/api/initiatives?q=epicerie&region=52", 200},
        {"/api/map/clusters?zoom=5", 200},
        {"/api/indicators", 200},
        {"/api/indicators?region=93", 200},
        {"/api/duplicates", 200},
        {"/api/export/initiatives.csv", 200},
        {"/api/export/initiatives.geojson", 200},
        {unknown, 404},
        {unknown + "/proof", 404},
    };
    for (const auto& [target, status] : routes) {
      CAPTURE(target);
      CHECK(HttpGet(hub.http_port(), target).status == status);
    }
  }
}
