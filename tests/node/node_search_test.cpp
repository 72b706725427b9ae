// Search in PostgreSQL through the HTTP API: French full text (stemming, accents, prefix),
// filters, bounding box, radius with distance order, pagination, clusters, staff filters.
#include <doctest/doctest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/geo.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

constexpr const char* kCsv =
    "name;family;legal_form;activities;commune;latitude;longitude;description\n"
    "Épicerie solidaire du Panier;association;association_loi_1901;alimentation;13055;43.29900;5.36900;"
    "Produits locaux à prix justes\n"
    "Les Épiceries du Cours;cooperative;scic;alimentation|commerce_equitable;13001;43.52830;5.44973;Coopérative de consommateurs\n"
    "Garage solidaire niçois;association;association_loi_1901;reemploi|mobilite;06088;43.70313;7.26608;Réparation de vélos\n"
    "Énergie partagée Provence;cooperative;scic;energie;13055;43.30000;5.40000;Centrales villageoises\n";

std::set<std::string> Names(const Reply& r) {
  std::set<std::string> out;
  for (const auto& item : r.body["items"]) out.insert(item["name"].get<std::string>());
  return out;
}

std::vector<std::string> Ordered(const Reply& r) {
  std::vector<std::string> out;
  for (const auto& item : r.body["items"]) out.push_back(item["name"]);
  return out;
}

struct Searchable {
  NodeFixture node;
  Session admin;
  Searchable() {
    admin = node.Admin();
    node.PublishCharter(admin);
    auto r = node.Post("/api/admin/import", {{"csv", kCsv}, {"separator", ";"}, {"status", "admitted"}}, &admin);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    node.Submit({{"name", "Épicerie en attente"}});  // pending: never in public results
  }
  Reply Find(const std::string& query) {
    auto r = node.Get("/api/initiatives?" + query);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    return r;
  }
};

}  // namespace

TEST_CASE("French full text: prefix as you type, accents, stemming, activity labels") {
  Searchable s;
  CHECK(Names(s.Find("q=%C3%A9pic")) == std::set<std::string>{"Épicerie solidaire du Panier", "Les Épiceries du Cours"});
  CHECK(Names(s.Find("q=epic")).size() == 2);
  CHECK(Names(s.Find("q=EPICERIES")).size() == 2);  // plural, upper case, no accent
  CHECK(Names(s.Find("q=epicerie+panier")) == std::set<std::string>{"Épicerie solidaire du Panier"});
  CHECK(Names(s.Find("q=renouvelable")) == std::set<std::string>{"Énergie partagée Provence"});  // activity label
  CHECK(Names(s.Find("q=velo")) == std::set<std::string>{"Garage solidaire niçois"});            // description
  CHECK(Names(s.Find("q=nice")) == std::set<std::string>{"Garage solidaire niçois"});            // commune name
  CHECK(s.Find("q=%27%20%26%20%21%28").body["total"] == 4);  // operators only: no filter, no error
  CHECK(s.Find("q=zzzz").body["total"] == 0);
  // Relevance order: the name match first.
  CHECK(Ordered(s.Find("q=solidaire")).size() == 2);
}

