#include "node/store/initiative_store.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

#include "node/domain/initiative_json.h"
#include "node/store/pg_values.h"

namespace ess::node {

namespace {

// A boolean column's parameter: "true", "false", or NULL when unset.
std::optional<std::string> BoolText(std::optional<bool> value) {
  if (!value) return std::nullopt;
  return *value ? "true" : "false";
}

}  // namespace

const char* const kInitiativeColumns =
    "initiative_id::text, name, family, legal_form, array_to_json(activities)::text, description, "
    "address, postcode, commune, commune_name, department, region, latitude, longitude, email, "
    "phone, website, siret, employer, offers::text, contact_name, contact_email, contact_phone, "
    "charter_adhered_by, charter_version, extract(epoch from charter_adhered_at)::bigint, status, "
    "extract(epoch from created_at)::bigint, extract(epoch from updated_at)::bigint, "
    "extract(epoch from confirmed_at)::bigint, extract(epoch from valid_until)::bigint, "
    "extract(epoch from hide_after)::bigint, review_round, under_review, review_reason, "
    "record_version, location_precision";

Initiative InitiativeFromRow(const pqxx::row& r) {
  Initiative i;
  int c = 0;
  i.id = r[c++].as<std::string>();
  auto& f = i.fields;
  f.name = r[c++].as<std::string>();
  f.family = r[c++].as<std::string>();
  f.legal_form = r[c++].as<std::string>();
  f.activities = nlohmann::json::parse(r[c++].as<std::string>()).get<std::vector<std::string>>();
  f.description = r[c++].as<std::string>();
  f.address = r[c++].as<std::string>();
  f.postcode = r[c++].as<std::string>();
  f.commune = r[c++].as<std::string>();
  i.commune_name = r[c++].as<std::string>();
  f.department = r[c++].as<std::string>();
  f.region = r[c++].as<std::string>();
  f.latitude = r[c++].as<double>();
  f.longitude = r[c++].as<double>();
  f.email = OptionalText(r[c++]);
  f.phone = OptionalText(r[c++]);
  f.website = OptionalText(r[c++]);
  f.siret = OptionalText(r[c++]);
  if (!r[c].is_null()) f.employer = r[c].as<bool>();
  ++c;
  f.offers = OffersFromJson(nlohmann::json::parse(r[c++].as<std::string>()));
  i.private_fields.contact_name = OptionalText(r[c++]);
  i.private_fields.contact_email = OptionalText(r[c++]);
  i.private_fields.contact_phone = OptionalText(r[c++]);
  i.charter_adhered_by = OptionalText(r[c++]).value_or("");
  i.charter_version = r[c++].as<int>();
  i.charter_adhered_at = OptionalSeconds(r[c++]);
  i.status = InitiativeStatusFromName(r[c++].as<std::string>()).value_or(InitiativeStatus::kPending);
  i.created_at = r[c++].as<UnixSeconds>();
  i.updated_at = r[c++].as<UnixSeconds>();
  i.confirmed_at = r[c++].as<UnixSeconds>();
  i.valid_until = r[c++].as<UnixSeconds>();
  i.hide_after = r[c++].as<UnixSeconds>();
  i.review_round = r[c++].as<int>();
  i.under_review = r[c++].as<bool>();
  const std::string reason = r[c++].as<std::string>();
  auto review_reason = ReviewReasonFromName(reason);
  if (!review_reason) {
    throw std::runtime_error("initiative " + i.id + " : motif d'examen inconnu « " + reason + " »");
  }
  i.review_reason = *review_reason;
  i.record_version = r[c++].as<std::uint32_t>();
  f.location_precision = r[c++].as<std::string>();
  return i;
}

void PrepareInitiativeStatements(pqxx::connection& c) {
  PrepareStatement(c, "initiative_select", std::string("SELECT ") + kInitiativeColumns +
                                     " FROM initiative WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "initiative_select_lock", std::string("SELECT ") + kInitiativeColumns +
                                          " FROM initiative WHERE initiative_id = $1::uuid FOR UPDATE");
  PrepareStatement(
      c, "initiative_upsert",
      "INSERT INTO initiative (initiative_id, name, family, legal_form, activities, description, "
      "address, postcode, commune, commune_name, department, region, latitude, longitude, email, "
      "phone, website, siret, employer, offers, contact_name, contact_email, contact_phone, "
      "charter_adhered_by, charter_version, charter_adhered_at, status, created_at, updated_at, "
      "confirmed_at, valid_until, hide_after, review_round, under_review, review_reason, "
      "record_version, search, location_precision) VALUES ($1::uuid, $2, $3, $4, $5::text[], $6, "
      "$7, $8, $9, $10, $11, "
      "$12, $13, $14, $15, $16, $17, $18, $19, $20::jsonb, $21, $22, $23, $24, $25, "
      "to_timestamp($26::bigint), $27, to_timestamp($28), to_timestamp($29), to_timestamp($30), "
      "to_timestamp($31), to_timestamp($32), $33, $34, $35, $36, "
      "setweight(to_tsvector('ess_french', $2), 'A') || "
      "setweight(to_tsvector('ess_french', $10 || ' ' || $37), 'B') || "
      "setweight(to_tsvector('ess_french', $6), 'C'), $38) "
      "ON CONFLICT (initiative_id) DO UPDATE SET name = EXCLUDED.name, family = EXCLUDED.family, "
      "legal_form = EXCLUDED.legal_form, activities = EXCLUDED.activities, "
      "description = EXCLUDED.description, address = EXCLUDED.address, "
      "postcode = EXCLUDED.postcode, commune = EXCLUDED.commune, "
      "commune_name = EXCLUDED.commune_name, department = EXCLUDED.department, "
      "region = EXCLUDED.region, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude, "
      "email = EXCLUDED.email, phone = EXCLUDED.phone, website = EXCLUDED.website, "
      "siret = EXCLUDED.siret, employer = EXCLUDED.employer, offers = EXCLUDED.offers, "
      "contact_name = EXCLUDED.contact_name, contact_email = EXCLUDED.contact_email, "
      "contact_phone = EXCLUDED.contact_phone, charter_adhered_by = EXCLUDED.charter_adhered_by, "
      "charter_version = EXCLUDED.charter_version, "
      "charter_adhered_at = EXCLUDED.charter_adhered_at, status = EXCLUDED.status, "
      "updated_at = EXCLUDED.updated_at, confirmed_at = EXCLUDED.confirmed_at, "
      "valid_until = EXCLUDED.valid_until, hide_after = EXCLUDED.hide_after, "
      "review_round = EXCLUDED.review_round, under_review = EXCLUDED.under_review, "
      "review_reason = EXCLUDED.review_reason, record_version = EXCLUDED.record_version, "
      "search = EXCLUDED.search, location_precision = EXCLUDED.location_precision");
  PrepareStatement(c, "initiative_event_insert",
            "INSERT INTO initiative_event (initiative_id, at, action, actor, detail) "
            "VALUES ($1::uuid, to_timestamp($2), $3, $4, $5)");
  PrepareStatement(c, "initiative_events",
            "SELECT extract(epoch from at)::bigint, action, actor, detail FROM initiative_event "
            "WHERE initiative_id = $1::uuid ORDER BY event_id");
  PrepareStatement(c, "edit_proposal_select",
            "SELECT fields::text, private_fields::text, commune_name, state, "
            "extract(epoch from proposed_at)::bigint, proposed_by FROM edit_proposal "
            "WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "edit_proposal_upsert",
            "INSERT INTO edit_proposal (initiative_id, fields, private_fields, commune_name, state, "
            "proposed_at, proposed_by) VALUES ($1::uuid, $2::jsonb, $3::jsonb, $4, $5, to_timestamp($6), $7) "
            "ON CONFLICT (initiative_id) DO UPDATE SET fields = EXCLUDED.fields, "
            "private_fields = EXCLUDED.private_fields, commune_name = EXCLUDED.commune_name, "
            "state = EXCLUDED.state, proposed_at = EXCLUDED.proposed_at, proposed_by = EXCLUDED.proposed_by");
  PrepareStatement(c, "edit_proposal_state",
            "UPDATE edit_proposal SET state = $2 WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "edit_proposal_delete", "DELETE FROM edit_proposal WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "erased_initiative_exists",
            "SELECT 1 FROM erased_initiative WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "erased_initiative_insert",
            "INSERT INTO erased_initiative (initiative_id, erased_at, reason) "
            "VALUES ($1::uuid, to_timestamp($2), $3)");
  PrepareStatement(c, "initiative_delete", "DELETE FROM initiative WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "edit_link_insert",
            "INSERT INTO edit_link (token_hash, initiative_id, created_at, expires_at) "
            "VALUES ($1, $2::uuid, to_timestamp($3), to_timestamp($4))");
  PrepareStatement(c, "edit_link_find",
            "SELECT initiative_id::text, extract(epoch from expires_at)::bigint, revoked_at IS NOT NULL "
            "FROM edit_link WHERE token_hash = $1");
  PrepareStatement(c, "edit_link_revoke",
            "UPDATE edit_link SET revoked_at = to_timestamp($2) WHERE token_hash = $1 AND revoked_at IS NULL");
  PrepareStatement(c, "edit_links_revoke_all",
            "UPDATE edit_link SET revoked_at = to_timestamp($2) "
            "WHERE initiative_id = $1::uuid AND revoked_at IS NULL");
  PrepareStatement(c, "report_insert",
                   "INSERT INTO report (initiative_id, reason, comment, created_at, visitor_mark) "
                   "VALUES ($1::uuid, $2, $3, to_timestamp($4), $5) "
                   "ON CONFLICT (initiative_id, visitor_mark) DO NOTHING");
  PrepareStatement(c, "report_open_count",
            "SELECT count(*) FROM report WHERE initiative_id = $1::uuid AND NOT handled");
  PrepareStatement(c, "report_mark_handled",
            "UPDATE report SET handled = true WHERE initiative_id = $1::uuid AND NOT handled");
  PrepareStatement(c, "endorsement_insert",
                   "INSERT INTO endorsement (initiative_id, comment, created_at, visitor_mark) "
                   "VALUES ($1::uuid, $2, to_timestamp($3), $4) "
                   "ON CONFLICT (initiative_id, visitor_mark) DO NOTHING");
  PrepareStatement(c, "endorsement_count", "SELECT count(*) FROM endorsement WHERE initiative_id = $1::uuid");
  PrepareStatement(
      c, "outbox_insert",
      "INSERT INTO outbox (initiative_id, recipient, subject, body, created_at, sealed_link, kind) "
      "VALUES ($1::uuid, $2, $3, $4, to_timestamp($5), $6, $7)");
  PrepareStatement(c, "outbox_list",
                   "SELECT message_id, initiative_id::text, recipient, subject, body, "
                   "extract(epoch from created_at)::bigint, sealed_link FROM outbox "
                   "ORDER BY message_id DESC LIMIT $1");
  PrepareStatement(
      c, "node_secret_insert",
      "INSERT INTO node_secret (name, secret) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING");
  PrepareStatement(c, "node_secret_select", "SELECT secret FROM node_secret WHERE name = $1");
  PrepareStatement(c, "initiative_reminder_sent",
            "UPDATE initiative SET reminder_sent_for = to_timestamp($2) WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "initiative_reminder_sent_for",
                   "SELECT extract(epoch from reminder_sent_for)::bigint FROM initiative "
                   "WHERE initiative_id = $1::uuid");
  PrepareStatement(c, "initiative_reminder_candidates",
            "SELECT initiative_id::text FROM initiative "
            "WHERE status IN ('pending', 'changes_requested', 'admitted', 'suspended') "
            "AND contact_email IS NOT NULL AND valid_until <= to_timestamp($1) "
            "AND (reminder_sent_for IS NULL OR reminder_sent_for <> valid_until) "
            "ORDER BY valid_until LIMIT $2");
  PrepareStatement(c, "initiative_on_older_charter",
            "SELECT initiative_id::text FROM initiative "
            "WHERE status IN ('pending', 'changes_requested', 'admitted', 'suspended') "
            "AND charter_version < $1 ORDER BY created_at");
}

std::optional<Initiative> InitiativeStore::Load(const std::string& id, bool lock) {
  auto r = txn_.exec_prepared(lock ? "initiative_select_lock" : "initiative_select", id);
  if (r.empty()) return std::nullopt;
  return InitiativeFromRow(r[0]);
}

void InitiativeStore::Save(const Initiative& i, const std::string& search_text) {
  const auto& f = i.fields;
  std::optional<std::string> adhered_at, adhered_by;
  if (i.charter_adhered_at) adhered_at = std::to_string(*i.charter_adhered_at);
  if (!i.charter_adhered_by.empty()) adhered_by = i.charter_adhered_by;
  txn_.exec_prepared("initiative_upsert", i.id, f.name, f.family, f.legal_form,
                     TextArrayLiteral(f.activities), f.description, f.address, f.postcode,
                     f.commune, i.commune_name, f.department, f.region, f.latitude, f.longitude,
                     OrNull(f.email), OrNull(f.phone), OrNull(f.website), OrNull(f.siret),
                     OrNull(BoolText(f.employer)), OffersJson(f.offers).dump(),
                     OrNull(i.private_fields.contact_name), OrNull(i.private_fields.contact_email),
                     OrNull(i.private_fields.contact_phone), OrNull(adhered_by), i.charter_version,
                     OrNull(adhered_at), std::string(InitiativeStatusName(i.status)), i.created_at,
                     i.updated_at, i.confirmed_at, i.valid_until, i.hide_after, i.review_round,
                     i.under_review, std::string(ReviewReasonName(i.review_reason)),
                     i.record_version, search_text, f.location_precision);
}

void InitiativeStore::AddEvent(const std::string& id, const InitiativeEvent& e) {
  txn_.exec_prepared("initiative_event_insert", id, e.at, e.action, e.actor, e.detail);
}

std::vector<InitiativeEvent> InitiativeStore::Events(const std::string& id) {
  std::vector<InitiativeEvent> out;
  for (const auto& r : txn_.exec_prepared("initiative_events", id)) {
    out.push_back({r[0].as<UnixSeconds>(), r[1].as<std::string>(), r[2].as<std::string>(),
                   r[3].as<std::string>()});
  }
  return out;
}

std::optional<EditProposal> InitiativeStore::LoadProposal(const std::string& id) {
  auto r = txn_.exec_prepared("edit_proposal_select", id);
  if (r.empty()) return std::nullopt;
  EditProposal p;
  p.initiative_id = id;
  p.fields = FieldsFromJson(nlohmann::json::parse(r[0][0].as<std::string>()));
  p.private_fields = PrivateFieldsFromJson(nlohmann::json::parse(r[0][1].as<std::string>()));
  p.commune_name = r[0][2].as<std::string>();
  p.state = ProposalStateFromName(r[0][3].as<std::string>()).value_or(ProposalState::kUnderReview);
  p.proposed_at = r[0][4].as<UnixSeconds>();
  p.proposed_by = r[0][5].as<std::string>();
  return p;
}

void InitiativeStore::SaveProposal(const EditProposal& p) {
  txn_.exec_prepared("edit_proposal_upsert", p.initiative_id, FieldsJson(p.fields).dump(),
                     PrivateFieldsJson(p.private_fields).dump(), p.commune_name,
                     std::string(ProposalStateName(p.state)), p.proposed_at, p.proposed_by);
}

void InitiativeStore::SetProposalState(const std::string& id, ProposalState state) {
  txn_.exec_prepared("edit_proposal_state", id, std::string(ProposalStateName(state)));
}

bool InitiativeStore::DeleteProposal(const std::string& id) {
  return txn_.exec_prepared("edit_proposal_delete", id).affected_rows() > 0;
}

bool InitiativeStore::IsErased(const std::string& id) {
  return !txn_.exec_prepared("erased_initiative_exists", id).empty();
}

void InitiativeStore::DeleteForErasure(const std::string& id, UnixSeconds at,
                                       const std::string& reason) {
  txn_.exec_prepared("initiative_delete", id);
  txn_.exec_prepared("erased_initiative_insert", id, at, reason);
}

void InitiativeStore::InsertEditLink(const Hash& token_hash, const std::string& id,
                                     UnixSeconds created_at, UnixSeconds expires_at) {
  txn_.exec_prepared("edit_link_insert", Bin(token_hash), id, created_at, expires_at);
}

std::optional<EditLinkLookup> InitiativeStore::FindEditLink(const Hash& token_hash) {
  auto r = txn_.exec_prepared("edit_link_find", Bin(token_hash));
  if (r.empty()) return std::nullopt;
  return EditLinkLookup{r[0][0].as<std::string>(), r[0][1].as<UnixSeconds>(), r[0][2].as<bool>()};
}

void InitiativeStore::RevokeEditLink(const Hash& token_hash, UnixSeconds at) {
  txn_.exec_prepared("edit_link_revoke", Bin(token_hash), at);
}

std::size_t InitiativeStore::RevokeEditLinks(const std::string& id, UnixSeconds at) {
  return txn_.exec_prepared("edit_links_revoke_all", id, at).affected_rows();
}

bool InitiativeStore::InsertReport(const std::string& id, const std::string& reason,
                                   const std::string& comment, UnixSeconds at,
                                   const Hash& visitor_mark) {
  return txn_.exec_prepared("report_insert", id, reason, comment, at, Bin(visitor_mark))
             .affected_rows() > 0;
}

int InitiativeStore::OpenReportCount(const std::string& id) {
  return txn_.exec_prepared("report_open_count", id)[0][0].as<int>();
}

void InitiativeStore::MarkReportsHandled(const std::string& id) {
  txn_.exec_prepared("report_mark_handled", id);
}

bool InitiativeStore::InsertEndorsement(const std::string& id, const std::string& comment,
                                        UnixSeconds at, const Hash& visitor_mark) {
  return txn_.exec_prepared("endorsement_insert", id, comment, at, Bin(visitor_mark))
             .affected_rows() > 0;
}

Hash InitiativeStore::NodeSecret(const std::string& name) {
  Hash fresh;
  RandomBytes(fresh);
  txn_.exec_prepared("node_secret_insert", name, Bin(fresh));
  pqxx::binarystring stored(txn_.exec_prepared("node_secret_select", name).at(0)[0]);
  if (stored.size() != fresh.size())
    throw std::runtime_error("node_secret " + name + " : taille invalide");
  Hash secret;
  std::copy(stored.begin(), stored.end(), secret.begin());
  return secret;
}

int InitiativeStore::EndorsementCount(const std::string& id) {
  return txn_.exec_prepared("endorsement_count", id)[0][0].as<int>();
}

void InitiativeStore::QueueMessage(const OutboxMessage& m) {
  if (m.sealed_link) {
    txn_.exec_prepared("outbox_insert", OrNull(m.initiative_id), m.recipient, m.subject, m.body,
                       m.created_at,
                       pqxx::binarystring(m.sealed_link->data(), m.sealed_link->size()), m.kind);
  } else {
    txn_.exec_prepared("outbox_insert", OrNull(m.initiative_id), m.recipient, m.subject, m.body,
                       m.created_at, static_cast<const char*>(nullptr), m.kind);
  }
}

std::vector<OutboxMessage> InitiativeStore::Outbox(std::size_t limit) {
  std::vector<OutboxMessage> out;
  for (const auto& r : txn_.exec_prepared("outbox_list", limit)) {
    OutboxMessage m{r[0].as<std::int64_t>(),
                    OptionalText(r[1]),
                    r[2].as<std::string>(),
                    r[3].as<std::string>(),
                    r[4].as<std::string>(),
                    r[5].as<UnixSeconds>(),
                    std::nullopt};
    if (!r[6].is_null()) {
      pqxx::binarystring sealed(r[6]);
      m.sealed_link = Bytes(sealed.begin(), sealed.end());
    }
    out.push_back(std::move(m));
  }
  return out;
}

void InitiativeStore::SetReminderSentFor(const std::string& id, UnixSeconds valid_until) {
  txn_.exec_prepared("initiative_reminder_sent", id, valid_until);
}

std::optional<UnixSeconds> InitiativeStore::ReminderSentFor(const std::string& id) {
  auto r = txn_.exec_prepared("initiative_reminder_sent_for", id);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<UnixSeconds>();
}

std::vector<std::string> InitiativeStore::ReminderCandidates(UnixSeconds threshold,
                                                             std::size_t limit) {
  std::vector<std::string> out;
  for (const auto& r : txn_.exec_prepared("initiative_reminder_candidates", threshold, limit)) {
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

std::vector<std::string> InitiativeStore::OnOlderCharter(int version) {
  std::vector<std::string> out;
  for (const auto& r : txn_.exec_prepared("initiative_on_older_charter", version)) {
    out.push_back(r[0].as<std::string>());
  }
  return out;
}

}  // namespace ess::node
