#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <stdexcept>

#include "core/referential.h"

using namespace ess;

namespace {
constexpr const char* kSmall = R"({
  "version": "test-1",
  "families": [{"code": "cooperative", "label": "Coopérative"}],
  "legal_forms": [{"code": "scic", "label": "SCIC", "family": "cooperative"}],
  "activities": [{"code": "energie", "label": "Énergie", "theme": "environnement"}],
  "regions": [{"code": "93", "name": "Provence-Alpes-Côte d'Azur"}],
  "departments": [{"code": "13", "name": "Bouches-du-Rhône", "region": "93"}],
  "communes": [{"code": "13055", "name": "Marseille", "department": "13", "region": "93",
                "postcodes": ["13001"], "latitude": 43.25, "longitude": 5.38},
               {"code": "13001", "name": "Aix-en-Provence", "department": "13", "region": "93"}]
})";
}  // namespace

TEST_CASE("referential lookups") {
  auto r = Referential::FromJson(kSmall);
  CHECK(r.version() == "test-1");
  REQUIRE(r.LegalForm("scic"));
  CHECK(r.LegalForm("scic")->parent == "cooperative");
  CHECK_FALSE(r.Family("scic"));
  CHECK(r.Activity("energie")->parent == "environnement");
  CHECK(r.Department("13")->parent == "93");
  REQUIRE(r.FindCommune("13055"));
  CHECK(r.FindCommune("13055")->latitude == doctest::Approx(43.25));
  CHECK_FALSE(r.FindCommune("13001")->latitude);
  CHECK_FALSE(r.FindCommune("99999"));
  CHECK(r.commune_count() == 2);

  auto light = nlohmann::json::parse(r.json_without_communes());
  CHECK_FALSE(light.contains("communes"));
  CHECK(light["version"] == "test-1");
  CHECK(light["legal_forms"] == nlohmann::json::parse(r.json())["legal_forms"]);
}

TEST_CASE("referential communes carry the source of their position") {
  auto r = Referential::FromJson(R"({
    "version": "test-2", "families": [], "legal_forms": [], "activities": [],
    "regions": [{"code": "93", "name": "PACA"}],
    "departments": [{"code": "04", "name": "Alpes-de-Haute-Provence", "region": "93"}],
    "communes": [
      {"code": "04070", "name": "Forcalquier", "department": "04", "region": "93",
       "postcodes": ["04300"], "latitude": 43.96, "longitude": 5.78, "position_source": "geonames"},
      {"code": "04089", "name": "Montfuron", "department": "04", "region": "93",
       "postcodes": ["04110"], "latitude": 43.83, "longitude": 5.69,
       "position_source": "postcode", "approximate": true},
      {"code": "04019", "name": "Banon", "department": "04", "region": "93", "postcodes": ["04150"],
       "latitude": 44.04, "longitude": 5.63}]
  })");
  const Commune* exact = r.FindCommune("04070");
  REQUIRE(exact);
  CHECK(exact->position_source == "geonames");
  CHECK_FALSE(exact->approximate);
  const Commune* village = r.FindCommune("04089");
  REQUIRE(village);
  CHECK(village->position_source == "postcode");
  CHECK(village->approximate);
  CHECK(village->latitude == doctest::Approx(43.83));
  // Older referentials carried GeoNames' coordinates without saying so.
  CHECK(r.FindCommune("04019")->position_source == "geonames");
  CHECK_FALSE(r.FindCommune("04019")->approximate);
}

TEST_CASE("referential refuses documents that are not one") {
  CHECK_THROWS_AS(Referential::FromJson("{"), std::invalid_argument);
  CHECK_THROWS_AS(Referential::FromJson(R"({"version":"x"})"), std::invalid_argument);
  CHECK_THROWS_AS(Referential::FromJson(R"({"families":[]})"), std::invalid_argument);
}

TEST_CASE("referential synonyms: groups of two words or phrases at least, optional") {
  CHECK(Referential::FromJson(kSmall).synonyms().empty());
  auto with = [](const std::string& synonyms) {
    std::string doc = kSmall;
    doc.insert(doc.find("\"communes\""), "\"synonyms\": " + synonyms + ",\n  ");
    return Referential::FromJson(doc);
  };
  auto r = with(R"([["ressourcerie", "recyclerie"], ["repair café", "réparation"]])");
  REQUIRE(r.synonyms().size() == 2);
  CHECK(r.synonyms()[1] == std::vector<std::string>{"repair café", "réparation"});
  CHECK(nlohmann::json::parse(r.json_without_communes()).contains("synonyms"));
  CHECK_THROWS_AS(with(R"({"a": "b"})"), std::invalid_argument);
  CHECK_THROWS_AS(with(R"([["seul"]])"), std::invalid_argument);
  CHECK_THROWS_AS(with(R"([["a", 3]])"), std::invalid_argument);
  CHECK_THROWS_AS(with(R"([["a", "!!"]])"), std::invalid_argument);
}