TEST_CASE("filters, bounding box, radius sorted by distance, pagination") {
  Searchable s;
  CHECK(s.Find("").body["total"] == 4);
  CHECK(Names(s.Find("department=06")) == std::set<std::string>{"Garage solidaire niçois"});
  CHECK(Names(s.Find("commune=13001")) == std::set<std::string>{"Les Épiceries du Cours"});
  CHECK(Names(s.Find("family=cooperative")) ==
        std::set<std::string>{"Les Épiceries du Cours", "Énergie partagée Provence"});
  CHECK(Names(s.Find("activity=alimentation&department=13")).size() == 2);
  CHECK(s.Find("freshness=fresh").body["total"] == 4);
  CHECK(Names(s.Find("bbox=5.3,43.2,5.5,43.4")) ==
        std::set<std::string>{"Épicerie solidaire du Panier", "Énergie partagée Provence"});
  auto near = s.Find("near=43.2965,5.3698&radius_km=50");
  CHECK(Ordered(near) == std::vector<std::string>{"Épicerie solidaire du Panier", "Énergie partagée Provence",
                                                  "Les Épiceries du Cours"});
  // Metres, as at the hub (the node answered distance_km before).
  CHECK(near.body["items"][0]["distance_m"].get<double>() < 1'000);
  CHECK(near.body["items"][2]["distance_m"].get<double>() > 20'000);
  CHECK_FALSE(near.body["items"][0].contains("distance_km"));
  CHECK(s.Find("near=43.2965,5.3698&radius_km=5").body["total"] == 2);
  auto page1 = s.Find("per_page=3&page=1");
  auto page2 = s.Find("per_page=3&page=2");
  CHECK(page1.body["items"].size() == 3);
  CHECK(page2.body["items"].size() == 1);
  CHECK(page2.body["total"] == 4);
  CHECK(page2.body["page"] == 2);
  std::set<std::string> all = Names(page1);
  all.merge(Names(page2));
  CHECK(all.size() == 4);
}

TEST_CASE("staff search sees every status; the public never does") {
  Searchable s;
  auto pending = s.node.Get("/api/initiatives?status=pending", &s.admin);
  REQUIRE(pending.status == 200);
  CHECK(Names(pending) == std::set<std::string>{"Épicerie en attente"});
  CHECK(s.node.Get("/api/initiatives", &s.admin).body["total"] == 5);
  CHECK(s.Find("q=attente").body["total"] == 0);
}

TEST_CASE("the staff's status list, read at the adapter; bbox required for clusters") {
  Searchable s;
  auto two = s.node.Get("/api/initiatives?status=pending,admitted", &s.admin);
  REQUIRE(two.status == 200);
  CHECK(two.body["total"] == 5);
  std::set<std::string> statuses;
  for (const auto& item : two.body["items"]) statuses.insert(item["status"].get<std::string>());
  CHECK(statuses == std::set<std::string>{"pending", "admitted"});
  auto unknown = s.node.Get("/api/initiatives?status=pending,nope", &s.admin);
  CHECK(unknown.status == 422);
  CHECK(unknown.body["field"] == "status");
  CHECK(unknown.body["message"] == "Statut inconnu : « nope ».");
  CHECK(s.node.Get("/api/initiatives?status=", &s.admin).body["total"] == 5);  // empty: absent
  auto no_box = s.node.Get("/api/map/clusters?zoom=5");
  CHECK(no_box.status == 422);
  CHECK(no_box.body["code"] == "required");
  CHECK(s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=5&status=admitted").status == 403);
}

TEST_CASE("map clusters for a bounding box and zoom, computed on the server") {
  Searchable s;
  auto coarse = s.Find("");  // warm-up: the list has 4
  auto r = s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=5");
  REQUIRE_MESSAGE(r.status == 200, r.text);
  long long total = 0;
  for (const auto& c : r.body["clusters"]) total += c["count"].get<long long>();
  CHECK(total == 4);
  CHECK(r.body["clusters"].size() < 4);  // Marseille and Aix share a cell at this zoom
  auto fine = s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=14");
  REQUIRE(fine.body["clusters"].size() == 4);
  std::set<std::string> families;
  for (const auto& c : fine.body["clusters"]) {
    CHECK(c["count"] == 1);
    CHECK(c["id"].is_string());
    // What the map's preview card shows (issue 14, contract 3).
    CHECK(c["commune_name"].is_string());
    CHECK(c["freshness"] == "fresh");
    families.insert(c["family"].get<std::string>());
    if (c["name"] == "Garage solidaire niçois") CHECK(c["commune_name"] == "Nice");
    // Imported at their commune's own point (Nice, Aix-en-Provence), the others placed.
    const bool at_commune =
        c["name"] == "Garage solidaire niçois" || c["name"] == "Les Épiceries du Cours";
    CHECK(c["location_precision"] == (at_commune ? "commune" : "placed"));
  }
  CHECK(families == std::set<std::string>{"association", "cooperative"});
  for (const auto& c : r.body["clusters"]) {
    if (c["count"] != 1) CHECK_FALSE(c.contains("family"));
  }
  auto filtered = s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=14&activity=energie");
  CHECK(filtered.body["clusters"].size() == 1);
  CHECK(s.node.Get("/api/map/clusters?zoom=5").status == 422);
  CHECK(s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=30").status == 422);
}

TEST_CASE(
    "freshness boundary: at valid_until exactly the record is to confirm, in search and on its "
    "page") {
  Searchable s;  // imported now: valid until now + 365 days (core/freshness.h, as at the hub)
  s.node.clock.Advance(std::chrono::hours(24 * 365) - std::chrono::milliseconds(1));
  CHECK(s.Find("freshness=to_confirm").body["total"] == 0);
  CHECK(s.Find("freshness=fresh").body["total"] == 4);
  s.node.clock.Advance(std::chrono::milliseconds(1));  // now == valid_until
  auto stale = s.Find("freshness=to_confirm");
  CHECK(stale.body["total"] == 4);
  CHECK(s.Find("freshness=fresh").body["total"] == 0);
  CHECK(s.Find("").body["total"] == 4);  // still on the map
  REQUIRE(stale.body["items"].size() == 4);
  for (const auto& item : stale.body["items"]) CHECK(item["freshness"] == "to_confirm");
  const std::string id = stale.body["items"][0]["id"];
  CHECK(s.node.Get("/api/initiatives/" + id).body["freshness"] == "to_confirm");
  // The map's single points say so too (a different marker).
  auto points = s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=14");
  REQUIRE(points.body["clusters"].size() == 4);
  for (const auto& c : points.body["clusters"]) CHECK(c["freshness"] == "to_confirm");
}

TEST_CASE(
    "search words: the last one is a prefix, the others whole, up to 16 words "
    "(core/search_query.h)") {
  Searchable s;
  // "epi" is no whole word of any record: before the last word it matches nothing.
  CHECK(s.Find("q=epi+panier").body["total"] == 0);
  CHECK(Names(s.Find("q=panier+epi")) == std::set<std::string>{"Épicerie solidaire du Panier"});
  CHECK(Names(s.Find("q=epicerie+pan")) == std::set<std::string>{"Épicerie solidaire du Panier"});
  CHECK(s.Find("q=epicerie+pan+").body["total"] == 0);  // a space after it: "pan" is a whole word
  // Ten words, all kept: the tenth still narrows the search (the node kept 8 before).
  CHECK(Names(s.Find("q=epicerie+epicerie+epicerie+epicerie+epicerie+epicerie+epicerie+epicerie+"
                     "epicerie+panier")) == std::set<std::string>{"Épicerie solidaire du Panier"});
  CHECK(s.Find("q=epicerie+epicerie+epicerie+epicerie+epicerie+epicerie+epicerie+epicerie+epicerie+"
               "zzzz")
            .body["total"] == 0);
}

TEST_CASE("search parameters read by core, as at the hub (core/search_params.h)") {
  Searchable s;
  // A radius without its centre was ignored; it is refused, naming near, as at the hub.
  auto radius = s.node.Get("/api/initiatives?radius_km=6");
  CHECK(radius.status == 422);
  CHECK(radius.body["field"] == "near");
  // A trailing comma made a fifth, empty number the node's parser skipped.
  auto bbox = s.node.Get("/api/initiatives?bbox=5.3,43.2,5.5,43.4,");
  CHECK(bbox.status == 422);
  CHECK(bbox.body["field"] == "bbox");
  CHECK(s.node.Get("/api/initiatives?per_page=%2B3").status == 422);
  CHECK(s.node.Get("/api/initiatives?q=" + std::string(201, 'a')).body["code"] == "too_long");
  CHECK(s.node.Get("/api/initiatives?department=13%27").body["field"] == "department");
  CHECK(s.node.Get("/api/initiatives?freshness=hidden").status == 403);
  CHECK(s.node.Get("/api/initiatives?freshness=hidden", &s.admin).status == 200);
  // The radius bounds the clusters too (the exact distance, as at the hub).
  auto clusters =
      s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=14&near=43.2965,5.3698&radius_km=5");
  REQUIRE(clusters.status == 200);
  CHECK(clusters.body["clusters"].size() == 2);
  CHECK(s.node.Get("/api/map/clusters?bbox=4,43,8,44&zoom=5").body["cell_degrees"] ==
        ClusterCellDegrees(5));
}

TEST_CASE(
    "an employer left unsaid is published unsaid, not as false (the listing's « non précisé »)") {
  Searchable s;  // the CSV has no employer column
  for (const auto& item : s.Find("").body["items"]) CHECK_FALSE(item.contains("employer"));
  auto [unsaid, t1] = s.node.Submit({{"employer", nullptr}});
  auto [no, t2] = s.node.Submit({{"name", "Atelier vélo"}, {"employer", false}});
  auto [yes, t3] = s.node.Submit({{"name", "Recyclerie"}});
  CHECK_FALSE(s.node.Get("/api/initiatives/" + unsaid, &s.admin).body.contains("employer"));
  CHECK(s.node.Get("/api/initiatives/" + no, &s.admin).body["employer"] == false);
  CHECK(s.node.Get("/api/initiatives/" + yes, &s.admin).body["employer"] == true);
}

namespace {

// Reads the region's change feed from `after` to its end, `per_page` a page, into `copy`
// (id -> record) as a consumer would; returns the cursor to resume from.
std::string Replay(Searchable& s, std::map<std::string, json>& copy, std::string after,
                   int per_page, std::vector<json>* seen = nullptr) {
  for (int pages = 0; pages < 100; ++pages) {
    auto r = s.node.Get("/api/changes?limit=" + std::to_string(per_page) +
                        (after.empty() ? "" : "&after=" + after));
    REQUIRE_MESSAGE(r.status == 200, r.text);
    CHECK(r.body["changes"].size() <= static_cast<std::size_t>(per_page));
    for (const auto& c : r.body["changes"]) {
      if (seen) seen->push_back(c);
      CHECK(c["region"] == "93");
      if (c["change"] == "upsert") {
        copy[c["id"]] = c["record"];
      } else {
        CHECK(c["change"] == "removal");
        copy.erase(c["id"].get<std::string>());
      }
    }
    after = r.body["next"];
    if (!r.body["more"].get<bool>()) return after;
  }
  FAIL("the change feed never ended");
  return after;
}

// The region's public search, every item by id.
std::map<std::string, json> PublicView(Searchable& s) {
  std::map<std::string, json> out;
  const Reply all = s.Find("per_page=100");
  for (const auto& item : all.body["items"]) out[item["id"]] = item;
  return out;
}

}  // namespace

TEST_CASE("the region's change feed replays into its public search, removals included") {
  Searchable s;
  std::map<std::string, json> copy;
  std::vector<json> first;
  const std::string cursor = Replay(s, copy, "", 2, &first);
  const auto view = PublicView(s);
  CHECK(copy == view);
  CHECK(copy.size() == 4);
  for (const auto& c : first) CHECK(c["record"]["name"] != "Épicerie en attente");  // pending
  for (std::size_t i = 1; i < first.size(); ++i) {
    CHECK(first[i]["log_index"].get<std::uint64_t>() >
          first[i - 1]["log_index"].get<std::uint64_t>());
  }
  CHECK(cursor == "93." + std::to_string(first.back()["log_index"].get<std::uint64_t>()));
  auto caught_up = s.node.Get("/api/changes?after=" + cursor);
  CHECK(caught_up.body["changes"].empty());
  CHECK(caught_up.body["next"] == cursor);

  // The admin withdraws one, erases another; a new one is imported.
  const std::string withdrawn = view.begin()->first, erased = std::next(view.begin())->first;
  REQUIRE(s.node.Post("/api/admin/initiatives/" + withdrawn + "/withdraw", json::object(), &s.admin)
              .status == 200);
  REQUIRE(
      s.node.Post("/api/admin/initiatives/" + erased + "/erase", json::object(), &s.admin).status ==
      200);
  auto imported = s.node.Post(
      "/api/admin/import",
      {{"csv",
        "name;family;legal_form;activities;commune;latitude;longitude;description\n"
        "Ressourcerie du Vieux-Port;association;association_loi_1901;reemploi;13055;43.29500;"
        "5.37000;Objets réparés\n"},
       {"separator", ";"},
       {"status", "admitted"}},
      &s.admin);
  REQUIRE_MESSAGE(imported.status == 201, imported.text);

  std::vector<json> later;
  Replay(s, copy, cursor, 1, &later);
  CHECK(copy == PublicView(s));
  CHECK(copy.size() == 3);
  REQUIRE(later.size() == 3);
  std::map<std::string, json> by_id;
  for (const auto& c : later) by_id[c["id"]] = c;
  CHECK(by_id[withdrawn]["change"] == "removal");
  CHECK(by_id[withdrawn]["status"] == "withdrawn");
  CHECK(by_id[erased]["change"] == "removal");
  CHECK(by_id[erased]["status"] == "erased");
  CHECK(later.back()["record"]["name"] == "Ressourcerie du Vieux-Port");
  // From the start in one page, the same; another region has nothing here.
  std::map<std::string, json> fresh;
  Replay(s, fresh, "", 1000);
  CHECK(fresh == PublicView(s));
  auto other = s.node.Get("/api/changes?region=76");
  CHECK(other.body["changes"].empty());
  for (const char* target : {"/api/changes?after=93", "/api/changes?limit=0",
                             "/api/changes?limit=1001", "/api/changes?region=PACA"}) {
    CAPTURE(target);
    CHECK(s.node.Get(target).status == 422);
  }
}
