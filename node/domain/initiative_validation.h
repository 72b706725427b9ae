#pragma once
// Validation of an initiative as entered (submission, owner edit, admin edit, CSV import):
// every rule of the record, with the first broken rule as a Failure naming the field, in
// French. The same function serves every entry path, so they cannot disagree.
//
// Input: a JSON object with the public fields of InitiativeFields (department and region may
// be given; they must then match the commune), `private` for InitiativePrivateFields, and any
// of `extra_keys` (e.g. "charter"), which are left to the caller. Unknown keys are refused.
// Rules: required name (2..200 characters), family, legal_form (of that family), activities
// (1..10 distinct codes), commune (INSEE code of the node's region); lengths of every text;
// SIRET (Luhn, La Poste exception); email, URL, phone and postcode syntax; latitude and
// longitude in the region's part of France (taken from the commune when both are absent and
// the referential has its coordinates), rounded to 5 decimals; at most 20 offers.

#include <initializer_list>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/referential.h"
#include "node/domain/failure.h"
#include "node/domain/initiative.h"

namespace ess::node {

struct InitiativeInput {
  InitiativeFields fields;
  InitiativePrivateFields private_fields;
  std::string commune_name;
};

Result<InitiativeInput> ValidateInitiativeInput(const nlohmann::json& input,
                                                const Referential& referential,
                                                std::string_view node_region,
                                                std::initializer_list<std::string_view> extra_keys = {});

// Limits, also published in docs/node-api.yaml.
inline constexpr std::size_t kNameMin = 2, kNameMax = 200;
inline constexpr std::size_t kDescriptionMax = 5000;
inline constexpr std::size_t kAddressMax = 300;
inline constexpr std::size_t kShortTextMax = 200;
inline constexpr std::size_t kOfferTextMax = 2000;
inline constexpr std::size_t kActivitiesMax = 10;
inline constexpr std::size_t kOffersMax = 20;

}  // namespace ess::node
