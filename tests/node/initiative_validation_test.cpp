// ValidateInitiativeInput in one pass (issue 14, point 5): every field error at once, each
// field named as the form labels it, the first error also as the Failure's own.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "node/domain/initiative_validation.h"

using namespace ess::node;

namespace {

const ess::Referential& TestReferential() {
  static const ess::Referential referential = ess::Referential::FromJson(R"({"version": "test-1",
    "families": [{"code": "association", "label": "Association"},
                 {"code": "cooperative", "label": "Coopérative"}],
    "legal_forms": [{"code": "association_loi_1901", "label": "Loi 1901", "family": "association"},
                    {"code": "scop", "label": "SCOP", "family": "cooperative"}],
    "activities": [{"code": "alimentation", "label": "Alimentation"}],
    "regions": [{"code": "93", "name": "PACA"}], "departments": [],
    "communes": [{"code": "13055", "name": "Marseille", "department": "13", "region": "93",
                  "postcodes": ["13002"], "latitude": 43.29695, "longitude": 5.38107}]})");
  return referential;
}

InitiativeDraft ValidDraft() {
  InitiativeDraft draft;
  draft.name = "Épicerie solidaire";
  draft.family = "association";
  draft.legal_form = "association_loi_1901";
  draft.activities = std::vector<std::string>{"alimentation"};
  draft.commune = "13055";
  return draft;
}

std::vector<std::string> FieldsOf(const Failure& failure) {
  std::vector<std::string> out;
  for (const FieldError& e : failure.errors) out.push_back(e.field);
  return out;
}

const FieldError* ErrorOn(const Failure& failure, const std::string& field) {
  auto it = std::find_if(failure.errors.begin(), failure.errors.end(),
                         [&](const FieldError& e) { return e.field == field; });
  return it == failure.errors.end() ? nullptr : &*it;
}

}  // namespace

TEST_CASE("an empty draft: every required field at once, the first as the failure's own") {
  auto refused = ValidateInitiativeInput(InitiativeDraft{}, TestReferential(), "93");
  REQUIRE_FALSE(refused.ok());
  const Failure& f = refused.failure();
  CHECK(f.kind == FailureKind::kInvalid);
  CHECK(FieldsOf(f) ==
        std::vector<std::string>{"name", "family", "legal_form", "activities", "commune"});
  CHECK(f.code == "required");
  CHECK(f.field == "name");
  CHECK(f.message == "Le champ « Nom » est obligatoire.");
  CHECK(ErrorOn(f, "family")->message == "Le champ « Famille de l'ESS » est obligatoire.");
  CHECK(ErrorOn(f, "legal_form")->message == "Le champ « Forme juridique » est obligatoire.");
  CHECK(ErrorOn(f, "commune")->message == "Le champ « Commune » est obligatoire.");
  // No position is asked for when there is no commune to place it in.
  CHECK_FALSE(ErrorOn(f, "latitude"));
}

TEST_CASE("several broken rules: one error per field, every field checked") {
  InitiativeDraft draft = ValidDraft();
  draft.name = "É";
  draft.email = "pas-une-adresse";
  draft.siret = "12345678901234";
  draft.website = "ftp://exemple.fr";
  draft.postcode = "13";
  draft.offers.push_back({std::nullopt, "sans titre", std::nullopt, std::nullopt, std::nullopt});
  draft.private_fields.contact_phone = "abc";
  auto refused = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE_FALSE(refused.ok());
  const Failure& f = refused.failure();
  CHECK(FieldsOf(f) == std::vector<std::string>{"name", "postcode", "email", "website", "siret",
                                                "offers[0].title", "private.contact_phone"});
  CHECK(ErrorOn(f, "name")->code == "too_short");
  CHECK(ErrorOn(f, "email")->message ==
        "Le champ « Courriel » n'est pas une adresse valide (nom@exemple.fr).");
  CHECK(ErrorOn(f, "siret")->code == "invalid_siret");
  CHECK(ErrorOn(f, "offers[0].title")->message ==
        "Le champ « Intitulé (offre 1) » est obligatoire.");
  CHECK(ErrorOn(f, "private.contact_phone")->message ==
        "Le champ « Téléphone du contact » n'est pas un numéro valide.");
}

TEST_CASE("a commune typed but not picked: a message that says to pick it from the list") {
  InitiativeDraft draft = ValidDraft();
  draft.commune = "Sist";
  auto refused = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.failure().code == "unknown_commune");
  CHECK(refused.failure().field == "commune");
  CHECK(refused.failure().message ==
        "Commune : « Sist » n'est pas une commune connue ; tapez le début de son nom puis "
        "choisissez-la dans la liste proposée.");
  CHECK(refused.failure().message.find("INSEE") == std::string::npos);
}

TEST_CASE("a legal form of another family is named by its label and the family's") {
  InitiativeDraft draft = ValidDraft();
  draft.legal_form = "scop";
  auto refused = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE_FALSE(refused.ok());
  CHECK(FieldsOf(refused.failure()) == std::vector<std::string>{"legal_form"});
  CHECK(refused.failure().message ==
        "La forme juridique « SCOP » n'est pas une forme de la famille « Association » : "
        "choisissez-en une de la liste.");
}

TEST_CASE("the private contact's fields are named as the form labels them") {
  InitiativeDraft draft = ValidDraft();
  draft.private_fields.contact_name = "Marie\xEF\xBB\xBF Durand";  // a BOM inside
  draft.private_fields.contact_email = "marie@";
  auto refused = ValidateInitiativeInput(draft, TestReferential(), "93");
  REQUIRE_FALSE(refused.ok());
  const Failure& f = refused.failure();
  CHECK(FieldsOf(f) == std::vector<std::string>{"private.contact_name", "private.contact_email"});
  CHECK(ErrorOn(f, "private.contact_name")->message ==
        "Le champ « Nom du contact » contient un caractère invisible ou de contrôle (U+FEFF).");
  CHECK(ErrorOn(f, "private.contact_email")->message ==
        "Le champ « Courriel du contact » n'est pas une adresse valide (nom@exemple.fr).");
}

TEST_CASE("a valid draft has no errors") {
  auto valid = ValidateInitiativeInput(ValidDraft(), TestReferential(), "93");
  REQUIRE(valid.ok());
  CHECK(valid.value().fields.latitude == 43.29695);
}
