#include "node/api/staff_reads.h"

#include "core/pg_fields.h"

namespace ess::node {

namespace {

using nlohmann::json;

json TextOrNull(const pqxx::field& f) {
  auto text = OptionalText(f);
  return text ? json(*text) : json(nullptr);
}

}  // namespace

// These few reads run unprepared (exec_params): they serve staff pages only, and keeping
// them here leaves the stores' prepared statements untouched.
std::optional<json> LastAdmittedRevision(pqxx::transaction_base& txn, const std::string& region,
                                         const std::string& initiative_id) {
  auto rows = txn.exec_params(
      "SELECT record_version, log_index, payload FROM log_entry "
      "WHERE region = $1 AND record_id = $2::uuid AND kind = 'initiative' AND operation = 'put' "
      "AND payload IS NOT NULL ORDER BY log_index DESC",
      region, initiative_id);
  for (const auto& row : rows) {
    pqxx::binarystring bytes(row[2]);
    json payload = json::parse(bytes.str(), nullptr, /*allow_exceptions=*/false);
    if (payload.is_object() && payload.value("status", "") == "admitted") {
      return json{{"version", row[0].as<long long>()}, {"log_index", row[1].as<long long>()}, {"payload", payload}};
    }
  }
  return std::nullopt;
}

json InitiativeReports(pqxx::transaction_base& txn, const std::string& initiative_id) {
  auto rows =
      txn.exec_params("SELECT reason, comment, " + SqlRfc3339("created_at") +
                          ", handled FROM report WHERE initiative_id = $1::uuid ORDER BY report_id DESC LIMIT 200",
                      initiative_id);
  json out = json::array();
  for (const auto& row : rows) {
    out.push_back({{"reason", row[0].c_str()},
                   {"comment", row[1].c_str()},
                   {"created_at", row[2].c_str()},
                   {"handled", row[3].as<bool>()}});
  }
  return out;
}

json HubSyncView(pqxx::transaction_base& txn, const std::string& region) {
  auto head = txn.exec_params("SELECT tree_size FROM log_head WHERE region = $1", region);
  json out = {{"log_size", head.empty() ? 0 : head[0][0].as<long long>()}, {"hub", nullptr}};
  auto rows = txn.exec_params("SELECT hub_tree_size, hub_region_status, " + SqlRfc3339("last_contact_at") +
                                  ", last_receipt_size, last_error, " + SqlRfc3339("last_error_at") +
                                  ", append_blocked, append_blocked_reason FROM hub_sync_state WHERE region = $1",
                              region);
  if (rows.empty()) return out;
  const auto& r = rows[0];
  out["hub"] = {{"tree_size", r[0].is_null() ? json(nullptr) : json(r[0].as<long long>())},
                {"region_status", TextOrNull(r[1])},
                {"last_contact_at", TextOrNull(r[2])},
                {"last_receipt_size", r[3].is_null() ? json(nullptr) : json(r[3].as<long long>())},
                {"last_error", TextOrNull(r[4])},
                {"last_error_at", TextOrNull(r[5])},
                {"append_blocked", r[6].as<bool>()},
                {"append_blocked_reason", TextOrNull(r[7])}};
  return out;
}

}  // namespace ess::node
