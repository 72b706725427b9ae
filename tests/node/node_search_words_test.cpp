// What visitors type in the node's search (issue 14): postcodes, the referential's synonyms,
// a place (GET /api/places), and a search near a place sorted by distance.
#include <doctest/doctest.h>

#include <set>

#include "node/node_migrations.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

constexpr const char* kCsv =
    "name;family;legal_form;activities;postcode;commune;latitude;longitude;description\n"
    "Ressourcerie du Vieux-Port;association;association_loi_1901;reemploi;13001;13055;43.29700;"
    "5.37400;Objets de seconde vie\n"
    "Atelier de réparation de Martigues;association;association_loi_1901;reemploi;13500;13056;"
    "43.40500;5.05000;Petits appareils\n"
    "Cycles Solidaires;association;association_loi_1901;mobilite;;83017;43.24500;5.99900;"
    "Remise en état et location\n"
    "Jardin des Olivettes;association;association_loi_1901;alimentation;;06088;43.70300;"
    "7.26600;Parcelles\n";

std::set<std::string> Names(const Reply& r) {
  std::set<std::string> out;
  for (const auto& item : r.body["items"]) out.insert(item["name"].get<std::string>());
  return out;
}

struct Searchable {
  NodeFixture node;
  Searchable() {
    Session admin = node.Admin();
    node.PublishCharter(admin);
    auto r = node.Post("/api/admin/import",
                       {{"csv", kCsv}, {"separator", ";"}, {"status", "admitted"}}, &admin);
    REQUIRE_MESSAGE(r.status == 201, r.text);
  }
  std::set<std::string> Find(const std::string& query) {
    auto r = node.Get("/api/initiatives?" + query);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    return Names(r);
  }
};

}  // namespace

TEST_CASE("a postcode finds the initiatives of that postcode, or of a commune that has only it") {
  Searchable s;
  CHECK(s.Find("q=13001") == std::set<std::string>{"Ressourcerie du Vieux-Port"});
  CHECK(s.Find("q=13500") == std::set<std::string>{"Atelier de réparation de Martigues"});
  // Belgentier's only postcode: the record has none of its own.
  CHECK(s.Find("q=83210") == std::set<std::string>{"Cycles Solidaires"});
  // Nice has four postcodes: a record without one is not found by any of them.
  CHECK(s.Find("q=06000").empty());
  CHECK(s.Find("q=Martigues") == std::set<std::string>{"Atelier de réparation de Martigues"});
}

TEST_CASE("synonyms of the referential: recyclerie, repair café, vélo") {
  Searchable s;
  CHECK(s.Find("q=recyclerie") == std::set<std::string>{"Ressourcerie du Vieux-Port"});
  CHECK(s.Find("q=repair+caf%C3%A9").count("Atelier de réparation de Martigues") == 1);
  CHECK(s.Find("q=v%C3%A9lo") == std::set<std::string>{"Cycles Solidaires"});
  // Accents do not matter (ess_french unaccents): velo and vélo agree.
  CHECK(s.Find("q=velo") == s.Find("q=v%C3%A9lo"));
  CHECK(s.Find("q=bicyclette") == std::set<std::string>{"Cycles Solidaires"});
  // The map shows what the list shows.
  auto clusters = s.node.Get("/api/map/clusters?bbox=4,42,8,45&zoom=12&q=recyclerie");
  REQUIRE(clusters.status == 200);
  CHECK(clusters.body["clusters"].size() == 1);
}

