#include "hub/domain/payload_rules.h"

namespace ess::hub {

namespace {

using nlohmann::json;

std::optional<std::string> OptionalText(const json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace

ParsedPayload PayloadRules::Parse(const LogEntry& entry, ByteView payload) const {
  return checker_.Check(entry.operation, entry.kind, entry.region, AsString(payload));
}

Verdict PayloadRules::Check(const LogEntry& entry, ByteView payload,
                            ParsedInitiatives* parsed) const {
  ParsedPayload checked = Parse(entry, payload);
  if (parsed && checked.verdict.ok() && entry.operation == Operation::kPut &&
      entry.kind == RecordKind::kInitiative) {
    parsed->insert_or_assign(entry.index, RevisionOf(checked.json));
  }
  return checked.verdict;
}

Verdict PayloadRules::ParseInitiative(ByteView payload, std::string_view log_region,
                                      InitiativeRevision& out) const {
  ParsedPayload parsed =
      checker_.Check(Operation::kPut, RecordKind::kInitiative, log_region, AsString(payload));
  if (parsed.verdict.ok()) out = RevisionOf(parsed.json);
  return parsed.verdict;
}

InitiativeRevision PayloadRules::RevisionOf(const json& j) const {
  // Only called on a payload the checker accepted: types and codes are as the schema says.
  InitiativeRevision r;
  r.name = j["name"];
  r.family = j["family"];
  r.legal_form = j["legal_form"];
  r.activities = j["activities"].get<std::vector<std::string>>();
  r.description = OptionalText(j, "description").value_or("");
  r.address = OptionalText(j, "address");
  r.postcode = OptionalText(j, "postcode");
  r.commune = j["commune"];
  r.commune_name = referential_.FindCommune(r.commune)->name;
  r.department = j["department"];
  r.region = j["region"];
  r.latitude = j["latitude"];
  r.longitude = j["longitude"];
  r.location_precision = OptionalText(j, "location_precision").value_or("placed");
  r.email = OptionalText(j, "email");
  r.phone = OptionalText(j, "phone");
  r.website = OptionalText(j, "website");
  r.siret = OptionalText(j, "siret");
  if (auto it = j.find("employer"); it != j.end()) r.employer = it->get<bool>();
  if (auto it = j.find("offers"); it != j.end()) {
    r.offers_json = it->dump();
    for (const auto& offer : *it) {
      if (auto title = offer.find("title");
          offer.is_object() && title != offer.end() && title->is_string()) {
        r.offer_titles.push_back(title->get<std::string>());
      }
    }
  }
  if (auto it = j.find("charter_version"); it != j.end()) {
    r.charter_version = static_cast<std::int64_t>(it->get<double>());
  }
  r.charter_adhered_at = OptionalText(j, "charter_adhered_at");
  r.created_at = OptionalText(j, "created_at");
  r.updated_at = OptionalText(j, "updated_at");
  r.confirmed_at = OptionalText(j, "confirmed_at");
  r.valid_until = OptionalText(j, "valid_until");
  r.hide_after = OptionalText(j, "hide_after");
  r.status = j["status"];
  return r;
}

}  // namespace ess::hub
