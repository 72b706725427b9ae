#include "node/domain/initiative_validation.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <vector>

#include "core/field_rules.h"
#include "node/domain/entered_text.h"

namespace ess::node {

namespace {

// The field errors found so far, in the order the rules ran.
class FieldErrors {
 public:
  void Add(std::string code, std::string message, std::string field) {
    errors_.push_back({std::move(code), std::move(message), std::move(field)});
  }
  void Add(Failure failure) {
    Add(std::move(failure.code), std::move(failure.message), std::move(failure.field));
  }
  // Whether `field` already has an error (a field's later rules are then not checked).
  bool Has(std::string_view field) const {
    return std::any_of(errors_.begin(), errors_.end(),
                       [&](const FieldError& e) { return e.field == field; });
  }
  bool empty() const { return errors_.empty(); }
  std::vector<FieldError> Take() { return std::move(errors_); }

 private:
  std::vector<FieldError> errors_;
};

std::string Label(std::string_view key) { return std::string(DraftFieldLabel(key)); }
// "Intitulé (offre 2)": offers are numbered from 1 on the form.
std::string OfferLabel(std::string_view key, std::size_t index) {
  return Label(key) + " (offre " + std::to_string(index + 1) + ")";
}

// Reads optional text: absent or blank -> nullopt. Applies the text rule of `kind`
// (ReadEnteredText: normalised, then checked) and the length; `label` names the field in
// messages as the form labels it. A broken rule is added to the errors and reads as nullopt.
class TextReader {
 public:
  explicit TextReader(FieldErrors& errors) : errors_(errors) {}

  std::optional<std::string> Optional(const std::optional<std::string>& entered, std::string field,
                                      std::size_t max_length, const std::string& label,
                                      TextKind kind = TextKind::kSingleLine) {
    if (!entered) return std::nullopt;
    std::string value;
    if (auto bad = ReadEnteredText(*entered, kind, field, label, value)) {
      errors_.Add(std::move(*bad));
      return std::nullopt;
    }
    if (*Utf8Length(value) > max_length) {
      errors_.Add(
          "too_long",
          "Le champ « " + label + " » dépasse " + std::to_string(max_length) + " caractères.",
          field);
      return std::nullopt;
    }
    if (value.empty()) return std::nullopt;
    return value;
  }

  // Empty when absent, blank or refused (the error added).
  std::string Required(const std::optional<std::string>& entered, std::string field,
                       std::size_t max_length, const std::string& label) {
    auto value = Optional(entered, field, max_length, label);
    if (errors_.Has(field)) return {};
    if (!value) {
      errors_.Add("required", "Le champ « " + label + " » est obligatoire.", field);
      return {};
    }
    return *value;
  }

 private:
  FieldErrors& errors_;
};

// A coordinate: a JSON body only holds finite numbers, a CSV cell may read "nan" or "inf".
bool CheckFinite(const std::optional<double>& value, const char* key, FieldErrors& errors) {
  if (!value || std::isfinite(*value)) return true;
  errors.Add("invalid_type", "Le champ « " + Label(key) + " » doit être un nombre.", key);
  return false;
}

double Round5(double v) { return std::round(v * 1e5) / 1e5; }

// "placed" unless the position is the commune's own point (none given, or the point given
// back, as an edit form or a re-imported export does): then "commune" or "approximate".
std::string LocationPrecisionOf(const Commune& commune, const std::optional<double>& latitude,
                                const std::optional<double>& longitude) {
  if (!latitude || !longitude || !commune.latitude || !commune.longitude ||
      Round5(*latitude) != Round5(*commune.latitude) ||
      Round5(*longitude) != Round5(*commune.longitude)) {
    return "placed";
  }
  return commune.approximate ? "approximate" : "commune";
}

}  // namespace

Result<InitiativeInput> ValidateInitiativeInput(const InitiativeDraft& d, const Referential& ref,
                                                std::string_view node_region) {
  FieldErrors errors;
  InitiativeInput out;
  InitiativeFields& f = out.fields;
  TextReader text(errors);

  f.name = text.Required(d.name, "name", kNameMax, Label("name"));
  if (!errors.Has("name") && *Utf8Length(f.name) < kNameMin) {
    errors.Add("too_short", "Le champ « Nom » doit compter au moins 2 caractères.", "name");
  }
  f.family = text.Required(d.family, "family", 64, Label("family"));
  const ReferentialEntry* family = nullptr;
  if (!errors.Has("family")) {
    family = ref.Family(f.family);
    if (!family) {
      errors.Add("unknown_code",
                 "Famille de l'ESS inconnue du référentiel : « " + f.family +
                     " » ; choisissez-la dans la liste.",
                 "family");
    }
  }
  f.legal_form = text.Required(d.legal_form, "legal_form", 64, Label("legal_form"));
  if (!errors.Has("legal_form")) {
    const ReferentialEntry* form = ref.LegalForm(f.legal_form);
    if (!form) {
      errors.Add("unknown_code",
                 "Forme juridique inconnue du référentiel : « " + f.legal_form +
                     " » ; choisissez-la dans la liste.",
                 "legal_form");
    } else if (family && form->parent != f.family) {
      errors.Add("inconsistent",
                 "La forme juridique « " + form->label + " » n'est pas une forme de la famille « " +
                     family->label + " » : choisissez-en une de la liste.",
                 "legal_form");
    }
  }

  if (!d.activities) {
    errors.Add("required", "Le champ « Activités » est obligatoire : cochez au moins une activité.",
               "activities");
  } else if (d.activities->empty() || d.activities->size() > kActivitiesMax) {
    errors.Add("invalid_count", "Activités : cochez de 1 à 10 activités.", "activities");
  } else {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < d.activities->size(); ++i) {
      const std::string& code = (*d.activities)[i];
      std::string field = "activities[" + std::to_string(i) + "]";
      if (!ref.Activity(code)) {
        errors.Add("unknown_code",
                   "Activité inconnue du référentiel : « " + code.substr(0, 64) + " ».", field);
      } else if (!seen.insert(code).second) {
        errors.Add("duplicate", "Activité en double : « " + code + " ».", field);
      } else {
        f.activities.push_back(code);
      }
    }
  }

