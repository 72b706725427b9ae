#include "node/domain/initiative_validation.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/field_rules.h"

namespace ess::node {

namespace {

using nlohmann::json;

constexpr std::string_view kPublicKeys[] = {
    "name", "family", "legal_form", "activities", "description", "address", "postcode",
    "commune", "department", "region", "latitude", "longitude", "email", "phone", "website",
    "siret", "employer", "offers", "private"};
constexpr std::string_view kPrivateKeys[] = {"contact_name", "contact_email", "contact_phone"};
constexpr std::string_view kOfferKeys[] = {"title", "description", "conditions", "lead_time",
                                           "guarantees"};

template <std::size_t N>
bool Contains(const std::string_view (&list)[N], std::string_view key) {
  return std::find(std::begin(list), std::end(list), key) != std::end(list);
}

// Reads optional text: absent, null or blank -> nullopt. Checks type, UTF-8 and length.
class TextReader {
 public:
  explicit TextReader(std::optional<Failure>& failure) : failure_(failure) {}

  std::optional<std::string> Optional(const json& object, const char* key, std::string field,
                                      std::size_t max_length, const char* label) {
    if (failure_) return std::nullopt;
    auto it = object.find(key);
    if (it == object.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) {
      failure_ = Failure::Invalid("invalid_type", std::string("Le champ « ") + label +
                                                      " » doit être un texte.", field);
      return std::nullopt;
    }
    std::string value = Trim(it->get<std::string>());
    auto length = Utf8Length(value);
    if (!length) {
      failure_ = Failure::Invalid("invalid_text", std::string("Le champ « ") + label +
                                                      " » contient des caractères invalides.", field);
      return std::nullopt;
    }
    for (char c : value) {
      unsigned char u = static_cast<unsigned char>(c);
      if (u < 0x20 && c != '\n' && c != '\r' && c != '\t') {
        failure_ = Failure::Invalid("invalid_text", std::string("Le champ « ") + label +
                                                        " » contient des caractères de contrôle.", field);
        return std::nullopt;
      }
    }
    if (*length > max_length) {
      failure_ = Failure::Invalid("too_long", std::string("Le champ « ") + label + " » dépasse " +
                                                  std::to_string(max_length) + " caractères.", field);
      return std::nullopt;
    }
    if (value.empty()) return std::nullopt;
    return value;
  }

  std::string Required(const json& object, const char* key, std::string field,
                       std::size_t max_length, const char* label) {
    auto value = Optional(object, key, field, max_length, label);
    if (failure_) return {};
    if (!value) {
      failure_ = Failure::Invalid("required", std::string("Le champ « ") + label + " » est obligatoire.", field);
      return {};
    }
    return *value;
  }

  static std::string Trim(std::string s) {
    auto not_space = [](unsigned char c) { return !std::isspace(c); };
    s.erase(s.begin(), std::find_if(s.begin(), s.end(), not_space));
    s.erase(std::find_if(s.rbegin(), s.rend(), not_space).base(), s.end());
    return s;
  }

 private:
  std::optional<Failure>& failure_;
};

std::optional<double> Number(const json& object, const char* key, std::optional<Failure>& failure,
                             const char* label) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_number() || !std::isfinite(it->get<double>())) {
    failure = Failure::Invalid("invalid_type", std::string("Le champ « ") + label + " » doit être un nombre.", key);
    return std::nullopt;
  }
  return it->get<double>();
}

double Round5(double v) { return std::round(v * 1e5) / 1e5; }

}  // namespace

