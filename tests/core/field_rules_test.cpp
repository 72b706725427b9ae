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

TEST_CASE("text rule: valid UTF-8 only, shortest form, no surrogate halves") {
  CHECK(CheckText("Épicerie solidaire", TextKind::kSingleLine).ok());
  CHECK(CheckText("Épicerie solidaire", TextKind::kSingleLine).length == 18);
  for (std::string_view bad :
       {"\xff", "a\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"}) {
    CHECK(CheckText(bad, TextKind::kSingleLine).fault == TextFault::kInvalidUtf8);
    CHECK(CheckText(bad, TextKind::kMultiLine).fault == TextFault::kInvalidUtf8);
  }
  CHECK(NormalizeText("\xff ", TextKind::kSingleLine) == "\xff ");  // left to CheckText
}

TEST_CASE("text rule: C0, DEL and C1 controls; LF and TAB only in multi-line texts") {
  for (std::string_view bad : {std::string_view("Hugo\0B", 6),
                               std::string_view("a\x01"
                                                "b"),
                               std::string_view("a\x1b[31mb"),
                               std::string_view("a\x7f"
                                                "b"),
                               std::string_view("a\xc2\x85"
                                                "b"),
                               std::string_view("a\xc2\x9f"
                                                "b")}) {
    for (TextKind kind : {TextKind::kSingleLine, TextKind::kMultiLine}) {
      CHECK(CheckText(bad, kind).fault == TextFault::kInvisible);
    }
  }
  CHECK(CheckText(std::string_view("Hugo\0B", 6), TextKind::kSingleLine).code_point == 0);
  CHECK(CheckText("ligne 1\nligne 2", TextKind::kMultiLine).ok());
  CHECK(CheckText("a\tb", TextKind::kMultiLine).ok());
  CHECK(CheckText("Hugo\nB", TextKind::kSingleLine).fault == TextFault::kLineBreak);
  CHECK(CheckText("Hugo\rB", TextKind::kSingleLine).fault == TextFault::kLineBreak);
  CHECK(CheckText("Hugo\xe2\x80\xa8"
                  "B",
                  TextKind::kSingleLine)
            .fault == TextFault::kLineBreak);
  CHECK(CheckText("a\tb", TextKind::kSingleLine).fault == TextFault::kInvisible);
  // CR: normalised at entry, so never in a checked multi-line text.
  CHECK(CheckText("a\r\nb", TextKind::kMultiLine).fault == TextFault::kInvisible);
  CHECK(CheckText("a\xe2\x80\xa9"
                  "b",
                  TextKind::kMultiLine)
            .fault == TextFault::kInvisible);
}

TEST_CASE("text rule: bidi embeddings, overrides and isolates, BOM and invisible characters") {
  const char* refused[] = {
      "\xe2\x80\xaa", "\xe2\x80\xab",     "\xe2\x80\xac",     "\xe2\x80\xad",
      "\xe2\x80\xae",                                                          // 202A-E
      "\xe2\x81\xa6", "\xe2\x81\xa7",     "\xe2\x81\xa8",     "\xe2\x81\xa9",  // 2066-9
      "\xef\xbb\xbf",                                                          // FEFF
      "\xe2\x80\x8b", "\xe2\x81\xa0",     "\xe2\x81\xa4",                      // 200B 2060 2064
      "\xc2\xad",     "\xcd\x8f",         "\xe1\xa0\x8e",     "\xe3\x85\xa4",
      "\xef\xbe\xa0",                                          // AD 34F 180E 3164 FFA0
      "\xef\xbf\xb9", "\xf3\xa0\x80\x81", "\xf3\xa0\x81\xbf",  // FFF9 E0001 E007F
  };
  for (const char* c : refused) {
    const std::string text = std::string("Nom ") + c + "de test";
    CAPTURE(text);
    CHECK(CheckText(text, TextKind::kSingleLine).fault == TextFault::kInvisible);
    CHECK(CheckText(text, TextKind::kMultiLine).fault == TextFault::kInvisible);
  }
  CHECK(CheckText("Nom \xe2\x80\xae"
                  "test",
                  TextKind::kSingleLine)
            .code_point == 0x202E);
  // Kept: ZWNJ and ZWJ (scripts, emoji), LRM/RLM/ALM, variation selectors, French spaces.
  for (const char* kept : {"\xe2\x80\x8c", "\xe2\x80\x8d", "\xe2\x80\x8e", "\xe2\x80\x8f",
                           "\xd8\x9c", "\xef\xb8\x8f", "\xc2\xa0", "\xe2\x80\xaf"}) {
    const std::string text = std::string("a") + kept + "b";
    CAPTURE(text);
    CHECK(CheckText(text, TextKind::kSingleLine).ok());
  }
  CHECK(CheckText("famille \xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9", TextKind::kSingleLine)
            .ok());
}

TEST_CASE("text rule: noncharacters") {
  for (const char* c : {"\xef\xb7\x90", "\xef\xb7\xaf", "\xef\xbf\xbe", "\xef\xbf\xbf",
                        "\xf0\x9f\xbf\xbe", "\xf4\x8f\xbf\xbf"}) {
    const std::string text = std::string("a") + c;
    CHECK(CheckText(text, TextKind::kMultiLine).fault == TextFault::kNoncharacter);
  }
  CHECK(CheckText("\xef\xbf\xbd", TextKind::kSingleLine).ok());  // U+FFFD is a visible sign
}

