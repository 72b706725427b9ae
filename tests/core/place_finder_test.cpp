// core's search by place (core/place_finder.h), the one the node's and the hub's
// GET /api/places answer with.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "core/place_finder.h"

using namespace ess;

namespace {

constexpr const char* kReferential = R"({
  "version": "test-places",
  "families": [], "legal_forms": [], "activities": [],
  "regions": [{"code": "93", "name": "Provence-Alpes-Côte d'Azur"},
              {"code": "94", "name": "Corse"}],
  "departments": [{"code": "13", "name": "Bouches-du-Rhône", "region": "93"},
                  {"code": "83", "name": "Var", "region": "93"},
                  {"code": "2A", "name": "Corse-du-Sud", "region": "94"}],
  "communes": [
    {"code": "13055", "name": "Marseille", "department": "13", "region": "93",
     "postcodes": ["13001", "13002", "13003"], "latitude": 43.3, "longitude": 5.4},
    {"code": "13201", "name": "Marseille 1er Arrondissement", "department": "13", "region": "93",
     "postcodes": ["13001"], "latitude": 43.3, "longitude": 5.38, "approximate": true},
    {"code": "13001", "name": "Aix-en-Provence", "department": "13", "region": "93",
     "postcodes": ["13090", "13100"], "latitude": 43.5, "longitude": 5.4},
    {"code": "13004", "name": "Arles", "department": "13", "region": "93",
     "postcodes": ["13200"], "latitude": 43.7, "longitude": 4.6},
    {"code": "83119", "name": "Saint-Maximin-la-Sainte-Baume", "department": "83", "region": "93",
     "postcodes": ["83470"], "latitude": 43.45, "longitude": 5.86},
    {"code": "83210", "name": "Variété", "department": "83", "region": "93",
     "postcodes": ["83210"]},
    {"code": "2A004", "name": "Ajaccio", "department": "2A", "region": "94",
     "postcodes": ["20000"], "latitude": 41.93, "longitude": 8.74}]
})";

const Referential& TestReferential() {
  static const Referential r = Referential::FromJson(kReferential);
  return r;
}

std::vector<std::string> Codes(const std::vector<Place>& places) {
  std::vector<std::string> out;
  for (const auto& p : places) out.push_back(p.code);
  return out;
}

}  // namespace

TEST_CASE("a commune by its name: accents, case and hyphens ignored, start of a word") {
  const auto finder = PlaceFinder::Of(TestReferential());
  CHECK(Codes(finder.Find("Marseille", 8)) == std::vector<std::string>{"13055", "13201"});
  CHECK(Codes(finder.Find("aix en prov", 8)) == std::vector<std::string>{"13001"});
  CHECK(Codes(finder.Find("AIX-EN-PROVENCE", 8)) == std::vector<std::string>{"13001"});
  // A word of the name: "provence" is in Aix-en-Provence and in the region's name.
  CHECK(Codes(finder.Find("provence", 8)) == std::vector<std::string>{"93", "13001"});
  CHECK(Codes(finder.Find("sainte baume", 8)) == std::vector<std::string>{"83119"});
  CHECK(Codes(finder.Find("variete", 8)) == std::vector<std::string>{"83210"});
  CHECK(finder.Find("!!!", 8).empty());
  CHECK(finder.Find("Lyon", 8).empty());
}

TEST_CASE("a postcode gives its communes, before the commune of that INSEE code") {
  const auto finder = PlaceFinder::Of(TestReferential());
  // 13001 is Marseille's first postcode and Aix-en-Provence's INSEE code.
  const auto found = finder.Find("13001", 8);
  CHECK(Codes(found) == std::vector<std::string>{"13055", "13201", "13001"});
  CHECK(Codes(finder.Find("1320", 8)) == std::vector<std::string>{"13004", "13201"});
  CHECK(Codes(finder.Find("83210", 8)) == std::vector<std::string>{"83210"});
}

TEST_CASE("a department by its code or its name, a region by its name") {
  const auto finder = PlaceFinder::Of(TestReferential());
  auto found = finder.Find("13", 3);
  REQUIRE(found.size() == 3);
  CHECK(found[0].kind == PlaceKind::kDepartment);
  CHECK(found[0].code == "13");
  CHECK(found[1].code == "13055");  // the commune with the most postcodes next
  CHECK(Codes(finder.Find("2a", 1)) == std::vector<std::string>{"2A"});
  found = finder.Find("bouches du rhone", 8);
  REQUIRE(found.size() == 1);
  const Place& d = found[0];
  CHECK(d.region == "93");
  CHECK(d.centre.latitude == doctest::Approx((43.3 + 43.3 + 43.5 + 43.7) / 4));
  REQUIRE(d.box);
  CHECK(d.box->min_longitude == doctest::Approx(4.6));
  CHECK(d.box->max_latitude == doctest::Approx(43.7));
  // "Var" is a department and the start of a commune's name: the department first.
  CHECK(Codes(finder.Find("var", 8)) == std::vector<std::string>{"83", "83210"});
  found = finder.Find("Côte d'Azur", 8);
  REQUIRE(found.size() == 1);
  CHECK(found[0].kind == PlaceKind::kRegion);
  CHECK(found[0].region == "93");
}

