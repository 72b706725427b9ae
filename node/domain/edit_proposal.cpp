#include "node/domain/edit_proposal.h"

#include "node/domain/initiative_json.h"

namespace ess::node {

using nlohmann::json;

namespace {

std::optional<std::string> OptionalString(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

std::string_view ProposalStateName(ProposalState state) {
  switch (state) {
    case ProposalState::kUnderReview: return "under_review";
    case ProposalState::kWaiting: return "waiting";
    case ProposalState::kChangesRequested: return "changes_requested";
  }
  return "under_review";
}

std::optional<ProposalState> ProposalStateFromName(std::string_view name) {
  for (auto s : {ProposalState::kUnderReview, ProposalState::kWaiting, ProposalState::kChangesRequested}) {
    if (ProposalStateName(s) == name) return s;
  }
  return std::nullopt;
}

Initiative WithProposal(const Initiative& admitted, const EditProposal& proposal) {
  Initiative out = admitted;
  out.fields = proposal.fields;
  out.private_fields = proposal.private_fields;
  out.commune_name = proposal.commune_name;
  return out;
}

json FieldsJson(const InitiativeFields& f) {
  json j = {{"name", f.name},
            {"family", f.family},
            {"legal_form", f.legal_form},
            {"activities", f.activities},
            {"description", f.description},
            {"address", f.address},
            {"postcode", f.postcode},
            {"commune", f.commune},
            {"department", f.department},
            {"region", f.region},
            {"latitude", f.latitude},
            {"longitude", f.longitude},
            {"location_precision", f.location_precision},
            {"offers", OffersJson(f.offers)}};
  if (f.employer) j["employer"] = *f.employer;
  if (f.email) j["email"] = *f.email;
  if (f.phone) j["phone"] = *f.phone;
  if (f.website) j["website"] = *f.website;
  if (f.siret) j["siret"] = *f.siret;
  return j;
}

InitiativeFields FieldsFromJson(const json& j) {
  InitiativeFields f;
  f.name = j.value("name", "");
  f.family = j.value("family", "");
  f.legal_form = j.value("legal_form", "");
  if (auto it = j.find("activities"); it != j.end() && it->is_array()) {
    for (const auto& a : *it) {
      if (a.is_string()) f.activities.push_back(a.get<std::string>());
    }
  }
  f.description = j.value("description", "");
  f.address = j.value("address", "");
  f.postcode = j.value("postcode", "");
  f.commune = j.value("commune", "");
  f.department = j.value("department", "");
  f.region = j.value("region", "");
  f.latitude = j.value("latitude", 0.0);
  f.longitude = j.value("longitude", 0.0);
  f.location_precision = j.value("location_precision", "placed");
  f.email = OptionalString(j, "email");
  f.phone = OptionalString(j, "phone");
  f.website = OptionalString(j, "website");
  f.siret = OptionalString(j, "siret");
  if (auto it = j.find("employer"); it != j.end() && it->is_boolean()) f.employer = it->get<bool>();
  f.offers = OffersFromJson(j.value("offers", json::array()));
  return f;
}

json PrivateFieldsJson(const InitiativePrivateFields& p) {
  json j = json::object();
  if (p.contact_name) j["contact_name"] = *p.contact_name;
  if (p.contact_email) j["contact_email"] = *p.contact_email;
  if (p.contact_phone) j["contact_phone"] = *p.contact_phone;
  return j;
}

InitiativePrivateFields PrivateFieldsFromJson(const json& j) {
  return {OptionalString(j, "contact_name"), OptionalString(j, "contact_email"),
          OptionalString(j, "contact_phone")};
}

}  // namespace ess::node
