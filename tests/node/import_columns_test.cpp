// How the import reads a network's own spreadsheet (node/domain/import_columns.h, issue 15
// point 2): headers by code, French or English label or synonym; families, legal forms and
// activities by code or label; communes by name with a postcode or a department; yes/no.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "node/domain/import_columns.h"

using namespace ess;
using namespace ess::node;

namespace {

const Referential& TestReferential() {
  static const Referential referential = Referential::FromJson(R"json({"version": "test-1",
    "families": [{"code": "association", "label": "Association"},
                 {"code": "cooperative", "label": "Coopérative"},
                 {"code": "entreprise_esus", "label": "Entreprise solidaire d'utilité sociale (ESUS)"}],
    "legal_forms": [{"code": "association_loi_1901", "label": "Association loi 1901", "family": "association"},
                    {"code": "scop", "label": "SCOP (société coopérative et participative)", "family": "cooperative"},
                    {"code": "scic", "label": "SCIC (société coopérative d'intérêt collectif)", "family": "cooperative"}],
    "activities": [{"code": "alimentation", "label": "Alimentation et circuits courts"},
                   {"code": "reemploi", "label": "Réemploi, réparation et recyclage"}],
    "regions": [{"code": "93", "name": "PACA"}, {"code": "84", "name": "AURA"}],
    "departments": [{"code": "13", "name": "Bouches-du-Rhône", "region": "93"},
                    {"code": "84", "name": "Vaucluse", "region": "93"},
                    {"code": "26", "name": "Drôme", "region": "84"}],
    "communes": [
      {"code": "13055", "name": "Marseille", "department": "13", "region": "93",
       "postcodes": ["13001", "13002"], "latitude": 43.29695, "longitude": 5.38107},
      {"code": "13001", "name": "Aix-en-Provence", "department": "13", "region": "93",
       "postcodes": ["13090", "13100"], "latitude": 43.52645, "longitude": 5.44543},
      {"code": "13100", "name": "Saint-Rémy-de-Provence", "department": "13", "region": "93",
       "postcodes": ["13210"], "latitude": 43.78, "longitude": 4.83},
      {"code": "13200", "name": "Le Puy", "department": "13", "region": "93",
       "postcodes": ["13500"], "latitude": 43.4, "longitude": 5.0},
      {"code": "84200", "name": "Le Puy", "department": "84", "region": "93",
       "postcodes": ["84400"], "latitude": 43.9, "longitude": 5.3},
      {"code": "26100", "name": "Crest", "department": "26", "region": "84",
       "postcodes": ["26400"], "latitude": 44.7, "longitude": 5.0}]
})json");
  return referential;
}

const PlaceFinder& Places() {
  static const PlaceFinder finder = PlaceFinder::Of(TestReferential(), "93");
  return finder;
}

std::string CommuneOf(std::string_view cell, std::string_view postcode = {}) {
  auto r = MatchCommune(Places(), TestReferential(), cell, postcode);
  if (!r.ok()) return "error:" + r.failure().code;
  return r.value().value_or("none");
}

}  // namespace

TEST_CASE("headers name fields by code, French or English label, or a synonym") {
  auto field = [](std::string_view header) {
    const ImportField* f = ImportFieldOfHeader(header);
    return f ? std::string(f->key) : std::string("-");
  };
  CHECK(field("legal_form") == "legal_form");
  CHECK(field("Forme juridique") == "legal_form");
  CHECK(field("FORME JURIDIQUE") == "legal_form");
  CHECK(field("Legal form") == "legal_form");
  CHECK(field("Famille") == "family");
  CHECK(field("Famille de l'ESS") == "family");
  CHECK(field("famille de l’ess") == "family");
  CHECK(field("Code postal") == "postcode");
  CHECK(field("CP") == "postcode");
  CHECK(field("Commune") == "commune");
  CHECK(field("Ville") == "commune");
  CHECK(field("Téléphone") == "phone");
  CHECK(field("Telephone") == "phone");
  CHECK(field("Site web") == "website");
  CHECK(field("Activités") == "activities");
  CHECK(field("Nom du contact (privé)") == "contact_name");
  CHECK(field("Courriel du contact") == "contact_email");
  CHECK(field("Employeur") == "employer");
  CHECK(field("Dernière confirmation") == "confirmed_at");
  CHECK(field("Département") == "department");
  CHECK(field("Remarques internes") == "-");
  CHECK(field("") == "-");

  const std::vector<std::string> header = {"Nom", "Famille", "Statut", "Ville", "Nom", "Notes"};
  CHECK(ProposeImportMapping(header) == std::map<std::string, std::string>{{"name", "Nom"},
                                                                           {"family", "Famille"},
                                                                           {"legal_form", "Statut"},
                                                                           {"commune", "Ville"}});
  CHECK(ImportHeaderSignature({"Nom", "Famille de l'ESS", " Téléphone"}) ==
        "nom|famille de l ess|telephone");
}