TEST_CASE("a commune without a point has its department's centre, marked approximate") {
  const auto finder = PlaceFinder::Of(TestReferential());
  auto found = finder.Find("83210", 1);
  REQUIRE(found.size() == 1);
  CHECK(found[0].approximate);
  CHECK(found[0].centre.latitude == doctest::Approx(43.45));
  CHECK_FALSE(finder.Find("Marseille", 1)[0].approximate);
  CHECK(finder.Find("Marseille 1er", 1)[0].approximate);
}

TEST_CASE("a node's finder holds its region only") {
  const auto finder = PlaceFinder::Of(TestReferential(), "93");
  CHECK(finder.Find("Ajaccio", 8).empty());
  CHECK(finder.Find("Corse", 8).empty());
  CHECK(finder.Find("2A", 8).empty());
  CHECK(Codes(finder.Find("Marseille", 1)) == std::vector<std::string>{"13055"});
  CHECK(Codes(PlaceFinder::Of(TestReferential(), "94").Find("corse", 8)) ==
        std::vector<std::string>{"94", "2A"});
}

TEST_CASE("the JSON of a place") {
  const auto finder = PlaceFinder::Of(TestReferential());
  auto j = nlohmann::json::parse(PlacesJson(finder.Find("Marseille", 1)));
  CHECK(j == nlohmann::json::parse(R"({"places": [{"kind": "commune", "code": "13055",
    "name": "Marseille", "department": "13", "region": "93",
    "postcodes": ["13001", "13002", "13003"], "latitude": 43.3, "longitude": 5.4,
    "approximate": false}]})"));
  j = nlohmann::json::parse(PlacesJson(finder.Find("83", 1)));
  CHECK(j["places"][0]["kind"] == "department");
  CHECK(j["places"][0]["bbox"] == nlohmann::json::parse("[5.86, 43.45, 5.86, 43.45]"));
  CHECK_FALSE(j["places"][0].contains("postcodes"));
  j = nlohmann::json::parse(PlacesJson(finder.Find("Corse", 1)));
  CHECK(j["places"][0]["kind"] == "region");
  CHECK(j["places"][0]["code"] == "94");
}

TEST_CASE("the query parameters: q of 1 to 100 bytes, limit of 1 to 20") {
  auto read = [](QueryMap query, PlaceQuery& out) { return ReadPlaceQuery(LookupIn(query), out); };
  PlaceQuery q;
  CHECK_FALSE(read({{"q", "Marseille"}}, q));
  CHECK(q.text == "Marseille");
  CHECK(q.limit == kDefaultPlaces);
  CHECK_FALSE(read({{"q", "13"}, {"limit", "20"}}, q));
  CHECK(q.limit == 20);
  CHECK(read({}, q)->field == "q");
  CHECK(read({{"q", "--"}}, q)->field == "q");
  CHECK(read({{"q", std::string(101, 'a')}}, q)->field == "q");
  CHECK_FALSE(read({{"q", std::string(100, 'a')}}, q));
  for (const char* bad : {"0", "21", "x", "-1", "1.5"}) {
    auto error = read({{"q", "a"}, {"limit", bad}}, q);
    REQUIRE(error);
    CHECK(error->field == "limit");
    CHECK(error->code == "invalid_parameter");
  }
}

TEST_CASE("communes of a group: exact points before approximated ones, numbers in order") {
  const auto r = Referential::FromJson(R"({
    "version": "test-order", "families": [], "legal_forms": [], "activities": [],
    "regions": [{"code": "93", "name": "PACA"}],
    "departments": [{"code": "04", "name": "Alpes-de-Haute-Provence", "region": "93"},
                    {"code": "13", "name": "Bouches-du-Rhône", "region": "93"}],
    "communes": [
      {"code": "04208", "name": "Sistels", "department": "04", "region": "93",
       "postcodes": ["04200"], "latitude": 44.2, "longitude": 5.9, "approximate": true},
      {"code": "04209", "name": "Sisteron", "department": "04", "region": "93",
       "postcodes": ["04200"], "latitude": 44.19, "longitude": 5.94},
      {"code": "13210", "name": "Marseille 10e Arrondissement", "department": "13",
       "region": "93", "postcodes": ["13010"], "latitude": 43.27, "longitude": 5.42},
      {"code": "13202", "name": "Marseille 2e Arrondissement", "department": "13",
       "region": "93", "postcodes": ["13002"], "latitude": 43.31, "longitude": 5.36}]
  })");
  const auto finder = PlaceFinder::Of(r);
  CHECK(Codes(finder.Find("sist", 8)) == std::vector<std::string>{"04209", "04208"});
  CHECK(Codes(finder.Find("marseille", 8)) == std::vector<std::string>{"13202", "13210"});
}