  f.description = text.Optional(d.description, "description", kDescriptionMax, Label("description"),
                                TextKind::kMultiLine)
                      .value_or("");
  f.address = text.Optional(d.address, "address", kAddressMax, Label("address")).value_or("");
  f.postcode = text.Optional(d.postcode, "postcode", 5, Label("postcode")).value_or("");
  if (!f.postcode.empty() && !IsValidPostcode(f.postcode)) {
    errors.Add("invalid_postcode", "Le champ « Code postal » doit compter 5 chiffres.", "postcode");
  }

  f.commune = text.Required(d.commune, "commune", 5, Label("commune"));
  const Commune* commune = nullptr;
  if (!errors.Has("commune")) {
    commune = ref.FindCommune(f.commune);
    if (!commune) {
      errors.Add("unknown_commune",
                 "Commune : « " + f.commune +
                     " » n'est pas une commune connue ; tapez le début de son nom puis "
                     "choisissez-la dans la liste proposée.",
                 "commune");
    } else if (commune->region != node_region) {
      errors.Add("wrong_region",
                 "La commune « " + commune->name + " » n'est pas dans la région de ce nœud (" +
                     std::string(node_region) + ").",
                 "commune");
      commune = nullptr;
    }
  }
  if (commune) {
    f.department = commune->department;
    f.region = commune->region;
    out.commune_name = commune->name;
  }
  auto department = text.Optional(d.department, "department", 3, Label("department"));
  auto region = text.Optional(d.region, "region", 3, Label("region"));
  if (commune && department && *department != f.department) {
    errors.Add("inconsistent",
               "Le département « " + *department + " » ne correspond pas à la commune « " +
                   commune->name + " » (" + f.department + ").",
               "department");
  }
  if (commune && region && *region != f.region) {
    errors.Add("inconsistent",
               "La région « " + *region + " » ne correspond pas à la commune « " + commune->name +
                   " » (" + f.region + ").",
               "region");
  }
  if (commune && !f.postcode.empty() && !errors.Has("postcode") && !commune->postcodes.empty() &&
      std::find(commune->postcodes.begin(), commune->postcodes.end(), f.postcode) ==
          commune->postcodes.end()) {
    errors.Add("inconsistent",
               "Le code postal " + f.postcode + " n'est pas celui de " + commune->name + ".",
               "postcode");
  }