TEST_CASE("text rule: white space normalised at entry, refused when left") {
  CHECK(NormalizeText("  Épicerie   du\xc2\xa0 Panier \t", TextKind::kSingleLine) ==
        "Épicerie du Panier");
  CHECK(NormalizeText("Hugo\n", TextKind::kSingleLine) == "Hugo");
  CHECK(NormalizeText("Prix\xc2\xa0: 3 €", TextKind::kSingleLine) == "Prix\xc2\xa0: 3 €");
  CHECK(NormalizeText("a\nb", TextKind::kSingleLine) == "a\nb");  // refused by CheckText
  CHECK(NormalizeText("\r\n l1  \r\nl2\rl3\n\n", TextKind::kMultiLine) == "l1  \nl2\nl3");
  CHECK(CheckText(" Hugo", TextKind::kSingleLine).fault == TextFault::kSpacing);
  CHECK(CheckText("Hugo\xc2\xa0", TextKind::kSingleLine).fault == TextFault::kSpacing);
  CHECK(CheckText("Hugo  B", TextKind::kSingleLine).fault == TextFault::kSpacing);
  CHECK(CheckText("l1  x\nl2", TextKind::kMultiLine).ok());
  CHECK(CheckText("l1\n", TextKind::kMultiLine).fault == TextFault::kSpacing);
  for (std::string_view text : {"Épicerie du Panier", "a\nb", "l1\n\n  l2"}) {
    for (TextKind kind : {TextKind::kSingleLine, TextKind::kMultiLine}) {
      if (CheckText(text, kind).ok()) CHECK(NormalizeText(text, kind) == text);
    }
  }
  CHECK(CheckText("", TextKind::kSingleLine).ok());
}

TEST_CASE("text rule: French messages name the field and the character") {
  CHECK(TextFaultMessage(CheckText("Nom\xe2\x80\xae", TextKind::kSingleLine), "nom") ==
        "Le champ « nom » contient un caractère invisible ou de contrôle (U+202E).");
  CHECK(TextFaultMessage(CheckText("a\nb", TextKind::kSingleLine), "nom") ==
        "Le champ « nom » doit tenir sur une ligne (U+000A).");
  CHECK(TextFaultMessage(CheckText("\xff", TextKind::kSingleLine), "motif") ==
        "Le champ « motif » n'est pas du texte UTF-8 valide.");
  CHECK(TextFaultMessage(CheckText("a\xf4\x8f\xbf\xbf", TextKind::kSingleLine), "motif") ==
        "Le champ « motif » contient un caractère non autorisé (U+10FFFF).");
  CHECK(TextFaultMessage(CheckText("ok", TextKind::kSingleLine), "nom").empty());
}

TEST_CASE("position near its commune: 50 km, 250 km in Guyane") {
  const GeoPoint marseille{43.24963, 5.38048}, paris{48.85341, 2.3488};
  auto far = DistanceBeyondCommune("13", marseille, paris);
  REQUIRE(far);
  CHECK(*far > 660'000);
  CHECK(*far < 670'000);
  CHECK(PositionFarMessage(*far, "Marseille", "13") ==
        "La position est à 665 km de la commune Marseille : vérifiez la commune ou la position "
        "(au plus 50 km).");
  CHECK_FALSE(DistanceBeyondCommune("13", marseille, {43.27663, 5.38048}));  // 3 km north
  // Arles: its reference point and the mouth of the Grand Rhône, in the commune (43 km).
  CHECK_FALSE(DistanceBeyondCommune("13", {43.67681, 4.63031}, {43.32, 4.84}));
  // Maripasoula (Guyane): the south of the commune, about 185 km away.
  const GeoPoint maripasoula{3.64155, -54.03167};
  CHECK_FALSE(DistanceBeyondCommune("973", maripasoula, {2.2, -53.2}));
  CHECK(DistanceBeyondCommune("971", maripasoula, {2.2, -53.2}));
  CHECK(CommuneRadiusMetres("973") == kGuyaneCommuneRadiusMetres);
  CHECK(CommuneRadiusMetres("2A") == kCommuneRadiusMetres);
}

TEST_CASE("an approximated commune point widens the radius by its source's measured error") {
  CHECK(PositionErrorMetres("13", "geonames") == 0);
  CHECK(PositionErrorMetres("13", "") == 0);  // older referentials: GeoNames only
  CHECK(CommuneRadiusMetres("13", "geonames") == kCommuneRadiusMetres);
  CHECK(CommuneRadiusMetres("04", "postcode") == 140'000);
  CHECK(CommuneRadiusMetres("04", "intercommunality") == 110'000);
  CHECK(CommuneRadiusMetres("04", "arrondissement") == 110'000);
  CHECK(CommuneRadiusMetres("04", "department") == 150'000);
  CHECK(CommuneRadiusMetres("04", "something new") == 150'000);
  CHECK(CommuneRadiusMetres("973", "intercommunality") == 420'000);
  // Aurons' point (13008, the mean of its intercommunality) and Marseille's, 25 km apart, and
  // Paris, 641 km away: the widened radius still refuses a position in another region.
  const GeoPoint aurons{43.47515, 5.35243};
  CHECK_FALSE(DistanceBeyondCommune("13", "intercommunality", aurons, {43.24963, 5.38048}));
  auto far = DistanceBeyondCommune("13", "intercommunality", aurons, {48.85341, 2.3488});
  REQUIRE(far);
  CHECK(PositionFarMessage(*far, "Aurons", "13", "intercommunality") ==
        "La position est à 641 km du point approché de la commune Aurons : vérifiez la commune "
        "ou la position (au plus 110 km).");
  // 100 km away: beyond an exact point's 50 km, within the approximated point's 110 km.
  const GeoPoint hundred_north{aurons.latitude + 100 / 111.195, aurons.longitude};
  CHECK(DistanceBeyondCommune("13", "geonames", aurons, hundred_north));
  CHECK_FALSE(DistanceBeyondCommune("13", "intercommunality", aurons, hundred_north));
}
