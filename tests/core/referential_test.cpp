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

TEST_CASE("referential refuses documents that are not one") {
  CHECK_THROWS_AS(Referential::FromJson("{"), std::invalid_argument);
  CHECK_THROWS_AS(Referential::FromJson(R"({"version":"x"})"), std::invalid_argument);
  CHECK_THROWS_AS(Referential::FromJson(R"({"families":[]})"), std::invalid_argument);
}
