#pragma once
// What the uploader (node/replication/hub_uploader.h) reads from and writes to the node's
// database, behind an interface so that the uploader runs in a test without PostgreSQL:
// the region's log (entries, checkpoints, proofs) it sends, and the record of the hub's
// state, receipts, errors and append block it keeps (node/replication/hub_replication_store.h).
//
// Each call is complete in itself (in PostgreSQL, one transaction). The log only grows, so
// what one call read stays true for the next. Infrastructure failures (the database away)
// are exceptions; the uploader catches them, backs off and starts a new session.
//
// PgUploaderStore (node/replication/pg_uploader_store.h) is the node's implementation.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/log_entry.h"

namespace ess::node {

class UploaderStore {
 public:
  virtual ~UploaderStore() = default;

  // --- The region's log (core/log_store.h has the same operations) ---
  // Entries in the log: the next index.
  virtual std::uint64_t LogSize() = 0;
  virtual Hash RootAt(std::uint64_t size) = 0;
  // Records with index in [from, to), ascending.
  virtual std::vector<LogRecord> ReadRecords(std::uint64_t from, std::uint64_t to) = 0;
  // Sizes of stored checkpoints in (after, up_to], ascending, at most `limit`.
  virtual std::vector<std::uint64_t> CheckpointSizes(std::uint64_t after, std::uint64_t up_to,
                                                     std::size_t limit) = 0;
  // The signed note of the stored checkpoint of exactly `size`, if any.
  virtual std::optional<std::string> CheckpointNote(std::uint64_t size) = 0;
  // Stores a checkpoint the uploader signed; one already stored at that size is kept.
  virtual void StoreCheckpoint(const Checkpoint& checkpoint, const std::string& note) = 0;
  virtual std::vector<Hash> InclusionProof(std::uint64_t index, std::uint64_t size) = 0;
  virtual std::vector<Hash> ConsistencyProof(std::uint64_t size1, std::uint64_t size2) = 0;
  // Index of the record's erase entry (its tombstone), if it was erased.
  virtual std::optional<std::uint64_t> EraseIndexOf(const RecordId& record_id) = 0;
  // Index of the latest entry of `kind`, if any.
  virtual std::optional<std::uint64_t> LatestIndexOfKind(RecordKind kind) = 0;

  // --- The node's record of the hub (hub_replication_state, hub_receipt) ---
  virtual void RecordHubState(std::uint64_t tree_size, const Hash& root,
                              const std::string& region_status) = 0;
  // The hub's cosigned checkpoint of `tree_size`: its receipt. Clears the last error.
  virtual void RecordReceipt(std::uint64_t tree_size, const std::string& cosigned_checkpoint) = 0;
  virtual void RecordError(const std::string& message) = 0;
  virtual void ClearError() = 0;
  // Sets the journal's append block and records `reason` as the last error, together.
  virtual void BlockAppends(const std::string& reason) = 0;
  // Lifts the append block; true if one was set.
  virtual bool UnblockAppends() = 0;
};

}  // namespace ess::node
