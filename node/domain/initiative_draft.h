#pragma once
// An initiative as entered, before any rule is checked: what a request body or a CSV row
// gave, field by field, typed but neither trimmed nor validated. The HTTP adapter fills it
// from JSON (refusing unknown keys and values of another type), the CSV import from its
// columns; ValidateInitiativeInput (initiative_validation.h) checks every rule on it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "node/domain/initiative.h"

namespace ess::node {

// An offer as entered; absent texts are nullopt.
struct OfferDraft {
  std::optional<std::string> title;
  std::optional<std::string> description;
  std::optional<std::string> conditions;
  std::optional<std::string> lead_time;
  std::optional<std::string> guarantees;
};

// Every field is nullopt (or empty) when absent. Numbers may be anything a double holds
// (a CSV cell may read "nan"): the rules refuse what is not finite.
struct InitiativeDraft {
  std::optional<std::string> name;
  std::optional<std::string> family;
  std::optional<std::string> legal_form;
  std::optional<std::vector<std::string>> activities;
  std::optional<std::string> description;
  std::optional<std::string> address;
  std::optional<std::string> postcode;
  std::optional<std::string> commune;
  std::optional<std::string> department;  // if given, must match the commune
  std::optional<std::string> region;      // if given, must match the commune
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::optional<std::string> email;
  std::optional<std::string> phone;
  std::optional<std::string> website;
  std::optional<std::string> siret;
  std::optional<bool> employer;
  std::vector<OfferDraft> offers;
  InitiativePrivateFields private_fields;  // as entered, like the rest
};

// The French name messages give a field of the draft, as the form labels it (web/common/
// messages.js field.*, offer.*, web/site/node/initiative-form.js): "Le champ « Nom » ...".
// `key` is the draft's key: "name", "offers.title", "private.contact_email". Empty for other
// keys. An offer's label is numbered by the validation: « Intitulé (offre 2) ».
std::string_view DraftFieldLabel(std::string_view key);

}  // namespace ess::node
