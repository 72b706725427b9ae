#include "node/domain/initiative_validation.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/field_rules.h"
#include "node/domain/entered_text.h"

namespace ess::node {

namespace {

// Reads optional text: absent or blank -> nullopt. Applies the text rule of `kind`
// (ReadEnteredText: normalised, then checked) and the length; `label_key` names the field in
// messages (DraftFieldLabel).
class TextReader {
 public:
  explicit TextReader(std::optional<Failure>& failure) : failure_(failure) {}

  std::optional<std::string> Optional(const std::optional<std::string>& entered, std::string field,
                                      std::size_t max_length, std::string_view label_key,
                                      TextKind kind = TextKind::kSingleLine) {
    if (failure_ || !entered) return std::nullopt;
    const std::string label(DraftFieldLabel(label_key));
    std::string value;
    if (auto bad = ReadEnteredText(*entered, kind, field, label, value)) {
      failure_ = std::move(bad);
      return std::nullopt;
    }
    if (*Utf8Length(value) > max_length) {
      failure_ = Failure::Invalid(
          "too_long",
          "Le champ « " + label + " » dépasse " + std::to_string(max_length) + " caractères.",
          field);
      return std::nullopt;
    }
    if (value.empty()) return std::nullopt;
    return value;
  }

  std::string Required(const std::optional<std::string>& entered, std::string field,
                       std::size_t max_length, std::string_view label_key) {
    auto value = Optional(entered, field, max_length, label_key);
    if (failure_) return {};
    if (!value) {
      failure_ = Failure::Invalid(
          "required",
          "Le champ « " + std::string(DraftFieldLabel(label_key)) + " » est obligatoire.", field);
      return {};
    }
    return *value;
  }

