// Every commune can be registered without coordinates (issue 14, point 1): the commune's
// point is used and the record says what it is ("commune" for an exact point, "approximate"
// for an approximated one); given coordinates are "placed". A position far from an
// approximated point is refused beyond the radius widened by its source's measured error
// (docs/decisions/0007-commune-positions.md).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/geo.h"
#include "node/domain/initiative_validation.h"

using namespace ess::node;

namespace {

const ess::Referential& TestReferential() {
  // Points as build/referential.json gives them: Forcalquier from GeoNames, Montfuron the mean
  // of the exact communes of its postcode 04110.
  static const ess::Referential referential = ess::Referential::FromJson(R"({"version": "test-1",
    "families": [{"code": "association", "label": "Association"}],
    "legal_forms": [{"code": "association_loi_1901", "label": "Loi 1901", "family": "association"}],
    "activities": [{"code": "alimentation", "label": "Alimentation"}],
    "regions": [{"code": "93", "name": "PACA"}],
    "departments": [{"code": "04", "name": "Alpes-de-Haute-Provence", "region": "93"}],
    "communes": [
      {"code": "04088", "name": "Forcalquier", "department": "04", "region": "93",
       "postcodes": ["04300"], "latitude": 43.95927, "longitude": 5.77945,
       "position_source": "geonames"},
      {"code": "04128", "name": "Montfuron", "department": "04", "region": "93",
       "postcodes": ["04110"], "latitude": 43.87899, "longitude": 5.65919,
       "position_source": "postcode", "approximate": true}]})");
  return referential;
}

InitiativeDraft Draft(const std::string& commune) {
  InitiativeDraft draft;
  draft.name = "Jardin partagé";
  draft.family = "association";
  draft.legal_form = "association_loi_1901";
  draft.activities = std::vector<std::string>{"alimentation"};
  draft.commune = commune;
  return draft;
}

// A point `km` kilometres due north of (latitude, longitude).
ess::GeoPoint North(double latitude, double longitude, double km) {
  return {latitude + km / 111.195, longitude};
}

}  // namespace

TEST_CASE("a village without coordinates is accepted at its approximated point") {
  auto valid = ValidateInitiativeInput(Draft("04128"), TestReferential(), "93");
  REQUIRE(valid.ok());
  const InitiativeFields& f = valid.value().fields;
  CHECK(f.latitude == 43.87899);
  CHECK(f.longitude == 5.65919);
  CHECK(f.location_precision == "approximate");
}

TEST_CASE("a commune with an exact point, without coordinates: precision commune") {
  auto valid = ValidateInitiativeInput(Draft("04088"), TestReferential(), "93");
  REQUIRE(valid.ok());
  CHECK(valid.value().fields.location_precision == "commune");
  CHECK(valid.value().fields.latitude == 43.95927);
}

TEST_CASE("coordinates given are placed, unless they are the commune's own point") {
  InitiativeDraft draft = Draft("04128");
  draft.latitude = 43.881;
  draft.longitude = 5.662;
  auto placed = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE(placed.ok());
  CHECK(placed.value().fields.location_precision == "placed");
  CHECK(placed.value().fields.latitude == 43.881);
  // An edit form or a re-imported export gives the commune's point back: still approximate.
  draft.latitude = 43.87899;
  draft.longitude = 5.65919;
  auto echoed = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE(echoed.ok());
  CHECK(echoed.value().fields.location_precision == "approximate");
}

TEST_CASE("far from an approximated point: refused beyond the widened radius only") {
  // Montfuron's point comes from its postcode: 50 km + 90 km of measured error = 140 km.
  InitiativeDraft draft = Draft("04128");
  const ess::GeoPoint within = North(43.87899, 5.65919, 120);
  draft.latitude = within.latitude;
  draft.longitude = within.longitude;
  auto accepted = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE(accepted.ok());
  CHECK(accepted.value().fields.location_precision == "placed");

  const ess::GeoPoint beyond = North(43.87899, 5.65919, 160);
  draft.latitude = beyond.latitude;
  draft.longitude = beyond.longitude;
  auto refused = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.failure().code == "far_from_commune");
  CHECK(refused.failure().field == "latitude");
  CHECK(refused.failure().message ==
        "La position est à 160 km du point approché de la commune Montfuron : vérifiez la "
        "commune ou la position (au plus 140 km).");
}

TEST_CASE("far from an exact point: the 50 km radius, not widened") {
  InitiativeDraft draft = Draft("04088");
  const ess::GeoPoint far = North(43.95927, 5.77945, 120);
  draft.latitude = far.latitude;
  draft.longitude = far.longitude;
  auto refused = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.failure().code == "far_from_commune");
  CHECK(refused.failure().message ==
        "La position est à 120 km de la commune Forcalquier : vérifiez la commune ou la "
        "position (au plus 50 km).");
}
