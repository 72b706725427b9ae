#include "node/api/initiative_json_input.h"

#include <algorithm>
#include <string>
#include <string_view>

namespace ess::node {

namespace {

using nlohmann::json;

constexpr std::string_view kDraftKeys[] = {
    "name",    "family",     "legal_form", "activities", "description", "address", "postcode",
    "commune", "department", "region",     "latitude",   "longitude",   "email",   "phone",
    "website", "siret",      "employer",   "offers",     "private"};
constexpr std::string_view kPrivateKeys[] = {"contact_name", "contact_email", "contact_phone"};
constexpr std::string_view kOfferKeys[] = {"title", "description", "conditions", "lead_time",
                                           "guarantees"};

template <std::size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view key) {
  return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

// The value at `key`, or nullptr when absent or null.
const json* Present(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

// Reads the draft's fields in the order the rules check them, so that among several
// mistyped fields the first one reported is the one the rules would reach first.
class DraftReader {
 public:
  // A text at `key`; `label_key` names it in the message (DraftFieldLabel).
  std::optional<std::string> Text(const json& object, const char* key, const std::string& field,
                                  std::string_view label_key) {
    const json* value = Present(object, key);
    if (failure || !value) return std::nullopt;
    if (!value->is_string()) {
      failure = Failure::Invalid(
          "invalid_type",
          "Le champ « " + std::string(DraftFieldLabel(label_key)) + " » doit être un texte.",
          field);
      return std::nullopt;
    }
    return value->get<std::string>();
  }
  std::optional<std::string> Text(const json& object, const char* key) {
    return Text(object, key, key, key);
  }

  std::optional<double> Number(const json& object, const char* key) {
    const json* value = Present(object, key);
    if (failure || !value) return std::nullopt;
    if (!value->is_number()) {
      failure = Failure::Invalid("invalid_type",
                                 std::string("Le champ « ") + key + " » doit être un nombre.", key);
      return std::nullopt;
    }
    return value->get<double>();
  }

  std::optional<Failure> failure;
};

Result<InitiativeDraft> ReadDraft(const json& body, std::string_view extra_key) {
  if (!body.is_object()) {
    return Failure::Invalid("malformed_json", "L'initiative doit être un objet JSON.");
  }
  for (const auto& [key, value] : body.items()) {
    if (!Contains(kDraftKeys, key) && (extra_key.empty() || key != extra_key)) {
      return Failure::Invalid("unknown_field", "Champ inconnu : « " + key + " ».", key);
    }
  }
  InitiativeDraft d;
  DraftReader read;
  d.name = read.Text(body, "name");
  d.family = read.Text(body, "family");
  d.legal_form = read.Text(body, "legal_form");
  if (read.failure) return *read.failure;
  if (const json* activities = Present(body, "activities")) {
    if (!activities->is_array()) {
      return Failure::Invalid("invalid_type", "« activities » doit être une liste de codes.",
                              "activities");
    }
    d.activities.emplace();
    for (std::size_t i = 0; i < activities->size(); ++i) {
      const json& code = (*activities)[i];
      if (!code.is_string()) {
        return Failure::Invalid("invalid_type", "Un code d'activité doit être un texte.",
                                "activities[" + std::to_string(i) + "]");
      }
      d.activities->push_back(code.get<std::string>());
    }
  }
  d.description = read.Text(body, "description");
  d.address = read.Text(body, "address");
  d.postcode = read.Text(body, "postcode");
  d.commune = read.Text(body, "commune");
  d.department = read.Text(body, "department");
  d.region = read.Text(body, "region");
  d.latitude = read.Number(body, "latitude");
  d.longitude = read.Number(body, "longitude");
  d.email = read.Text(body, "email");
  d.phone = read.Text(body, "phone");
  d.website = read.Text(body, "website");
  d.siret = read.Text(body, "siret");
  if (read.failure) return *read.failure;
  if (const json* employer = Present(body, "employer")) {
    if (!employer->is_boolean()) {
      return Failure::Invalid("invalid_type", "« employer » doit valoir true ou false.",
                              "employer");
    }
    d.employer = employer->get<bool>();
  }
  if (const json* offers = Present(body, "offers")) {
    if (!offers->is_array()) {
      return Failure::Invalid("invalid_type", "« offers » doit être une liste.", "offers");
    }
    for (std::size_t i = 0; i < offers->size(); ++i) {
      const json& o = (*offers)[i];
      const std::string prefix = "offers[" + std::to_string(i) + "]";
      if (!o.is_object()) {
        return Failure::Invalid("invalid_type", "Une offre doit être un objet.", prefix);
      }
      for (const auto& [key, value] : o.items()) {
        if (!Contains(kOfferKeys, key)) {
          return Failure::Invalid("unknown_field", "Champ d'offre inconnu : « " + key + " ».",
                                  prefix + "." + key);
        }
      }
      OfferDraft offer;
      offer.title = read.Text(o, "title", prefix + ".title", "offers.title");
      offer.description =
          read.Text(o, "description", prefix + ".description", "offers.description");
      offer.conditions = read.Text(o, "conditions", prefix + ".conditions", "offers.conditions");
      offer.lead_time = read.Text(o, "lead_time", prefix + ".lead_time", "offers.lead_time");
      offer.guarantees = read.Text(o, "guarantees", prefix + ".guarantees", "offers.guarantees");
      if (read.failure) return *read.failure;
      d.offers.push_back(std::move(offer));
    }
  }
  if (const json* entered = Present(body, "private")) {
    if (!entered->is_object()) {
      return Failure::Invalid("invalid_type", "« private » doit être un objet.", "private");
    }
    for (const auto& [key, value] : entered->items()) {
      if (!Contains(kPrivateKeys, key)) {
        return Failure::Invalid("unknown_field", "Champ privé inconnu : « " + key + " ».",
                                "private." + key);
      }
    }
    InitiativePrivateFields& p = d.private_fields;
    p.contact_name =
        read.Text(*entered, "contact_name", "private.contact_name", "private.contact_name");
    p.contact_email =
        read.Text(*entered, "contact_email", "private.contact_email", "private.contact_email");
    p.contact_phone =
        read.Text(*entered, "contact_phone", "private.contact_phone", "private.contact_phone");
    if (read.failure) return *read.failure;
  }
  return d;
}

}  // namespace

Result<InitiativeDraft> InitiativeDraftFromJson(const json& body) { return ReadDraft(body, {}); }

Result<InitiativeSubmission> InitiativeSubmissionFromJson(const json& body) {
  auto draft = ReadDraft(body, "charter");
  if (!draft.ok()) return draft.failure();
  InitiativeSubmission submission{std::move(draft.value()), std::nullopt};
  auto charter = body.find("charter");
  if (charter != body.end() && charter->is_object()) {
    const json version = charter->value("version", json());
    const json by = charter->value("adhered_by", json());
    submission.charter = Adherence{
        version.is_number_integer() ? std::optional<int>(version.get<int>()) : std::nullopt,
        by.is_string() ? std::optional<std::string>(by.get<std::string>()) : std::nullopt};
  }
  return submission;
}

}  // namespace ess::node