 private:
  std::optional<Failure>& failure_;
};

// A coordinate: a JSON body only holds finite numbers, a CSV cell may read "nan" or "inf".
std::optional<Failure> CheckFinite(const std::optional<double>& value, const char* key) {
  if (!value || std::isfinite(*value)) return std::nullopt;
  return Failure::Invalid("invalid_type",
                          std::string("Le champ « ") + key + " » doit être un nombre.", key);
}

double Round5(double v) { return std::round(v * 1e5) / 1e5; }

}  // namespace

Result<InitiativeInput> ValidateInitiativeInput(const InitiativeDraft& d, const Referential& ref,
                                                std::string_view node_region) {
  std::optional<Failure> failure;
  InitiativeInput out;
  InitiativeFields& f = out.fields;
  TextReader text(failure);

  f.name = text.Required(d.name, "name", kNameMax, "name");
  if (!failure && *Utf8Length(f.name) < kNameMin) {
    return Failure::Invalid("too_short", "Le nom doit compter au moins 2 caractères.", "name");
  }
  f.family = text.Required(d.family, "family", 64, "family");
  if (failure) return *failure;
  if (!ref.Family(f.family)) {
    return Failure::Invalid("unknown_code", "Famille de l'ESS inconnue du référentiel : « " + f.family + " ».", "family");
  }
  f.legal_form = text.Required(d.legal_form, "legal_form", 64, "legal_form");
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

  if (!d.activities) {
    return Failure::Invalid("required", "Au moins une activité est obligatoire.", "activities");
  }
  if (d.activities->empty() || d.activities->size() > kActivitiesMax) {
    return Failure::Invalid("invalid_count", "Indiquez entre 1 et 10 activités.", "activities");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < d.activities->size(); ++i) {
    const std::string& code = (*d.activities)[i];
    std::string field = "activities[" + std::to_string(i) + "]";
    if (!ref.Activity(code)) {
      return Failure::Invalid("unknown_code", "Activité inconnue du référentiel : « " + code.substr(0, 64) + " ».", field);
    }
    if (!seen.insert(code).second) {
      return Failure::Invalid("duplicate", "Activité en double : « " + code + " ».", field);
    }
    f.activities.push_back(code);
  }

  f.description = text.Optional(d.description, "description", kDescriptionMax, "description",
                                TextKind::kMultiLine)
                      .value_or("");
  f.address = text.Optional(d.address, "address", kAddressMax, "address").value_or("");
  f.postcode = text.Optional(d.postcode, "postcode", 5, "postcode").value_or("");
  if (failure) return *failure;
  if (!f.postcode.empty() && !IsValidPostcode(f.postcode)) {
    return Failure::Invalid("invalid_postcode", "Le code postal doit compter 5 chiffres.", "postcode");
  }

  f.commune = text.Required(d.commune, "commune", 5, "commune");
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
  auto department = text.Optional(d.department, "department", 3, "department");
  auto region = text.Optional(d.region, "region", 3, "region");
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

  if (auto bad = CheckFinite(d.latitude, "latitude")) return *bad;
  if (auto bad = CheckFinite(d.longitude, "longitude")) return *bad;
  std::optional<double> latitude = d.latitude;
  std::optional<double> longitude = d.longitude;
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
  if (commune->latitude && commune->longitude) {
    if (auto far =
            DistanceBeyondCommune(commune->department, {*commune->latitude, *commune->longitude},
                                  {*latitude, *longitude})) {
      return Failure::Invalid("far_from_commune",
                              PositionFarMessage(*far, commune->name, commune->department),
                              "latitude");
    }
  }
  f.latitude = Round5(*latitude);
  f.longitude = Round5(*longitude);

  f.email = text.Optional(d.email, "email", 254, "email");
  if (failure) return *failure;
  if (f.email && !IsValidEmail(*f.email)) {
    return Failure::Invalid("invalid_email", "Adresse de courriel invalide.", "email");
  }
  f.phone = text.Optional(d.phone, "phone", 30, "phone");
  if (failure) return *failure;
  if (f.phone && !IsValidPhone(*f.phone)) {
    return Failure::Invalid("invalid_phone", "Numéro de téléphone invalide.", "phone");
  }
  f.website = text.Optional(d.website, "website", 500, "website");
  if (failure) return *failure;
  if (f.website && !IsValidUrl(*f.website)) {
    return Failure::Invalid("invalid_url", "Adresse de site web invalide (http:// ou https://).", "website");
  }
  f.siret = text.Optional(d.siret, "siret", 20, "siret");
  if (failure) return *failure;
  if (f.siret) {
    f.siret = NormalizeSiret(*f.siret);
    if (!IsValidSiret(*f.siret)) {
      return Failure::Invalid("invalid_siret", "Numéro SIRET invalide (14 chiffres, clé de contrôle).", "siret");
    }
  }
  f.employer = d.employer.value_or(false);

  if (d.offers.size() > kOffersMax)
    return Failure::Invalid("invalid_count", "Au plus 20 offres.", "offers");
  for (std::size_t i = 0; i < d.offers.size(); ++i) {
    const OfferDraft& o = d.offers[i];
    std::string prefix = "offers[" + std::to_string(i) + "]";
    Offer offer;
    offer.title = text.Required(o.title, prefix + ".title", kShortTextMax, "offers.title");
    offer.description = text.Optional(o.description, prefix + ".description", kOfferTextMax,
                                      "offers.description", TextKind::kMultiLine)
                            .value_or("");
    offer.conditions = text.Optional(o.conditions, prefix + ".conditions", kOfferTextMax,
                                     "offers.conditions", TextKind::kMultiLine)
                           .value_or("");
    offer.lead_time =
        text.Optional(o.lead_time, prefix + ".lead_time", kShortTextMax, "offers.lead_time")
            .value_or("");
    offer.guarantees = text.Optional(o.guarantees, prefix + ".guarantees", kOfferTextMax,
                                     "offers.guarantees", TextKind::kMultiLine)
                           .value_or("");
    if (failure) return *failure;
    f.offers.push_back(std::move(offer));
  }

  const InitiativePrivateFields& entered = d.private_fields;
  auto& p = out.private_fields;
  p.contact_name = text.Optional(entered.contact_name, "private.contact_name", kShortTextMax,
                                 "private.contact_name");
  p.contact_email =
      text.Optional(entered.contact_email, "private.contact_email", 254, "private.contact_email");
  p.contact_phone =
      text.Optional(entered.contact_phone, "private.contact_phone", 30, "private.contact_phone");
  if (failure) return *failure;
  if (p.contact_email && !IsValidEmail(*p.contact_email)) {
    return Failure::Invalid("invalid_email", "Adresse de courriel du contact invalide.",
                            "private.contact_email");
  }
  if (p.contact_phone && !IsValidPhone(*p.contact_phone)) {
    return Failure::Invalid("invalid_phone", "Numéro de téléphone du contact invalide.",
                            "private.contact_phone");
  }
  return out;
}

}  // namespace ess::node