TEST_CASE("families, legal forms and activities by code or label") {
  const Referential& ref = TestReferential();
  CHECK(MatchReferentialCode(ref.families(), "Association") == "association");
  CHECK(MatchReferentialCode(ref.families(), "association") == "association");
  CHECK(MatchReferentialCode(ref.families(), "COOPERATIVE") == "cooperative");
  CHECK(MatchReferentialCode(ref.families(), "ESUS") == "entreprise_esus");
  CHECK(MatchReferentialCode(ref.legal_forms(), "Association loi 1901") == "association_loi_1901");
  CHECK(MatchReferentialCode(ref.legal_forms(), "SCOP") == "scop");
  CHECK(MatchReferentialCode(ref.legal_forms(), "scic") == "scic");
  CHECK(MatchReferentialCode(ref.activities(), "Réemploi, réparation et recyclage") == "reemploi");
  CHECK(MatchReferentialCode(ref.activities(), "alimentation") == "alimentation");
  CHECK_FALSE(MatchReferentialCode(ref.families(), "Syndicat"));
  CHECK_FALSE(MatchReferentialCode(ref.families(), ""));
}

TEST_CASE("yes and no in French") {
  for (const char* yes : {"oui", "Oui", "OUI", "o", "vrai", "x", "X", "1", "yes", "true"}) {
    CHECK_MESSAGE(ReadYesNo(yes) == true, yes);
  }
  for (const char* no : {"non", "Non", "n", "faux", "0", "no", "false"}) {
    CHECK_MESSAGE(ReadYesNo(no) == false, no);
  }
  CHECK_FALSE(ReadYesNo("peut-être"));
  CHECK_FALSE(ReadYesNo(""));
}

TEST_CASE("communes by INSEE code, by name, told apart by postcode or department") {
  CHECK(CommuneOf("13055") == "13055");
  CHECK(CommuneOf("Marseille") == "13055");
  CHECK(CommuneOf("marseille", "13001") == "13055");
  CHECK(CommuneOf("Aix en Provence") == "13001");
  CHECK(CommuneOf("saint remy de provence") == "13100");
  // Homonyms: the postcode or the department tells them apart.
  CHECK(CommuneOf("Le Puy") == "error:ambiguous_commune");
  CHECK(CommuneOf("Le Puy", "84400") == "84200");
  CHECK(CommuneOf("Le Puy (13)") == "13200");
  CHECK(MatchCommune(Places(), TestReferential(), "Le Puy", "", "84").value() == "84200");
  CHECK(MatchCommune(Places(), TestReferential(), "le puy", "", " 13 ").value() == "13200");
  CHECK(CommuneOf("Le Puy", "13999") == "error:unknown_commune");
  CHECK(CommuneOf("Le Puy (26)") == "error:unknown_commune");
  // Out of the region or unknown.
  CHECK(CommuneOf("Crest") == "error:unknown_commune");
  CHECK(CommuneOf("Atlantide") == "error:unknown_commune");
  // No name: a postcode that one commune alone has.
  CHECK(CommuneOf("", "13210") == "13100");
  CHECK(CommuneOf("", "") == "none");
  CHECK(CommuneOf("  ", "1") == "none");
}
