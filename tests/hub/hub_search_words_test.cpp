// What visitors type in the national search (issue 14), as on the node: postcodes, the
// referential's synonyms (core/search_query.h), a place (GET /api/places, all of France), and
// a search near a place sorted by distance.
#include <doctest/doctest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "core/referential.h"
#include "hub/api/hub_http_api.h"
#include "tests/hub/hub_store_fixture.h"
#include "tests/hub/hub_test_support.h"

using namespace ess;
using namespace ess::hub;
using nlohmann::json;
using test::InitiativePayload;
using test::SignedRegionLog;

namespace {

using test::TheReferential;

struct Fixture : test::HubStoreFixture {
  HubHttpApi api{pool,
                 clock,
                 TheReferential(),
                 std::string(kDefaultFederation),
                 {"ess-federation/hub", test::HubTestSigner().public_key()}};
  SignedRegionLog paca{"93", 1};

  Fixture() {
    Enrol(paca);
    paca.Initiative(test::TestRecordId(1),
                    InitiativePayload("Ressourcerie du Vieux-Port", "admitted",
                                      {"13055", "13", "93", 43.29700, 5.37400},
                                      {{"postcode", "13001"}, {"activities", {"reemploi"}}}));
    paca.Initiative(test::TestRecordId(2),
                    InitiativePayload("Atelier de réparation de Martigues", "admitted",
                                      {"13056", "13", "93", 43.40500, 5.05000},
                                      {{"postcode", "13500"}, {"activities", {"reemploi"}}}));
    paca.Initiative(
        test::TestRecordId(3),
        InitiativePayload("Cycles Solidaires", "admitted", {"83017", "83", "93", 43.24500, 5.99900},
                          {{"activities", {"mobilite"}}}));
    REQUIRE(replicas.ApplyBatch("93", paca.Batch(0, 3), "t").kind == BatchOutcome::Kind::kAccepted);
  }

  json Get(const std::string& target, int expected_status = 200) {
    HttpResponse res = api(test::ApiRequest("GET", target));
    CAPTURE(target);
    CAPTURE(res.BodyText());
    CHECK(res.status == expected_status);
    return json::parse(res.BodyText());
  }
  std::set<std::string> Find(const std::string& query) {
    std::set<std::string> out;
    const json page = Get("/api/initiatives?" + query);
    for (const auto& item : page["items"]) out.insert(item["name"].get<std::string>());
    return out;
  }
};

}  // namespace

TEST_CASE("national search: postcodes, and a commune's only postcode") {
  Fixture f;
  CHECK(f.Find("q=13001") == std::set<std::string>{"Ressourcerie du Vieux-Port"});
  CHECK(f.Find("q=13500") == std::set<std::string>{"Atelier de réparation de Martigues"});
  CHECK(f.Find("q=83210") == std::set<std::string>{"Cycles Solidaires"});
}

TEST_CASE("national search: the referential's synonyms, as on the node") {
  Fixture f;
  CHECK(f.Find("q=recyclerie") == std::set<std::string>{"Ressourcerie du Vieux-Port"});
  CHECK(f.Find("q=repair+caf%C3%A9").count("Atelier de réparation de Martigues") == 1);
  CHECK(f.Find("q=v%C3%A9lo") == std::set<std::string>{"Cycles Solidaires"});
  CHECK(f.Find("q=velo") == f.Find("q=v%C3%A9lo"));
  auto clusters = f.Get("/api/map/clusters?q=recyclerie&zoom=12");
  std::uint64_t count = 0;
  for (const auto& c : clusters["clusters"]) count += c["count"].get<std::uint64_t>();
  CHECK(count == 1);
}

TEST_CASE("national search near a place: by distance with distance_m by default") {
  Fixture f;
  auto page = f.Get("/api/initiatives?near=43.2965,5.3698&radius_km=100&q=reparation");
  REQUIRE(page["items"].size() == 2);
  CHECK(page["items"][0]["name"] == "Ressourcerie du Vieux-Port");
  CHECK(page["items"][1]["name"] == "Atelier de réparation de Martigues");
  CHECK(page["items"][0]["distance_m"].get<double>() <
        page["items"][1]["distance_m"].get<double>());
}

TEST_CASE("GET /api/places at the hub: all of France") {
  Fixture f;
  auto places = f.Get("/api/places?q=Lyon&limit=1")["places"];
  REQUIRE(places.size() == 1);
  CHECK(places[0]["code"] == "69123");
  CHECK(places[0]["region"] == "84");
  places = f.Get("/api/places?q=2A&limit=1")["places"];
  REQUIRE(places.size() == 1);
  CHECK(places[0]["kind"] == "department");
  CHECK(places[0]["name"] == "Corse-du-Sud");
  CHECK(places[0]["bbox"].size() == 4);
  places = f.Get("/api/places?q=13001")["places"];
  REQUIRE(places.size() >= 3);
  CHECK(places[0]["code"] == "13055");  // the postcode's communes, then Aix's INSEE code
  CHECK(places[2]["code"] == "13001");
  places = f.Get("/api/places?q=occitanie&limit=1")["places"];
  CHECK(places[0]["kind"] == "region");
  CHECK(f.Get("/api/places?q=", 422)["field"] == "q");
  CHECK(f.Get("/api/places?q=a&limit=50", 422)["field"] == "limit");
}

TEST_CASE("migration 022 puts the postcode of rows stored before into their search words") {
  Fixture f;
  f.pool.WithTransaction([](pqxx::work& txn) {
    txn.exec("UPDATE national_initiative SET search = to_tsvector('ess_french', name)");
  });
  CHECK(f.Find("q=13001").empty());
  std::string sql;
  for (const auto& m : HubMigrations()) {
    if (m.name == "022_search_postcodes.sql") sql = m.sql;
  }
  REQUIRE(!sql.empty());
  f.pool.WithTransaction([&](pqxx::work& txn) { txn.exec(sql); });
  CHECK(f.Find("q=13001") == std::set<std::string>{"Ressourcerie du Vieux-Port"});
}
