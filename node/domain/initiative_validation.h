#pragma once
// Validation of an initiative as entered (submission, owner edit, admin edit, CSV import):
// every rule of the record, checked in one pass: a refusal is a Failure listing every field
// error (Failure::errors: each field's first broken rule, the field named as the form labels
// it, in French), the first of them as its code, message and field. The same function
// serves every entry path, so they cannot disagree.
//
// Input: a draft (initiative_draft.h), whose keys and types the entry path checked (the
// HTTP adapter refuses unknown keys and values of another type, the import converts its
// cells). Texts follow the one text rule (entered_text.h, core/field_rules.h: normalised,
// then checked; description and the offers' description, conditions and guarantees are
// multi-line, every other text single-line); blank ones count as absent. Rules: required name
// (2..200 characters), family, legal_form (of that family), activities (1..10 distinct codes),
// commune (INSEE code of the node's region); lengths of every text; SIRET (Luhn, La Poste
// exception); email, URL, phone and postcode syntax; latitude and longitude finite and in
// the region's part of France (taken from the commune when both are absent and the
// referential has its coordinates) and, when the referential has the commune's coordinates,
// within the commune radius of them (DistanceBeyondCommune: far_from_commune), rounded to 5
// decimals; at most 20 offers.

#include <string_view>

#include "core/referential.h"
#include "node/domain/failure.h"
#include "node/domain/initiative.h"
#include "node/domain/initiative_draft.h"

namespace ess::node {

struct InitiativeInput {
  InitiativeFields fields;
  InitiativePrivateFields private_fields;
  std::string commune_name;
};

Result<InitiativeInput> ValidateInitiativeInput(const InitiativeDraft& draft,
                                                const Referential& referential,
                                                std::string_view node_region);

// Limits, also published in docs/node-api.yaml.
inline constexpr std::size_t kNameMin = 2, kNameMax = 200;
inline constexpr std::size_t kDescriptionMax = 5000;
inline constexpr std::size_t kAddressMax = 300;
inline constexpr std::size_t kShortTextMax = 200;
inline constexpr std::size_t kOfferTextMax = 2000;
inline constexpr std::size_t kActivitiesMax = 10;
inline constexpr std::size_t kOffersMax = 20;

}  // namespace ess::node
