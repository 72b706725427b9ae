#include "node/replication/hub_replication_store.h"

#include "core/pg_fields.h"

namespace ess::node {

void PrepareHubReplicationStatements(pqxx::connection& c) {
  c.prepare(
      "hub_replication_state_ensure",
      "INSERT INTO hub_replication_state (region) VALUES ($1) ON CONFLICT (region) DO NOTHING");
  c.prepare(
      "hub_replication_state_hub",
      "UPDATE hub_replication_state SET hub_tree_size = $2, hub_root = $3, hub_region_status = $4, "
      "last_contact_at = now(), updated_at = now() WHERE region = $1");
  c.prepare(
      "hub_replication_state_receipt",
      "UPDATE hub_replication_state SET hub_tree_size = greatest(coalesce(hub_tree_size, 0), $2), "
      "last_receipt_size = $2, last_contact_at = now(), last_error = NULL, "
      "updated_at = now() WHERE region = $1");
  c.prepare("hub_receipt_insert",
            "INSERT INTO hub_receipt (tree_size, cosigned_checkpoint) VALUES ($1, $2) "
            "ON CONFLICT (tree_size) DO NOTHING");
  c.prepare(
      "hub_replication_state_error",
      "UPDATE hub_replication_state SET last_error = $2, last_error_at = now(), updated_at = now() "
      "WHERE region = $1");
  c.prepare("hub_replication_state_clear_error",
            "UPDATE hub_replication_state SET last_error = NULL, updated_at = now() "
            "WHERE region = $1 AND last_error IS NOT NULL");
  c.prepare("hub_replication_state_block",
            "UPDATE hub_replication_state SET append_blocked = true, append_blocked_reason = $2, "
            "append_blocked_at = coalesce(append_blocked_at, now()), updated_at = now() "
            "WHERE region = $1");
  c.prepare(
      "hub_replication_state_unblock",
      "UPDATE hub_replication_state SET append_blocked = false, append_blocked_reason = NULL, "
      "append_blocked_at = NULL, updated_at = now() WHERE region = $1 AND append_blocked");
  c.prepare("hub_replication_state_block_reason",
            "SELECT append_blocked_reason FROM hub_replication_state WHERE region = $1 AND "
            "append_blocked");
  c.prepare("hub_replication_state_read",
            "SELECT s.hub_tree_size, s.hub_root, s.hub_region_status, " +
                SqlRfc3339("s.last_contact_at") + ", s.last_receipt_size, " +
                "(SELECT cosigned_checkpoint FROM hub_receipt ORDER BY tree_size DESC LIMIT 1), "
                "s.last_error, " +
                SqlRfc3339("s.last_error_at") +
                ", CASE WHEN s.append_blocked THEN coalesce(s.append_blocked_reason, '') END "
                "FROM hub_replication_state s WHERE s.region = $1");
}

std::optional<std::string> HubAppendBlock(pqxx::transaction_base& txn, const std::string& region) {
  auto r = txn.exec_prepared("hub_replication_state_block_reason", region);
  if (r.empty()) return std::nullopt;
  return OptionalText(r[0][0]).value_or("le hub détient un autre état du journal");
}

void HubReplicationStore::EnsureRow() {
  txn_.exec_prepared("hub_replication_state_ensure", region_);
}

void HubReplicationStore::RecordHubState(std::uint64_t tree_size, const Hash& root,
                                         const std::string& status) {
  EnsureRow();
  txn_.exec_prepared("hub_replication_state_hub", region_, tree_size,
                     pqxx::binarystring(root.data(), root.size()), status);
}

void HubReplicationStore::RecordReceipt(std::uint64_t tree_size,
                                        const std::string& cosigned_checkpoint) {
  EnsureRow();
  txn_.exec_prepared("hub_receipt_insert", tree_size, cosigned_checkpoint);
  txn_.exec_prepared("hub_replication_state_receipt", region_, tree_size);
}

void HubReplicationStore::RecordError(const std::string& message) {
  EnsureRow();
  txn_.exec_prepared("hub_replication_state_error", region_, message);
}

void HubReplicationStore::ClearError() {
  txn_.exec_prepared("hub_replication_state_clear_error", region_);
}

void HubReplicationStore::BlockAppends(const std::string& reason) {
  EnsureRow();
  txn_.exec_prepared("hub_replication_state_block", region_, reason);
}

bool HubReplicationStore::UnblockAppends() {
  return txn_.exec_prepared("hub_replication_state_unblock", region_).affected_rows() > 0;
}

NodeReplicationStatus HubReplicationStore::Read() {
  NodeReplicationStatus s;
  auto r = txn_.exec_prepared("hub_replication_state_read", region_);
  if (r.empty()) return s;
  const auto& row = r[0];
  if (!row[0].is_null()) s.hub_tree_size = row[0].as<std::uint64_t>();
  if (!row[1].is_null()) {
    pqxx::binarystring root(row[1]);
    s.hub_root_hex = ToHex(ByteView(root.data(), root.size()));
  }
  s.hub_region_status = OptionalText(row[2]);
  s.last_contact_at = OptionalText(row[3]);
  if (!row[4].is_null()) s.last_receipt_size = row[4].as<std::uint64_t>();
  s.last_receipt = OptionalText(row[5]);
  s.last_error = OptionalText(row[6]);
  s.last_error_at = OptionalText(row[7]);
  s.append_block = OptionalText(row[8]);
  return s;
}

}  // namespace ess::node