  const bool finite =
      CheckFinite(d.latitude, "latitude", errors) & CheckFinite(d.longitude, "longitude", errors);
  std::optional<double> latitude = d.latitude;
  std::optional<double> longitude = d.longitude;
  if (finite && commune) {
    if (!latitude && !longitude && commune->latitude && commune->longitude) {
      latitude = commune->latitude;
      longitude = commune->longitude;
    }
    f.location_precision = LocationPrecisionOf(*commune, latitude, longitude);
    if (!latitude && !longitude) {
      errors.Add("required",
                 "La commune « " + commune->name +
                     " » n'a pas de position connue : placez l'initiative sur la carte (« Position "
                     "précise »).",
                 "latitude");
    } else if (!latitude) {
      errors.Add("required", "Le champ « Latitude » est obligatoire.", "latitude");
    } else if (!longitude) {
      errors.Add("required", "Le champ « Longitude » est obligatoire.", "longitude");
    }
  }
  if (finite && latitude && longitude) {
    auto zone = ZoneOfRegion(node_region);
    if (!IsInFrance(*latitude, *longitude)) {
      errors.Add("outside_france", "Les coordonnées ne sont pas en France.", "latitude");
    } else if (zone && !IsInZone(*zone, *latitude, *longitude)) {
      errors.Add("outside_region", "Les coordonnées ne sont pas dans la région de ce nœud.",
                 "latitude");
    } else if (commune && commune->latitude && commune->longitude) {
      if (auto far = DistanceBeyondCommune(commune->department, commune->position_source,
                                           {*commune->latitude, *commune->longitude},
                                           {*latitude, *longitude})) {
        errors.Add(
            "far_from_commune",
            PositionFarMessage(*far, commune->name, commune->department, commune->position_source),
            "latitude");
      }
    }
    f.latitude = Round5(*latitude);
    f.longitude = Round5(*longitude);
  }

  f.email = text.Optional(d.email, "email", 254, Label("email"));
  if (f.email && !IsValidEmail(*f.email)) {
    errors.Add("invalid_email",
               "Le champ « Courriel » n'est pas une adresse valide (nom@exemple.fr).", "email");
  }
  f.phone = text.Optional(d.phone, "phone", 30, Label("phone"));
  if (f.phone && !IsValidPhone(*f.phone)) {
    errors.Add("invalid_phone", "Le champ « Téléphone » n'est pas un numéro valide.", "phone");
  }
  f.website = text.Optional(d.website, "website", 500, Label("website"));
  if (f.website && !IsValidUrl(*f.website)) {
    errors.Add("invalid_url",
               "Le champ « Site web » n'est pas une adresse valide (http:// ou https://).",
               "website");
  }
  f.siret = text.Optional(d.siret, "siret", 20, Label("siret"));
  if (f.siret) {
    f.siret = NormalizeSiret(*f.siret);
    if (!IsValidSiret(*f.siret)) {
      errors.Add("invalid_siret",
                 "Le champ « SIRET » n'est pas un numéro valide (14 chiffres, clé de contrôle).",
                 "siret");
    }
  }
  f.employer = d.employer;

  if (d.offers.size() > kOffersMax) {
    errors.Add("invalid_count", "Au plus 20 offres.", "offers");
  } else {
    for (std::size_t i = 0; i < d.offers.size(); ++i) {
      const OfferDraft& o = d.offers[i];
      std::string prefix = "offers[" + std::to_string(i) + "]";
      Offer offer;
      offer.title =
          text.Required(o.title, prefix + ".title", kShortTextMax, OfferLabel("offers.title", i));
      offer.description = text.Optional(o.description, prefix + ".description", kOfferTextMax,
                                        OfferLabel("offers.description", i), TextKind::kMultiLine)
                              .value_or("");
      offer.conditions = text.Optional(o.conditions, prefix + ".conditions", kOfferTextMax,
                                       OfferLabel("offers.conditions", i), TextKind::kMultiLine)
                             .value_or("");
      offer.lead_time = text.Optional(o.lead_time, prefix + ".lead_time", kShortTextMax,
                                      OfferLabel("offers.lead_time", i))
                            .value_or("");
      offer.guarantees = text.Optional(o.guarantees, prefix + ".guarantees", kOfferTextMax,
                                       OfferLabel("offers.guarantees", i), TextKind::kMultiLine)
                             .value_or("");
      f.offers.push_back(std::move(offer));
    }
  }

  const InitiativePrivateFields& entered = d.private_fields;
  auto& p = out.private_fields;
  p.contact_name = text.Optional(entered.contact_name, "private.contact_name", kShortTextMax,
                                 Label("private.contact_name"));
  p.contact_email = text.Optional(entered.contact_email, "private.contact_email", 254,
                                  Label("private.contact_email"));
  p.contact_phone = text.Optional(entered.contact_phone, "private.contact_phone", 30,
                                  Label("private.contact_phone"));
  if (p.contact_email && !IsValidEmail(*p.contact_email)) {
    errors.Add("invalid_email",
               "Le champ « Courriel du contact » n'est pas une adresse valide (nom@exemple.fr).",
               "private.contact_email");
  }
  if (p.contact_phone && !IsValidPhone(*p.contact_phone)) {
    errors.Add("invalid_phone", "Le champ « Téléphone du contact » n'est pas un numéro valide.",
               "private.contact_phone");
  }
  if (!errors.empty()) return Failure::OfFieldErrors(errors.Take());
  return out;
}

}  // namespace ess::node
