// The field rules node and hub share (core/field_rules.h): one copy, so a record one side
// accepts the other accepts too.
#include <doctest/doctest.h>

#include <limits>

#include "core/field_rules.h"

using namespace ess;

TEST_CASE("SIRET: 14 digits, Luhn key, La Poste exception") {
  CHECK(IsValidSiret("73282932000074"));
  CHECK(IsValidSiret("44306184100047"));
  CHECK_FALSE(IsValidSiret("73282932000075"));  // wrong key
  CHECK_FALSE(IsValidSiret("7328293200007"));   // 13 digits
  CHECK_FALSE(IsValidSiret("7328293200007A"));
  CHECK_FALSE(IsValidSiret(""));
  CHECK(IsValidSiret("35600000000048"));  // La Poste's head office follows Luhn
  CHECK(IsValidSiret("35600000049837"));  // a La Poste establishment: digits sum to 45
  CHECK_FALSE(IsValidSiret("35600000049838"));
  CHECK_FALSE(IsValidSiret("7328293200007a"));
  CHECK(NormalizeSiret("732 829 320 00074") == "73282932000074");
}

TEST_CASE("email, URL, phone and postcode syntax") {
  CHECK(IsValidEmail("contact@epicerie.example"));
  CHECK(IsValidEmail("marie.durand+ess@sub.domaine.fr"));
  CHECK_FALSE(IsValidEmail("contact@localhost"));
  CHECK_FALSE(IsValidEmail("contact.epicerie.example"));
  CHECK_FALSE(IsValidEmail("a b@example.org"));
  CHECK_FALSE(IsValidEmail("x@-bad.example"));
  CHECK_FALSE(IsValidEmail("x..y@example.org"));
  CHECK(IsValidUrl("https://epicerie.example/chemin?x=1"));
  CHECK(IsValidUrl("http://localhost:8080/"));
  CHECK_FALSE(IsValidUrl("javascript:alert(1)"));
  CHECK_FALSE(IsValidUrl("ftp://example.org"));
  CHECK_FALSE(IsValidUrl("https://exa mple.org"));
  CHECK_FALSE(IsValidUrl("https://user:pw@example.org"));
  CHECK_FALSE(IsValidUrl("https://example.org/<script>"));
  CHECK(IsValidPhone("04 91 00 00 00"));
  CHECK(IsValidPhone("+33 (0)6 12 34 56 78"));
  CHECK_FALSE(IsValidPhone("12345"));
  CHECK_FALSE(IsValidPhone("04 91 AB 00 00"));
  CHECK(IsValidPostcode("13002"));
  CHECK_FALSE(IsValidPostcode("1302"));
}

TEST_CASE("coordinates inside France, overseas regions included") {
  CHECK(IsInFrance(43.2965, 5.3698));         // Marseille
  CHECK(IsInFrance(42.7, 9.45));              // Bastia
  CHECK(IsInFrance(-20.8821, 55.4507));       // Saint-Denis de La Réunion
  CHECK(IsInFrance(16.2411, -61.5331));       // Pointe-à-Pitre
  CHECK(IsInFrance(4.9372, -52.326));         // Cayenne
  CHECK(IsInFrance(-12.7806, 45.2278));       // Mamoudzou
  CHECK(IsInFrance(14.6161, -61.0588));       // Fort-de-France
  CHECK_FALSE(IsInFrance(40.4168, -3.7038));  // Madrid
  CHECK_FALSE(IsInFrance(0, 0));
  CHECK(ZoneOfRegion("93") == FranceZone::kMetropole);
  CHECK(ZoneOfRegion("04") == FranceZone::kReunion);
  CHECK_FALSE(IsInZone(FranceZone::kReunion, 43.2965, 5.3698));
}

TEST_CASE("RFC 3339 dates: date-time or full-date, real calendar dates") {
  CHECK(IsRfc3339Date("2026-01-01T00:00:00Z"));
  CHECK(IsRfc3339Date("2024-02-29T23:59:60.123+01:00"));
  CHECK(IsRfc3339Date("2026-12-31"));
  CHECK_FALSE(IsRfc3339Date("2025-02-29"));
  CHECK_FALSE(IsRfc3339Date("2026-01-01 00:00:00Z"));
  CHECK_FALSE(IsRfc3339Date("2026-01-01T00:00:00"));
  CHECK_FALSE(IsRfc3339Date("2026-13-01T00:00:00Z"));
  CHECK_FALSE(IsRfc3339Date("0000-01-01"));
  CHECK_FALSE(IsRfc3339Date("2026-01-01T00:00:00.1234567890Z"));
}

TEST_CASE("one France box per zone, with a margin: node and hub once disagreed on four of six") {
  // Points the node's old boxes refused and the hub's accepted: Corsica's east edge (9.6 on
  // the node, 9.7 on the hub), Martinique's north and south (14.35..14.9 vs 14.3..14.95),
  // Guyane's south (2.1 vs 2.0), La Réunion's east (55.85 vs 55.9).
  CHECK(IsInZone(FranceZone::kMetropole, 42.4, 9.65));
  CHECK(IsInZone(FranceZone::kMartinique, 14.92, -61.0));
  CHECK(IsInZone(FranceZone::kMartinique, 14.32, -60.9));
  CHECK(IsInZone(FranceZone::kGuyane, 2.05, -53.0));
  CHECK(IsInZone(FranceZone::kReunion, -21.1, 55.87));
  CHECK_FALSE(IsInFrance(42.4, 9.75));  // the Tyrrhenian Sea, east of Corsica
  CHECK_FALSE(IsInFrance(1.9, -53.0));  // Brazil, south of Guyane
  CHECK(FranceZoneBoxes().size() == 6);
  for (const auto& box : FranceZoneBoxes()) {
    CHECK(box.min_latitude < box.max_latitude);
    CHECK(box.min_longitude < box.max_longitude);
    CHECK(IsInZone(box.zone, (box.min_latitude + box.max_latitude) / 2,
                   (box.min_longitude + box.max_longitude) / 2));
  }
  CHECK_FALSE(IsInFrance(std::numeric_limits<double>::quiet_NaN(), 5.0));
}

TEST_CASE("UTF-8 length counts code points and refuses invalid text") {
  CHECK(Utf8Length("Épicerie") == 8u);
  CHECK_FALSE(Utf8Length("\xC3"));
  CHECK_FALSE(Utf8Length("\xFF\xFE"));
}
