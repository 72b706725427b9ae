#pragma once
// The health of every region's replication, for the national pilot and admins (HTTP API,
// essctl): where the hub's copy stands, how far behind the node it is, when the node was last
// heard from, what was refused and why, and which key the region signs with.
// Call PrepareReplicationStatusStatements() on every new connection.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.h"

namespace ess::hub {

void PrepareReplicationStatusStatements(pqxx::connection& conn);

struct BatchRejection {
  std::int64_t id = 0;
  std::string rejected_at;  // RFC 3339, UTC
  std::string code;         // a verdict name
  std::string reason;       // French
  std::optional<std::uint64_t> log_index;
  bool quarantined_entry = false;  // the first invalid entry is kept
  bool fork_evidence = false;      // the hub's side of a fork is kept beside it
  std::string peer;
  std::optional<std::uint64_t> message_bytes;  // size of the message that carried the batch
  std::optional<std::string> message_sha256;   // its SHA-256, hex
};

struct RegionReplicationStatus {
  std::string region;
  std::string name;
  std::string status;  // "active" or "forked"
  std::optional<std::string> status_reason;
  std::uint64_t tree_size = 0;  // the hub's copy: head sequence number (next index)
  std::string root_hex;
  std::string checkpoint_note;  // the latest checkpoint stored, "" if none
  std::optional<std::uint64_t> node_tree_size;  // as the node last reported it
  std::uint64_t lag_entries = 0;
  // The hub holds this many entries more than the node last reported (authenticated, at its
  // hello): the node was restored from an older backup and has blocked its own journal
  // (docs/replication.md, section 7). 0 otherwise.
  std::uint64_t node_behind_entries = 0;
  std::int64_t lag_seconds = 0;  // since the hub last held all the node reported
  std::optional<std::string> last_contact_at;
  std::optional<std::string> last_accepted_at;
  std::uint64_t accepted_batches = 0;
  std::uint64_t accepted_entries = 0;
  std::uint64_t rejected_count = 0;
  std::optional<std::string> key_fingerprint;  // the current key's
  std::vector<BatchRejection> latest_rejections;
};

// For admins, in French, when s.node_behind_entries > 0: the node holds fewer entries than the
// hub (restored from an older backup), its journal is blocked, and the two ways out without a
// fork (docs/admin-guide.md, "A backup older than what the hub holds").
std::string NodeBehindWarning(const RegionReplicationStatus& s);

class ReplicationStatusReader {
 public:
  ReplicationStatusReader(pqxx::transaction_base& txn, const Clock& clock)
      : txn_(txn), clock_(clock) {}

  // Every enrolled region, with at most `rejections` latest refusals each.
  std::vector<RegionReplicationStatus> All(std::size_t rejections = 5);
  std::optional<RegionReplicationStatus> One(const std::string& region,
                                             std::size_t rejections = 20);

 private:
  std::vector<RegionReplicationStatus> Read(const std::optional<std::string>& region,
                                            std::size_t rejections);
  pqxx::transaction_base& txn_;
  const Clock& clock_;
};

}  // namespace ess::hub
