#include "hub/store/replication_status.h"

#include "core/bytes.h"
#include "core/pg_fields.h"

namespace ess::hub {

void PrepareReplicationStatusStatements(pqxx::connection& c) {
  // $1: a region or NULL for all; $2: the hub's clock in milliseconds.
  c.prepare("hub_replication_status",
            "SELECT r.region, r.name, r.status, r.status_reason, coalesce(h.tree_size, 0), "
            "h.root, s.node_tree_size, " +
                SqlRfc3339("s.last_contact_at") + ", " + SqlRfc3339("s.last_accepted_at") +
                ", coalesce(s.accepted_batches, 0), coalesce(s.accepted_entries, 0), "
                "coalesce(s.rejected_count, 0), "
                "CASE WHEN coalesce(s.node_tree_size, 0) > coalesce(h.tree_size, 0) THEN "
                "greatest(0, floor(extract(epoch FROM to_timestamp($2::bigint / 1000.0) - "
                "coalesce(s.caught_up_at, r.enrolled_at))))::bigint ELSE 0 END, "
                "(SELECT note FROM log_checkpoint c WHERE c.region = r.region "
                " ORDER BY c.tree_size DESC LIMIT 1), "
                "(SELECT k.fingerprint FROM hub_region_key k WHERE k.region = r.region "
                " AND k.revoked_at IS NULL AND k.valid_until_index IS NULL "
                " ORDER BY k.valid_from_index DESC LIMIT 1) "
                "FROM hub_region r LEFT JOIN log_head h ON h.region = r.region "
                "LEFT JOIN hub_region_replication s ON s.region = r.region "
                "WHERE $1::text IS NULL OR r.region = $1 ORDER BY r.region");
  c.prepare("hub_batch_rejections_latest",
            "SELECT id, " + SqlRfc3339("rejected_at") +
                ", code, reason, log_index, entry IS NOT NULL, "
                "held_checkpoint_note IS NOT NULL OR held_entry IS NOT NULL, coalesce(peer, ''), "
                "message_bytes, encode(message_sha256, 'hex') "
                "FROM hub_batch_rejection WHERE region = $1 ORDER BY id DESC LIMIT $2");
}

std::string NodeBehindWarning(const RegionReplicationStatus& s) {
  return "NŒUD EN RETARD SUR LE HUB : le nœud de la région annonce " +
         std::to_string(s.node_tree_size.value_or(0)) + " entrées, le hub en détient " +
         std::to_string(s.tree_size) +
         " ; il a sans doute été restauré depuis une sauvegarde plus ancienne et bloque son "
         "journal. Restaurer une sauvegarde plus récente, ou faire du journal du nœud la "
         "référence (essctl region reset --region " +
         s.region + " --confirm) : docs/admin-guide.md.";
}

std::vector<RegionReplicationStatus> ReplicationStatusReader::All(std::size_t rejections) {
  return Read(std::nullopt, rejections);
}

std::optional<RegionReplicationStatus> ReplicationStatusReader::One(const std::string& region,
                                                                    std::size_t rejections) {
  auto all = Read(region, rejections);
  if (all.empty()) return std::nullopt;
  return std::move(all.front());
}

std::vector<RegionReplicationStatus> ReplicationStatusReader::Read(
    const std::optional<std::string>& region, std::size_t rejections) {
  std::vector<RegionReplicationStatus> out;
  auto rows = txn_.exec_prepared("hub_replication_status", region ? region->c_str() : nullptr,
                                 clock_.NowMillis());
  for (const auto& row : rows) {
    RegionReplicationStatus s;
    s.region = row[0].as<std::string>();
    s.name = row[1].as<std::string>();
    s.status = row[2].as<std::string>();
    s.status_reason = OptionalText(row[3]);
    s.tree_size = row[4].as<std::uint64_t>();
    if (!row[5].is_null()) {
      pqxx::binarystring root(row[5]);
      s.root_hex = ToHex(ByteView(root.data(), root.size()));
    }
    if (!row[6].is_null()) s.node_tree_size = row[6].as<std::uint64_t>();
    s.last_contact_at = OptionalText(row[7]);
    s.last_accepted_at = OptionalText(row[8]);
    s.accepted_batches = row[9].as<std::uint64_t>();
    s.accepted_entries = row[10].as<std::uint64_t>();
    s.rejected_count = row[11].as<std::uint64_t>();
    s.lag_seconds = row[12].as<std::int64_t>();
    s.checkpoint_note = OptionalText(row[13]).value_or("");
    s.key_fingerprint = OptionalText(row[14]);
    if (s.node_tree_size && *s.node_tree_size > s.tree_size) {
      s.lag_entries = *s.node_tree_size - s.tree_size;
    } else if (s.node_tree_size && *s.node_tree_size < s.tree_size) {
      s.node_behind_entries = s.tree_size - *s.node_tree_size;
    }
    out.push_back(std::move(s));
  }
  for (auto& s : out) {
    for (const auto& row :
         txn_.exec_prepared("hub_batch_rejections_latest", s.region, rejections)) {
      BatchRejection r;
      r.id = row[0].as<std::int64_t>();
      r.rejected_at = row[1].as<std::string>();
      r.code = row[2].as<std::string>();
      r.reason = row[3].as<std::string>();
      if (!row[4].is_null()) r.log_index = row[4].as<std::uint64_t>();
      r.quarantined_entry = row[5].as<bool>();
      r.fork_evidence = row[6].as<bool>();
      r.peer = row[7].as<std::string>();
      if (!row[8].is_null()) r.message_bytes = row[8].as<std::uint64_t>();
      if (!row[9].is_null()) r.message_sha256 = row[9].as<std::string>();
      s.latest_rejections.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace ess::hub
