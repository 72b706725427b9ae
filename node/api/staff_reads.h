#pragma once
// Reads the committee workspace and the admin pages need beside the services: an
// initiative's last admitted revision as journalled (the committee's diff), its reports,
// and the node's replication state with the hub. Plain reads in the caller's transaction;
// nothing here changes state.

#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <string>

namespace ess::node {

// {"version", "log_index", "payload"} of the latest journalled revision of the initiative
// whose status is "admitted"; nullopt if it was never admitted (or its payloads were erased).
// `initiative_id` must be a canonical UUID.
std::optional<nlohmann::json> LastAdmittedRevision(pqxx::transaction_base& txn, const std::string& region,
                                                   const std::string& initiative_id);

// [{"reason", "comment", "created_at", "handled"}], newest first, at most 200.
nlohmann::json InitiativeReports(pqxx::transaction_base& txn, const std::string& initiative_id);

// The journal's size and the hub's copy as the uploader last saw it (node/sql/090_hub_sync.sql):
// {"log_size", "hub": {tree_size, region_status, last_contact_at, last_receipt_size,
// last_error, last_error_at, append_blocked, append_blocked_reason} or null}.
nlohmann::json HubSyncView(pqxx::transaction_base& txn, const std::string& region);

}  // namespace ess::node