Result<InitiativeInput> ValidateInitiativeInput(const json& input, const Referential& ref,
                                                std::string_view node_region,
                                                std::initializer_list<std::string_view> extra_keys) {
  std::optional<Failure> failure;
  if (!input.is_object()) return Failure::Invalid("malformed_json", "L'initiative doit être un objet JSON.");
  for (const auto& [key, value] : input.items()) {
    if (!Contains(kPublicKeys, key) &&
        std::find(extra_keys.begin(), extra_keys.end(), key) == extra_keys.end()) {
      return Failure::Invalid("unknown_field", "Champ inconnu : « " + key + " ».", key);
    }
  }
  InitiativeInput out;
  InitiativeFields& f = out.fields;
  TextReader text(failure);

  f.name = text.Required(input, "name", "name", kNameMax, "nom");
  if (!failure && *Utf8Length(f.name) < kNameMin) {
    return Failure::Invalid("too_short", "Le nom doit compter au moins 2 caractères.", "name");
  }
  f.family = text.Required(input, "family", "family", 64, "famille");
  if (failure) return *failure;
  if (!ref.Family(f.family)) {
    return Failure::Invalid("unknown_code", "Famille de l'ESS inconnue du référentiel : « " + f.family + " ».", "family");
  }
  f.legal_form = text.Required(input, "legal_form", "legal_form", 64, "forme juridique");
  if (failure) return *failure;
  const ReferentialEntry* form = ref.LegalForm(f.legal_form);
  if (!form) {
    return Failure::Invalid("unknown_code", "Forme juridique inconnue du référentiel : « " + f.legal_form + " ».", "legal_form");
  }
  if (form->parent != f.family) {
    return Failure::Invalid("inconsistent", "La forme juridique « " + f.legal_form +
                                                " » n'appartient pas à la famille « " + f.family + " ».",
                            "legal_form");
  }

  auto activities = input.find("activities");
  if (activities == input.end() || activities->is_null()) {
    return Failure::Invalid("required", "Au moins une activité est obligatoire.", "activities");
  }
  if (!activities->is_array()) {
    return Failure::Invalid("invalid_type", "« activities » doit être une liste de codes.", "activities");
  }
  if (activities->empty() || activities->size() > kActivitiesMax) {
    return Failure::Invalid("invalid_count", "Indiquez entre 1 et 10 activités.", "activities");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < activities->size(); ++i) {
    const auto& a = (*activities)[i];
    std::string field = "activities[" + std::to_string(i) + "]";
    if (!a.is_string()) return Failure::Invalid("invalid_type", "Un code d'activité doit être un texte.", field);
    std::string code = a.get<std::string>();
    if (!ref.Activity(code)) {
      return Failure::Invalid("unknown_code", "Activité inconnue du référentiel : « " + code.substr(0, 64) + " ».", field);
    }
    if (!seen.insert(code).second) {
      return Failure::Invalid("duplicate", "Activité en double : « " + code + " ».", field);
    }
    f.activities.push_back(code);
  }

  f.description = text.Optional(input, "description", "description", kDescriptionMax, "description").value_or("");
  f.address = text.Optional(input, "address", "address", kAddressMax, "adresse").value_or("");
  f.postcode = text.Optional(input, "postcode", "postcode", 5, "code postal").value_or("");
  if (failure) return *failure;
  if (!f.postcode.empty() && !IsValidPostcode(f.postcode)) {
    return Failure::Invalid("invalid_postcode", "Le code postal doit compter 5 chiffres.", "postcode");
  }

  f.commune = text.Required(input, "commune", "commune", 5, "commune");
  if (failure) return *failure;
  const Commune* commune = ref.FindCommune(f.commune);
  if (!commune) {
    return Failure::Invalid("unknown_commune", "Code INSEE de commune inconnu : « " + f.commune + " ».", "commune");
  }
  if (commune->region != node_region) {
    return Failure::Invalid("wrong_region", "La commune « " + commune->name + " » n'est pas dans la région de ce nœud (" +
                                                std::string(node_region) + ").", "commune");
  }
  f.department = commune->department;
  f.region = commune->region;
  out.commune_name = commune->name;
  auto department = text.Optional(input, "department", "department", 3, "département");
  auto region = text.Optional(input, "region", "region", 3, "région");
  if (failure) return *failure;
  if (department && *department != f.department) {
    return Failure::Invalid("inconsistent", "Le département « " + *department + " » ne correspond pas à la commune « " +
                                                commune->name + " » (" + f.department + ").", "department");
  }
  if (region && *region != f.region) {
    return Failure::Invalid("inconsistent", "La région « " + *region + " » ne correspond pas à la commune « " +
                                                commune->name + " » (" + f.region + ").", "region");
  }
  if (!f.postcode.empty() && !commune->postcodes.empty() &&
      std::find(commune->postcodes.begin(), commune->postcodes.end(), f.postcode) == commune->postcodes.end()) {
    return Failure::Invalid("inconsistent", "Le code postal " + f.postcode + " n'est pas celui de " + commune->name + ".",
                            "postcode");
  }

  auto latitude = Number(input, "latitude", failure, "latitude");
  auto longitude = Number(input, "longitude", failure, "longitude");
  if (failure) return *failure;
  if (!latitude && !longitude && commune->latitude && commune->longitude) {
    latitude = commune->latitude;
    longitude = commune->longitude;
  }
  if (!latitude) return Failure::Invalid("required", "La latitude est obligatoire.", "latitude");
  if (!longitude) return Failure::Invalid("required", "La longitude est obligatoire.", "longitude");
  if (!IsInFrance(*latitude, *longitude)) {
    return Failure::Invalid("outside_france", "Les coordonnées ne sont pas en France.", "latitude");
  }
  auto zone = ZoneOfRegion(node_region);
  if (zone && !IsInZone(*zone, *latitude, *longitude)) {
    return Failure::Invalid("outside_region", "Les coordonnées ne sont pas dans la région de ce nœud.", "latitude");
  }
  f.latitude = Round5(*latitude);
  f.longitude = Round5(*longitude);

  f.email = text.Optional(input, "email", "email", 254, "courriel");
  if (failure) return *failure;
  if (f.email && !IsValidEmail(*f.email)) {
    return Failure::Invalid("invalid_email", "Adresse de courriel invalide.", "email");
  }
  f.phone = text.Optional(input, "phone", "phone", 30, "téléphone");
  if (failure) return *failure;
  if (f.phone && !IsValidPhone(*f.phone)) {
    return Failure::Invalid("invalid_phone", "Numéro de téléphone invalide.", "phone");
  }
  f.website = text.Optional(input, "website", "website", 500, "site web");
  if (failure) return *failure;
  if (f.website && !IsValidUrl(*f.website)) {
    return Failure::Invalid("invalid_url", "Adresse de site web invalide (http:// ou https://).", "website");
  }
  f.siret = text.Optional(input, "siret", "siret", 20, "SIRET");
  if (failure) return *failure;
  if (f.siret) {
    f.siret = NormalizeSiret(*f.siret);
    if (!IsValidSiret(*f.siret)) {
      return Failure::Invalid("invalid_siret", "Numéro SIRET invalide (14 chiffres, clé de contrôle).", "siret");
    }
  }
  auto employer = input.find("employer");
  if (employer != input.end() && !employer->is_null()) {
    if (!employer->is_boolean()) {
      return Failure::Invalid("invalid_type", "« employer » doit valoir true ou false.", "employer");
    }
    f.employer = employer->get<bool>();
  }

  auto offers = input.find("offers");
  if (offers != input.end() && !offers->is_null()) {
    if (!offers->is_array()) return Failure::Invalid("invalid_type", "« offers » doit être une liste.", "offers");
    if (offers->size() > kOffersMax) return Failure::Invalid("invalid_count", "Au plus 20 offres.", "offers");
    for (std::size_t i = 0; i < offers->size(); ++i) {
      const auto& o = (*offers)[i];
      std::string prefix = "offers[" + std::to_string(i) + "]";
      if (!o.is_object()) return Failure::Invalid("invalid_type", "Une offre doit être un objet.", prefix);
      for (const auto& [key, value] : o.items()) {
        if (!Contains(kOfferKeys, key)) {
          return Failure::Invalid("unknown_field", "Champ d'offre inconnu : « " + key + " ».", prefix + "." + key);
        }
      }
      Offer offer;
      offer.title = text.Required(o, "title", prefix + ".title", kShortTextMax, "intitulé de l'offre");
      offer.description = text.Optional(o, "description", prefix + ".description", kOfferTextMax, "description de l'offre").value_or("");
      offer.conditions = text.Optional(o, "conditions", prefix + ".conditions", kOfferTextMax, "conditions").value_or("");
      offer.lead_time = text.Optional(o, "lead_time", prefix + ".lead_time", kShortTextMax, "délai").value_or("");
      offer.guarantees = text.Optional(o, "guarantees", prefix + ".guarantees", kOfferTextMax, "garanties").value_or("");
      if (failure) return *failure;
      f.offers.push_back(std::move(offer));
    }
  }

  auto priv = input.find("private");
  if (priv != input.end() && !priv->is_null()) {
    if (!priv->is_object()) return Failure::Invalid("invalid_type", "« private » doit être un objet.", "private");
    for (const auto& [key, value] : priv->items()) {
      if (!Contains(kPrivateKeys, key)) {
        return Failure::Invalid("unknown_field", "Champ privé inconnu : « " + key + " ».", "private." + key);
      }
    }
    auto& p = out.private_fields;
    p.contact_name = text.Optional(*priv, "contact_name", "private.contact_name", kShortTextMax, "nom du contact");
    p.contact_email = text.Optional(*priv, "contact_email", "private.contact_email", 254, "courriel du contact");
    p.contact_phone = text.Optional(*priv, "contact_phone", "private.contact_phone", 30, "téléphone du contact");
    if (failure) return *failure;
    if (p.contact_email && !IsValidEmail(*p.contact_email)) {
      return Failure::Invalid("invalid_email", "Adresse de courriel du contact invalide.", "private.contact_email");
    }
    if (p.contact_phone && !IsValidPhone(*p.contact_phone)) {
      return Failure::Invalid("invalid_phone", "Numéro de téléphone du contact invalide.", "private.contact_phone");
    }
  }
  if (failure) return *failure;
  return out;
}

}  // namespace ess::node
