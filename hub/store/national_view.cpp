#include "hub/store/national_view.h"

#include <array>
#include <charconv>
#include <optional>
#include <stdexcept>
#include <unordered_map>
#include <vector>

#include "core/log_store.h"
#include "core/pg_fields.h"
#include "core/search_text.h"

namespace ess::hub {

namespace {

// The fields of one row in COPY's text format (nullopt: NULL), escaped by pqxx's stream_to.
using CopyRow = std::vector<std::optional<std::string>>;
constexpr std::size_t kStateColumns = 6;
constexpr std::size_t kShownColumns = 31;

template <std::size_t N>
void WriteRow(pqxx::stream_to& stream, const CopyRow& row) {
  if (row.size() != N) throw std::logic_error("national view: row of the wrong width");
  std::array<const char*, N> fields{};  // stream_to takes tuple-like rows
  for (std::size_t i = 0; i < N; ++i) fields[i] = row[i] ? row[i]->c_str() : nullptr;
  stream << fields;
}

std::string Number(double v) {
  char buffer[32];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, v);  // shortest round trip
  return std::string(buffer, end);
}

std::optional<std::string> Number(std::optional<std::int64_t> v) {
  if (!v) return std::nullopt;
  return std::to_string(*v);
}

// What a batch leaves of one initiative in the national tables: its latest state and,
// when that is an admitted revision, the row the map shows (otherwise it leaves the map).
struct InitiativeOutcome {
  std::string record_id;
  std::int64_t record_version = 0;
  std::uint64_t log_index = 0;
  std::string status;
  std::optional<std::int64_t> first_admitted_ms;
  std::int64_t changed_ms = 0;
  std::optional<CopyRow> shown;  // a row of national_initiative_staging
};

// Offer titles and activity labels, searchable as on the node (core/search_text.h).
std::string SearchWords(const InitiativeRevision& r, const Referential& referential) {
  return InitiativeSearchWords(r.activities, r.offer_titles, r.postcode.value_or(""), r.commune,
                               &referential);
}

// In the order of national_initiative_staging's columns.
CopyRow ShownRow(const std::string& id, const LogEntry& entry, const InitiativeRevision& r,
                 const Referential& referential) {
  return {id,
          std::to_string(entry.record_version),
          std::to_string(entry.index),
          r.name,
          r.family,
          r.legal_form,
          TextArrayLiteral(r.activities),
          r.description,
          r.address,
          r.postcode,
          r.commune,
          r.commune_name,
          r.department,
          Number(r.latitude),
          Number(r.longitude),
          r.location_precision,
          r.email,
          r.phone,
          r.website,
          r.siret,
          r.employer ? std::optional<std::string>(*r.employer ? "t" : "f") : std::nullopt,
          r.offers_json,
          Number(r.charter_version),
          r.charter_adhered_at,
          r.created_at,
          r.updated_at,
          r.confirmed_at,
          r.valid_until,
          r.hide_after,
          std::to_string(entry.timestamp_ms),
          SearchWords(r, referential)};
}

}  // namespace

// A batch's rows are copied (COPY, text format) into two temporary tables of the session,
// emptied at every commit, then moved into the national tables by plain INSERT ... SELECT
// statements (which the national tables' statement triggers see as any other insert): four
// statements per batch whatever its size, and no JSON built or parsed for them.
void PrepareNationalViewStatements(pqxx::connection& c) {
  pqxx::nontransaction(c).exec(
      "CREATE TEMP TABLE IF NOT EXISTS national_state_staging (record_id uuid, "
      "record_version integer, log_index bigint, status text, first_admitted_ms bigint, "
      "changed_ms bigint) ON COMMIT DELETE ROWS; "
      "CREATE TEMP TABLE IF NOT EXISTS national_initiative_staging (record_id uuid, "
      "record_version integer, log_index bigint, name text, family text, legal_form text, "
      "activities text[], description text, address text, postcode text, commune text, "
      "commune_name text, department text, latitude double precision, longitude double "
      "precision, location_precision text, email text, phone text, website text, siret text, "
      "employer boolean, offers jsonb, charter_version integer, charter_adhered_at timestamptz, "
      "created_at timestamptz, updated_at timestamptz, confirmed_at timestamptz, valid_until "
      "timestamptz, hide_after timestamptz, admitted_ms bigint, search_words text) "
      "ON COMMIT DELETE ROWS");
  c.prepare(
      "national_states_upsert",
      "INSERT INTO national_initiative_state (region, record_id, record_version, "
      "log_index, status, first_admitted_at, changed_at) "
      "SELECT $1, s.record_id, s.record_version, s.log_index, s.status, "
      "to_timestamp(s.first_admitted_ms / 1000.0), to_timestamp(s.changed_ms / 1000.0) "
      "FROM national_state_staging AS s "
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
      "FROM national_initiative_staging AS r "
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
    if (added) outcomes.emplace_back().record_id = id;
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
      o.record_version = entry.record_version;
      o.log_index = entry.index;
      o.status = "erased";
      o.changed_ms = entry.timestamp_ms;
      o.shown.reset();
    } else if (entry.kind == RecordKind::kInitiative && record.payload) {
      InitiativeRevision r;
      if (auto it = parsed.find(entry.index); it != parsed.end()) {
        r = std::move(it->second);
      } else if (Verdict v = rules_.ParseInitiative(*record.payload, region, r); !v.ok()) {
        throw std::logic_error("national view: unchecked initiative payload: " + v.reason);
      }
      InitiativeOutcome& o = outcome(id);
      o.record_version = entry.record_version;
      o.log_index = entry.index;
      o.status = r.status;
      o.changed_ms = entry.timestamp_ms;
      if (r.status == "admitted") {  // as on the node, only an admitted record is on the map
        if (!o.first_admitted_ms) o.first_admitted_ms = entry.timestamp_ms;
        o.shown = ShownRow(id, entry, r, rules_.referential());
      } else {
        o.shown.reset();
      }
    }
    // Other kinds (decisions, charters, members, key rotations) live in the log only.
  }
  if (outcomes.empty()) return;
  std::vector<std::string> removed;
  bool any_shown = false;
  {
    pqxx::stream_to states(txn_, "national_state_staging");
    for (const auto& o : outcomes) {
      WriteRow<kStateColumns>(
          states, {o.record_id, std::to_string(o.record_version), std::to_string(o.log_index),
                   o.status, Number(o.first_admitted_ms), std::to_string(o.changed_ms)});
      if (o.shown) {
        any_shown = true;
      } else {
        removed.push_back(o.record_id);
      }
    }
    states.complete();
  }
  if (any_shown) {
    pqxx::stream_to shown(txn_, "national_initiative_staging");
    for (const auto& o : outcomes) {
      if (o.shown) WriteRow<kShownColumns>(shown, *o.shown);
    }
    shown.complete();
  }
  txn_.exec_prepared("national_states_upsert", region);
  if (any_shown) txn_.exec_prepared("national_initiatives_upsert", region);
  if (!removed.empty()) txn_.exec_prepared("national_initiatives_delete", region, TextArrayLiteral(removed));
  // The staging tables empty at commit; a second Apply in the same transaction must not see
  // this one's rows.
  txn_.exec("DELETE FROM national_state_staging; DELETE FROM national_initiative_staging");
}

}  // namespace ess::hub