TEST_CASE("near a place: sorted by distance, each with distance_m") {
  Searchable s;
  // From Marseille's Vieux-Port, 100 km around: Marseille, Martigues, Belgentier.
  auto r = s.node.Get("/api/initiatives?near=43.2965,5.3698&radius_km=100");
  REQUIRE(r.status == 200);
  std::vector<std::string> names;
  double previous = -1;
  for (const auto& item : r.body["items"]) {
    names.push_back(item["name"]);
    REQUIRE(item.contains("distance_m"));
    CHECK(item["distance_m"].get<double>() >= previous);
    previous = item["distance_m"];
  }
  CHECK(names == std::vector<std::string>{"Ressourcerie du Vieux-Port",
                                          "Atelier de réparation de Martigues",
                                          "Cycles Solidaires"});
  // With words too, distance first (as at the hub): both have the activity "Réemploi,
  // réparation et recyclage", the nearer first although the other has the word in its name.
  r = s.node.Get("/api/initiatives?near=43.2965,5.3698&radius_km=100&q=reparation");
  REQUIRE(r.status == 200);
  REQUIRE(r.body["items"].size() == 2);
  CHECK(r.body["items"][0]["name"] == "Ressourcerie du Vieux-Port");
  CHECK(r.body["items"][1]["name"] == "Atelier de réparation de Martigues");
}

TEST_CASE("GET /api/places: the region's communes, departments and the region") {
  NodeFixture node;
  auto r = node.Get("/api/places?q=Marseille");
  REQUIRE_MESSAGE(r.status == 200, r.text);
  REQUIRE(!r.body["places"].empty());
  const auto& marseille = r.body["places"][0];
  CHECK(marseille["kind"] == "commune");
  CHECK(marseille["code"] == "13055");
  CHECK(marseille["department"] == "13");
  CHECK(marseille["region"] == "93");
  CHECK(marseille["latitude"].is_number());
  CHECK(marseille["approximate"] == false);
  CHECK(r.body["places"].size() <= 8);
  // A postcode: its communes (Marseille and its 1st arrondissement).
  r = node.Get("/api/places?q=13001&limit=2");
  REQUIRE(r.status == 200);
  std::set<std::string> codes;
  for (const auto& p : r.body["places"]) codes.insert(p["code"].get<std::string>());
  CHECK(codes == std::set<std::string>{"13055", "13201"});
  // A department by code or name, with its box.
  r = node.Get("/api/places?q=13&limit=1");
  REQUIRE(r.status == 200);
  CHECK(r.body["places"][0]["kind"] == "department");
  CHECK(r.body["places"][0]["bbox"].size() == 4);
  CHECK(node.Get("/api/places?q=bouches-du-rhone&limit=1").body["places"][0]["code"] == "13");
  CHECK(node.Get("/api/places?q=provence-alpes&limit=1").body["places"][0]["kind"] == "region");
  // Another region's places are not the node's.
  CHECK(node.Get("/api/places?q=Lyon").body["places"].empty());
  CHECK(node.Get("/api/places?q=69").body["places"].empty());
  // Bad input: 422 naming the parameter.
  for (const char* bad : {"", "q=", "q=%20-%20", "q=a&limit=0", "q=a&limit=21"}) {
    auto refused = node.Get(std::string("/api/places?") + bad);
    CHECK(refused.status == 422);
    CHECK(refused.body["code"] == "invalid_parameter");
  }
  CHECK(node.Get("/api/places?q=" + std::string(101, 'a')).body["field"] == "q");
  CHECK(node.Get("/api/places?q=a&limit=x").body["field"] == "limit");
}

TEST_CASE("GET /api/places before the referential is loaded: 503") {
  NodeFixture bare(TestSettings(), /*with_referential=*/false);
  CHECK(bare.Get("/api/places?q=Marseille").status == 503);
}

TEST_CASE("migration 140 puts the postcode of rows saved before into their search words") {
  Searchable s;
  // A row as the node saved it before: no postcode among the search words.
  s.node.pool().WithTransaction([](pqxx::work& txn) {
    txn.exec("UPDATE initiative SET search = setweight(to_tsvector('ess_french', name), 'A')");
  });
  CHECK(s.Find("q=13001").empty());
  std::string sql;
  for (const auto& m : node::NodeMigrations()) {
    if (m.name == "140_search_postcodes.sql") sql = m.sql;
  }
  REQUIRE(!sql.empty());
  s.node.pool().WithTransaction([&](pqxx::work& txn) { txn.exec(sql); });
  CHECK(s.Find("q=13001") == std::set<std::string>{"Ressourcerie du Vieux-Port"});
  CHECK(s.Find("q=recyclerie") == std::set<std::string>{"Ressourcerie du Vieux-Port"});
}
