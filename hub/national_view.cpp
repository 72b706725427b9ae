#include "hub/national_view.h"

#include <stdexcept>

#include "core/log_store.h"

namespace ess::hub {

namespace {

const char* OrNull(const std::optional<std::string>& s) { return s ? s->c_str() : nullptr; }

std::optional<std::string> ToText(const std::optional<std::int64_t>& v) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

std::optional<std::string> ToText(const std::optional<bool>& v) {
  if (!v) return std::nullopt;
  return *v ? "true" : "false";
}

}  // namespace

std::string TextArrayLiteral(std::span<const std::string> values) {
  std::string out = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : values[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

void PrepareNationalViewStatements(pqxx::connection& c) {
  c.prepare("national_state_upsert",
            "INSERT INTO national_initiative_state (region, record_id, record_version, "
            "log_index, status, first_admitted_at, changed_at) "
            "VALUES ($1, $2::uuid, $3, $4, $5, "
            "CASE WHEN $5 = 'admitted' THEN to_timestamp($6::bigint / 1000.0) END, "
            "to_timestamp($6::bigint / 1000.0)) "
            "ON CONFLICT (region, record_id) DO UPDATE SET record_version = EXCLUDED.record_version, "
            "log_index = EXCLUDED.log_index, status = EXCLUDED.status, "
            "changed_at = EXCLUDED.changed_at, first_admitted_at = "
            "COALESCE(national_initiative_state.first_admitted_at, EXCLUDED.first_admitted_at)");
  c.prepare("national_initiative_upsert",
            "INSERT INTO national_initiative (region, record_id, record_version, log_index, name, "
            "name_key, family, legal_form, activities, description, address, postcode, commune, "
            "commune_name, department, latitude, longitude, email, phone, website, siret, "
            "employer, offers, charter_version, charter_adhered_at, created_at, updated_at, "
            "confirmed_at, valid_until, hide_after, admitted_at, search_vector) "
            "VALUES ($1, $2::uuid, $3, $4, $5, hub_name_key($5), $6, $7, $8::text[], $9, $10, "
            "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21::boolean, $22::jsonb, "
            "$23::integer, $24::timestamptz, $25::timestamptz, $26::timestamptz, "
            "$27::timestamptz, $28::timestamptz, $29::timestamptz, "
            "to_timestamp($30::bigint / 1000.0), "
            "setweight(to_tsvector('french_unaccent', $5), 'A') || "
            "setweight(to_tsvector('french_unaccent', coalesce($13, '') || ' ' || "
            "replace(array_to_string($8::text[], ' '), '_', ' ')), 'B') || "
            "setweight(to_tsvector('french_unaccent', $9), 'C')) "
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
            "admitted_at = EXCLUDED.admitted_at, search_vector = EXCLUDED.search_vector");
  c.prepare("national_initiative_delete",
            "DELETE FROM national_initiative WHERE region = $1 AND record_id = $2::uuid");
  c.prepare("national_state_erase",
            "INSERT INTO national_initiative_state (region, record_id, record_version, "
            "log_index, status, changed_at) "
            "VALUES ($1, $2::uuid, $3, $4, 'erased', to_timestamp($5::bigint / 1000.0)) "
            "ON CONFLICT (region, record_id) DO UPDATE SET record_version = EXCLUDED.record_version, "
            "log_index = EXCLUDED.log_index, status = 'erased', changed_at = EXCLUDED.changed_at");
  c.prepare("hub_sync_rejection_erase",
            "UPDATE hub_sync_rejection SET payload = NULL, salt = NULL "
            "WHERE region = $1 AND record_id = $2::uuid AND payload IS NOT NULL");
}

void NationalView::Apply(const std::string& region, std::span<const LogRecord> records) {
  for (const auto& record : records) {
    if (record.entry.operation == Operation::kErase) {
      ApplyErase(region, record);
    } else if (record.entry.kind == RecordKind::kInitiative && record.payload) {
      ApplyInitiativePut(region, record);
    }
    // Other kinds (decisions, charters, members, key rotations) live in the log only.
  }
}

void NationalView::ApplyInitiativePut(const std::string& region, const LogRecord& record) {
  InitiativeRevision r;
  if (Verdict v = rules_.ParseInitiative(*record.payload, region, r); !v.ok()) {
    throw std::logic_error("national view: unchecked initiative payload: " + v.reason);
  }
  const std::string id = RecordIdToString(record.entry.record_id);
  txn_.exec_prepared("national_state_upsert", region, id, record.entry.record_version,
                     record.entry.index, r.status, record.entry.timestamp_ms);
  if (r.status == "admitted") {
    auto charter_version = ToText(r.charter_version);
    auto employer = ToText(r.employer);
    txn_.exec_prepared(
        "national_initiative_upsert", region, id, record.entry.record_version,
        record.entry.index, r.name, r.family, r.legal_form, TextArrayLiteral(r.activities),
        r.description, OrNull(r.address), OrNull(r.postcode), r.commune, r.commune_name,
        r.department, r.latitude, r.longitude, OrNull(r.email), OrNull(r.phone), OrNull(r.website),
        OrNull(r.siret), OrNull(employer), r.offers_json, OrNull(charter_version),
        OrNull(r.charter_adhered_at), OrNull(r.created_at), OrNull(r.updated_at),
        OrNull(r.confirmed_at), OrNull(r.valid_until), OrNull(r.hide_after),
        record.entry.timestamp_ms);
  } else {  // as on the node, only an admitted record is on the map
    txn_.exec_prepared("national_initiative_delete", region, id);
  }
}

void NationalView::ApplyErase(const std::string& region, const LogRecord& record) {
  const std::string id = RecordIdToString(record.entry.record_id);
  LogStore(txn_, region).ErasePayloads(record.entry.record_id);
  txn_.exec_prepared("hub_sync_rejection_erase", region, id);
  if (record.entry.kind == RecordKind::kInitiative) {
    txn_.exec_prepared("national_initiative_delete", region, id);
    txn_.exec_prepared("national_state_erase", region, id, record.entry.record_version,
                       record.entry.index, record.entry.timestamp_ms);
  }
}

}  // namespace ess::hub
