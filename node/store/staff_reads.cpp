#include "node/store/staff_reads.h"

#include "core/pg_fields.h"

namespace ess::node {

namespace {

std::optional<std::int64_t> OptionalInt(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return f.as<std::int64_t>();
}

}  // namespace

std::optional<JournalledRevision> LastAdmittedRevision(pqxx::transaction_base& txn,
                                                       const std::string& region,
                                                       const std::string& initiative_id) {
  auto rows = txn.exec_params(
      "SELECT record_version, log_index, payload FROM log_entry "
      "WHERE region = $1 AND record_id = $2::uuid AND kind = 'initiative' AND operation = 'put' "
      "AND payload IS NOT NULL ORDER BY log_index DESC",
      region, initiative_id);
  for (const auto& row : rows) {
    pqxx::binarystring bytes(row[2]);
    auto payload = nlohmann::json::parse(bytes.str(), nullptr, /*allow_exceptions=*/false);
    if (payload.is_object() && payload.value("status", "") == "admitted") {
      return JournalledRevision{row[0].as<std::int64_t>(), row[1].as<std::int64_t>(),
                                std::move(payload)};
    }
  }
  return std::nullopt;
}

std::vector<InitiativeReport> InitiativeReports(pqxx::transaction_base& txn,
                                                const std::string& initiative_id) {
  auto rows = txn.exec_params(
      "SELECT reason, comment, " + SqlRfc3339("created_at") +
          ", handled FROM report WHERE initiative_id = $1::uuid ORDER BY report_id DESC LIMIT 200",
      initiative_id);
  std::vector<InitiativeReport> out;
  for (const auto& row : rows) {
    out.push_back({row[0].c_str(), row[1].c_str(), row[2].c_str(), row[3].as<bool>()});
  }
  return out;
}

JournalReplicationState ReadJournalReplicationState(pqxx::transaction_base& txn,
                                                    const std::string& region) {
  JournalReplicationState out;
  auto head = txn.exec_params("SELECT tree_size FROM log_head WHERE region = $1", region);
  if (!head.empty()) out.log_size = head[0][0].as<std::int64_t>();
  auto rows = txn.exec_params(
      "SELECT hub_tree_size, hub_region_status, " + SqlRfc3339("last_contact_at") +
          ", last_receipt_size, last_error, " + SqlRfc3339("last_error_at") +
          ", append_blocked, append_blocked_reason FROM hub_replication_state WHERE region = $1",
      region);
  if (rows.empty()) return out;
  const auto& r = rows[0];
  out.hub = HubReplicationState{OptionalInt(r[0]), OptionalText(r[1]), OptionalText(r[2]),
                                OptionalInt(r[3]), OptionalText(r[4]), OptionalText(r[5]),
                                r[6].as<bool>(),   OptionalText(r[7])};
  return out;
}

}  // namespace ess::node
