#pragma once
// Reads the committee workspace and the admin pages need beside the other stores: an
// initiative's last admitted revision as journalled (the committee's diff), its reports, and
// the node's replication state with the hub. Plain reads in the caller's transaction, run
// unprepared (exec_params): they serve staff pages only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

namespace ess::node {

// A journalled initiative revision: its record version, its index in the log and its
// payload (the public JSON document as journalled).
struct JournalledRevision {
  std::int64_t record_version = 0;
  std::int64_t log_index = 0;
  nlohmann::json payload;
};

struct InitiativeReport {
  std::string reason, comment;
  std::string created_at;  // RFC 3339
  bool handled = false;
};

// The hub's copy as the uploader last saw it (node/sql/090_hub_sync.sql).
struct HubReplicationState {
  std::optional<std::int64_t> tree_size;
  std::optional<std::string> region_status;
  std::optional<std::string> last_contact_at;  // RFC 3339
  std::optional<std::int64_t> last_receipt_size;
  std::optional<std::string> last_error;
  std::optional<std::string> last_error_at;  // RFC 3339
  bool append_blocked = false;
  std::optional<std::string> append_blocked_reason;
};

struct JournalReplicationState {
  std::int64_t log_size = 0;
  std::optional<HubReplicationState> hub;  // none before the uploader's first contact
};

// The latest journalled revision of the initiative whose status is "admitted"; nullopt if
// it was never admitted (or its payloads were erased). `initiative_id` must be a canonical UUID.
std::optional<JournalledRevision> LastAdmittedRevision(pqxx::transaction_base& txn,
                                                       const std::string& region,
                                                       const std::string& initiative_id);

// Newest first, at most 200. `initiative_id` must be a canonical UUID.
std::vector<InitiativeReport> InitiativeReports(pqxx::transaction_base& txn,
                                                const std::string& initiative_id);

JournalReplicationState ReadJournalReplicationState(pqxx::transaction_base& txn,
                                                    const std::string& region);

}  // namespace ess::node
