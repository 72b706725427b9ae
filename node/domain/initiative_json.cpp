#include "node/domain/initiative_json.h"

namespace ess::node {

using nlohmann::json;

json OffersJson(const std::vector<Offer>& offers) {
  json out = json::array();
  for (const auto& o : offers) {
    json item = {{"title", o.title}};
    if (!o.description.empty()) item["description"] = o.description;
    if (!o.conditions.empty()) item["conditions"] = o.conditions;
    if (!o.lead_time.empty()) item["lead_time"] = o.lead_time;
    if (!o.guarantees.empty()) item["guarantees"] = o.guarantees;
    out.push_back(std::move(item));
  }
  return out;
}

std::vector<Offer> OffersFromJson(const json& offers) {
  std::vector<Offer> out;
  if (!offers.is_array()) return out;
  for (const auto& o : offers) {
    out.push_back({o.value("title", ""), o.value("description", ""), o.value("conditions", ""),
                   o.value("lead_time", ""), o.value("guarantees", "")});
  }
  return out;
}

json InitiativePublicJson(const Initiative& i) {
  const InitiativeFields& f = i.fields;
  json j = {
      {"name", f.name},
      {"family", f.family},
      {"legal_form", f.legal_form},
      {"activities", f.activities},
      {"commune", f.commune},
      {"department", f.department},
      {"region", f.region},
      {"latitude", f.latitude},
      {"longitude", f.longitude},
      {"location_precision", f.location_precision},
      {"offers", OffersJson(f.offers)},
      {"status", std::string(InitiativeStatusName(i.status))},
      {"created_at", FormatRfc3339(i.created_at)},
      {"updated_at", FormatRfc3339(i.updated_at)},
      {"confirmed_at", FormatRfc3339(i.confirmed_at)},
      {"valid_until", FormatRfc3339(i.valid_until)},
      {"hide_after", FormatRfc3339(i.hide_after)},
  };
  if (!f.description.empty()) j["description"] = f.description;
  if (!f.address.empty()) j["address"] = f.address;
  if (!f.postcode.empty()) j["postcode"] = f.postcode;
  if (f.employer) j["employer"] = *f.employer;  // unsaid: absent, never false
  if (f.email) j["email"] = *f.email;
  if (f.phone) j["phone"] = *f.phone;
  if (f.website) j["website"] = *f.website;
  if (f.siret) j["siret"] = *f.siret;
  if (i.charter_version > 0) {
    j["charter_version"] = i.charter_version;
    if (i.charter_adhered_at) j["charter_adhered_at"] = FormatRfc3339(*i.charter_adhered_at);
  }
  return j;
}

std::string InitiativePayload(const Initiative& initiative) {
  return InitiativePublicJson(initiative).dump();
}

json InitiativeFullJson(const Initiative& i) {
  json j = InitiativePublicJson(i);
  json p = json::object();
  if (i.private_fields.contact_name) p["contact_name"] = *i.private_fields.contact_name;
  if (i.private_fields.contact_email) p["contact_email"] = *i.private_fields.contact_email;
  if (i.private_fields.contact_phone) p["contact_phone"] = *i.private_fields.contact_phone;
  j["private"] = std::move(p);
  if (!i.charter_adhered_by.empty()) j["charter_adhered_by"] = i.charter_adhered_by;
  j["under_review"] = i.under_review;
  j["review_round"] = i.review_round;
  if (i.review_reason != ReviewReason::kNone)
    j["review_reason"] = std::string(ReviewReasonName(i.review_reason));
  return j;
}

}  // namespace ess::node
