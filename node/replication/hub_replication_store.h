#pragma once
// The node's record of its replication to the hub (node/sql/090_hub_sync.sql): the hub's
// state as last seen, the hub's receipts, the last error, and the append block.
//
// The append block: when the hub holds more of this region's log than the node (a node
// restored from an old backup) or another history at the same size, the uploader blocks
// the journal. A trigger on log_entry then refuses every new entry with SQLSTATE
// kAppendBlockedSqlState, whatever code path writes; HubAppendBlock() lets the node's domain
// check first and refuse a change with a clear message. The block lifts by itself once the
// hub's state is consistent with the node's log again (docs/replication.md).
// Call PrepareHubReplicationStatements() on every new connection that uses these.

#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "core/bytes.h"

namespace ess::node {

inline constexpr const char* kAppendBlockedSqlState = "ESHUB";

void PrepareHubReplicationStatements(pqxx::connection& conn);

// The reason the journal refuses to append, if it does. Works in the caller's transaction.
std::optional<std::string> HubAppendBlock(pqxx::transaction_base& txn, const std::string& region);

struct NodeReplicationStatus {
  std::optional<std::uint64_t> hub_tree_size;
  std::string hub_root_hex;
  std::optional<std::string> hub_region_status;
  std::optional<std::string> last_contact_at;
  std::optional<std::uint64_t> last_receipt_size;
  std::optional<std::string> last_receipt;  // the cosigned checkpoint
  std::optional<std::string> last_error;
  std::optional<std::string> last_error_at;
  std::optional<std::string> append_block;  // reason, when set
};

class HubReplicationStore {
 public:
  HubReplicationStore(pqxx::transaction_base& txn, std::string region)
      : txn_(txn), region_(std::move(region)) {}

  void RecordHubState(std::uint64_t tree_size, const Hash& root, const std::string& status);
  void RecordReceipt(std::uint64_t tree_size, const std::string& cosigned_checkpoint);
  void RecordError(const std::string& message);
  void ClearError();
  void BlockAppends(const std::string& reason);
  // Returns true if a block was lifted.
  bool UnblockAppends();
  NodeReplicationStatus Read();

 private:
  void EnsureRow();
  pqxx::transaction_base& txn_;
  std::string region_;
};

}  // namespace ess::node
