#pragma once
// JSON forms of an initiative. The public form is exactly the `initiative / put` payload of
// docs/protocol.md §8: public fields only, dates in RFC 3339, absent contacts omitted. It is
// what the journal holds, what the hub receives and what the public API and exports show.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/domain/initiative.h"

namespace ess::node {

nlohmann::json InitiativePublicJson(const Initiative& initiative);
// The payload bytes to journal (compact JSON, keys sorted).
std::string InitiativePayload(const Initiative& initiative);
// Public form plus the private fields, for the owner and the committee.
nlohmann::json InitiativeFullJson(const Initiative& initiative);

nlohmann::json OffersJson(const std::vector<Offer>& offers);
// Reads what OffersJson wrote (from the database); unknown keys are ignored.
std::vector<Offer> OffersFromJson(const nlohmann::json& offers);

}  // namespace ess::node
