#include "node/domain/edit_proposal.h"

#include <cmath>

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

namespace {

constexpr double kSameCoordinate = 1e-5;  // degrees

}  // namespace

std::vector<std::string> ChangedFields(const Initiative& current, const InitiativeFields& f,
                                       const InitiativePrivateFields& p) {
  const InitiativeFields& c = current.fields;
  const InitiativePrivateFields& cp = current.private_fields;
  std::vector<std::string> out;
  auto compare = [&](const char* field, const auto& before, const auto& after) {
    if (!(before == after)) out.emplace_back(field);
  };
  compare("name", c.name, f.name);
  compare("family", c.family, f.family);
  compare("legal_form", c.legal_form, f.legal_form);
  compare("activities", c.activities, f.activities);
  compare("description", c.description, f.description);
  compare("address", c.address, f.address);
  compare("postcode", c.postcode, f.postcode);
  compare("commune", c.commune, f.commune);
  compare("department", c.department, f.department);
  compare("region", c.region, f.region);
  // The owner's page sends a pin rounded to 5 decimals: a position that moves by less than
  // that (about a metre) did not change.
  auto moved = [](double before, double after) {
    return std::abs(before - after) > kSameCoordinate;
  };
  if (moved(c.latitude, f.latitude)) out.emplace_back("latitude");
  if (moved(c.longitude, f.longitude)) out.emplace_back("longitude");
  compare("location_precision", c.location_precision, f.location_precision);
  compare("email", c.email, f.email);
  compare("phone", c.phone, f.phone);
  compare("website", c.website, f.website);
  compare("siret", c.siret, f.siret);
  compare("employer", c.employer, f.employer);
  compare("offers", c.offers, f.offers);
  compare("private.contact_name", cp.contact_name, p.contact_name);
  compare("private.contact_email", cp.contact_email, p.contact_email);
  compare("private.contact_phone", cp.contact_phone, p.contact_phone);
  return out;
}

namespace {

struct ContactField {
  std::string_view field;
  const char* label;
};
constexpr ContactField kContactFields[] = {
    {"email", "courriel"},
    {"phone", "téléphone"},
    {"website", "site web"},
    {"private.contact_name", "nom du contact"},
    {"private.contact_email", "courriel du contact"},
    {"private.contact_phone", "téléphone du contact"},
};

}  // namespace

bool IsContactField(std::string_view field) {
  for (const auto& c : kContactFields) {
    if (c.field == field) return true;
  }
  return false;
}

bool PublishedWithoutVote(const std::vector<std::string>& changed,
                          bool contact_edits_without_vote) {
  if (!contact_edits_without_vote || changed.empty()) return false;
  for (const auto& field : changed) {
    if (!IsContactField(field)) return false;
  }
  return true;
}

std::string ChangedFieldLabel(std::string_view field) {
  for (const auto& c : kContactFields) {
    if (c.field == field) return c.label;
  }
  return std::string(field);
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
