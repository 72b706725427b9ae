#include "hub/store/national_view.h"

#include <stdexcept>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/log_store.h"
#include "core/pg_fields.h"
#include "core/search_text.h"

namespace ess::hub {

namespace {

using nlohmann::json;

json OrNull(const std::optional<std::string>& s) { return s ? json(*s) : json(); }

// What a batch leaves of one initiative in the national tables: its latest state and,
// when that is an admitted revision, the row the map shows (otherwise it leaves the map).
struct InitiativeOutcome {
  json state;                // a national_initiative_state row (jsonb_to_recordset below)
  std::optional<json> shown;  // a national_initiative row
};

// Offer titles and activity labels, searchable as on the node (core/search_text.h).
std::string SearchWords(const InitiativeRevision& r, const Referential& referential) {
  std::vector<std::string> titles;
  for (const auto& offer : json::parse(r.offers_json)) {
    if (offer.is_object() && offer.contains("title") && offer["title"].is_string()) {
      titles.push_back(offer["title"].get<std::string>());
    }
  }
  return InitiativeSearchWords(r.activities, titles, r.postcode.value_or(""), r.commune,
                               &referential);
}

json ShownRow(const std::string& id, const LogEntry& entry, const InitiativeRevision& r,
              const Referential& referential) {
  return {{"record_id", id},
          {"record_version", entry.record_version},
          {"log_index", entry.index},
          {"name", r.name},
          {"family", r.family},
          {"legal_form", r.legal_form},
          {"activities", r.activities},
          {"description", r.description},
          {"address", OrNull(r.address)},
          {"postcode", OrNull(r.postcode)},
          {"commune", r.commune},
          {"commune_name", r.commune_name},
          {"department", r.department},
          {"latitude", r.latitude},
          {"longitude", r.longitude},
          {"location_precision", r.location_precision},
          {"email", OrNull(r.email)},
          {"phone", OrNull(r.phone)},
          {"website", OrNull(r.website)},
          {"siret", OrNull(r.siret)},
          {"employer", r.employer ? json(*r.employer) : json()},
          {"offers", json::parse(r.offers_json)},
          {"charter_version", r.charter_version ? json(*r.charter_version) : json()},
          {"charter_adhered_at", OrNull(r.charter_adhered_at)},
          {"created_at", OrNull(r.created_at)},
          {"updated_at", OrNull(r.updated_at)},
          {"confirmed_at", OrNull(r.confirmed_at)},
          {"valid_until", OrNull(r.valid_until)},
          {"hide_after", OrNull(r.hide_after)},
          {"admitted_ms", entry.timestamp_ms},
          {"search_words", SearchWords(r, referential)}};
}

}  // namespace

// A batch's rows travel as one JSON array each, read by jsonb_to_recordset: three
// statements per batch whatever its size.
void PrepareNationalViewStatements(pqxx::connection& c) {
  c.prepare("national_states_upsert",
            "INSERT INTO national_initiative_state (region, record_id, record_version, "
            "log_index, status, first_admitted_at, changed_at) "
            "SELECT $1, s.record_id, s.record_version, s.log_index, s.status, "
            "to_timestamp(s.first_admitted_ms / 1000.0), to_timestamp(s.changed_ms / 1000.0) "
            "FROM jsonb_to_recordset($2::jsonb) AS s(record_id uuid, record_version integer, "
            "log_index bigint, status text, first_admitted_ms bigint, changed_ms bigint) "
            "ON CONFLICT (region, record_id) DO UPDATE SET record_version = EXCLUDED.record_version, "
            "log_index = EXCLUDED.log_index, status = EXCLUDED.status, "
            "changed_at = EXCLUDED.changed_at, first_admitted_at = "
            "COALESCE(national_initiative_state.first_admitted_at, EXCLUDED.first_admitted_at)");
  c.prepare(
      "national_initiatives_upsert",
      "INSERT INTO national_initiative (region, record_id, record_version, log_index, name, "
      "name_key, family, legal_form, activities, description, address, postcode, commune, "
      "commune_name, department, latitude, longitude, email, phone, website, siret, "
      "employer, offers, charter_version, charter_adhered_at, created_at, updated_at, "
      "confirmed_at, valid_until, hide_after, admitted_at, search, location_precision) "
      "SELECT $1, r.record_id, r.record_version, r.log_index, r.name, hub_name_key(r.name), "
      "r.family, r.legal_form, r.activities, r.description, r.address, r.postcode, r.commune, "
      "r.commune_name, r.department, r.latitude, r.longitude, r.email, r.phone, r.website, "
      "r.siret, r.employer, r.offers, r.charter_version, r.charter_adhered_at, r.created_at, "
      "r.updated_at, r.confirmed_at, r.valid_until, r.hide_after, "
      "to_timestamp(r.admitted_ms / 1000.0), "
      "setweight(to_tsvector('ess_french', r.name), 'A') || "
      "setweight(to_tsvector('ess_french', coalesce(r.commune_name, '') || ' ' || "
      "r.search_words), 'B') || "
      "setweight(to_tsvector('ess_french', r.description), 'C'), r.location_precision "
      "FROM jsonb_to_recordset($2::jsonb) AS r(record_id uuid, record_version integer, "
      "log_index bigint, name text, family text, legal_form text, activities text[], "
      "description text, address text, postcode text, commune text, commune_name text, "
      "department text, latitude double precision, longitude double precision, email text, "
      "phone text, website text, siret text, employer boolean, offers jsonb, "
      "charter_version integer, charter_adhered_at timestamptz, created_at timestamptz, "
      "updated_at timestamptz, confirmed_at timestamptz, valid_until timestamptz, "
      "hide_after timestamptz, admitted_ms bigint, search_words text, location_precision text) "
      "ON CONFLICT (region, record_id) DO UPDATE SET "
      "record_version = EXCLUDED.record_version, log_index = EXCLUDED.log_index, "
      "name = EXCLUDED.name, name_key = EXCLUDED.name_key, family = EXCLUDED.family, "
      "legal_form = EXCLUDED.legal_form, activities = EXCLUDED.activities, "
      "description = EXCLUDED.description, address = EXCLUDED.address, "
      "postcode = EXCLUDED.postcode, commune = EXCLUDED.commune, "
      "commune_name = EXCLUDED.commune_name, department = EXCLUDED.department, "
      "latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, "
      "email = EXCLUDED.email, phone = EXCLUDED.phone, website = EXCLUDED.website, "
      "siret = EXCLUDED.siret, employer = EXCLUDED.employer, offers = EXCLUDED.offers, "
      "charter_version = EXCLUDED.charter_version, "
      "charter_adhered_at = EXCLUDED.charter_adhered_at, created_at = EXCLUDED.created_at, "
      "updated_at = EXCLUDED.updated_at, confirmed_at = EXCLUDED.confirmed_at, "
      "valid_until = EXCLUDED.valid_until, hide_after = EXCLUDED.hide_after, "
      "admitted_at = EXCLUDED.admitted_at, search = EXCLUDED.search, "
      "location_precision = EXCLUDED.location_precision");
  c.prepare("national_initiatives_delete",
            "DELETE FROM national_initiative WHERE region = $1 AND record_id = ANY($2::uuid[])");
  c.prepare("hub_batch_rejection_erase",
            "UPDATE hub_batch_rejection SET payload = NULL, salt = NULL "
            "WHERE region = $1 AND record_id = $2::uuid AND payload IS NOT NULL");
}

void NationalView::Apply(const std::string& region, std::span<const LogRecord> records,
                         ParsedInitiatives parsed) {
  // Later entries of an initiative override earlier ones: one outcome per initiative, in
  // order of first appearance, keeps the batch's effect equal to applying entries one by one.
  std::vector<InitiativeOutcome> outcomes;
  std::unordered_map<std::string, std::size_t> outcome_of;
  auto outcome = [&](const std::string& id) -> InitiativeOutcome& {
    auto [it, added] = outcome_of.try_emplace(id, outcomes.size());
    if (added) outcomes.push_back({json{{"record_id", id}, {"first_admitted_ms", nullptr}}, std::nullopt});
    return outcomes[it->second];
  };
  for (const auto& record : records) {
    const LogEntry& entry = record.entry;
    const std::string id = RecordIdToString(entry.record_id);
    if (entry.operation == Operation::kErase) {
      LogStore(txn_, region).ErasePayloads(entry.record_id);
      txn_.exec_prepared("hub_batch_rejection_erase", region, id);
      if (entry.kind != RecordKind::kInitiative) continue;
      InitiativeOutcome& o = outcome(id);
      o.state.update({{"record_version", entry.record_version}, {"log_index", entry.index},
                      {"status", "erased"}, {"changed_ms", entry.timestamp_ms}});
      o.shown.reset();
    } else if (entry.kind == RecordKind::kInitiative && record.payload) {
      InitiativeRevision r;
      if (auto it = parsed.find(entry.index); it != parsed.end()) {
        r = std::move(it->second);
      } else if (Verdict v = rules_.ParseInitiative(*record.payload, region, r); !v.ok()) {
        throw std::logic_error("national view: unchecked initiative payload: " + v.reason);
      }
      InitiativeOutcome& o = outcome(id);
      o.state.update({{"record_version", entry.record_version}, {"log_index", entry.index},
                      {"status", r.status}, {"changed_ms", entry.timestamp_ms}});
      if (r.status == "admitted") {  // as on the node, only an admitted record is on the map
        if (o.state["first_admitted_ms"].is_null()) o.state["first_admitted_ms"] = entry.timestamp_ms;
        o.shown = ShownRow(id, entry, r, rules_.referential());
      } else {
        o.shown.reset();
      }
    }
    // Other kinds (decisions, charters, members, key rotations) live in the log only.
  }
  if (outcomes.empty()) return;
  json states = json::array(), shown = json::array();
  std::vector<std::string> removed;
  for (auto& o : outcomes) {
    if (o.shown) {
      shown.push_back(std::move(*o.shown));
    } else {
      removed.push_back(o.state["record_id"]);
    }
    states.push_back(std::move(o.state));
  }
  txn_.exec_prepared("national_states_upsert", region, states.dump());
  if (!shown.empty()) txn_.exec_prepared("national_initiatives_upsert", region, shown.dump());
  if (!removed.empty()) txn_.exec_prepared("national_initiatives_delete", region, TextArrayLiteral(removed));
}

}  // namespace ess::hub
