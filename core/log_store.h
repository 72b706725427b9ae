#pragma once
// A region's log in PostgreSQL (core/sql/001_region_log.sql), for the node's journal and the
// hub's replicas alike. Every function works inside the caller's transaction, so a state
// change and the records that journal it commit or roll back together.
//
// Writers serialise per region on the log_head row (ReadHead with lock = true), which also
// makes indexes gap-free: an index is taken only by a transaction that commits it.
// Call PrepareLogStatements() on every new connection (PgPoolOptions::on_connect).

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/checkpoint.h"
#include "core/log_entry.h"
#include "core/merkle.h"
#include "core/verify.h"

namespace ess {

void PrepareLogStatements(pqxx::connection& conn);

class LogStore {
 public:
  LogStore(pqxx::transaction_base& txn, std::string region)
      : txn_(txn), region_(std::move(region)) {}

  // The tree as stored (size 0 for a region never written). With lock = true the head row
  // is created if missing and locked until the transaction ends.
  CompactRange ReadHead(bool lock);
  // Appends records whose indexes continue `range` (std::logic_error otherwise), with their
  // Merkle nodes, and moves the head. `range` is updated in place.
  void Append(CompactRange& range, std::span<const LogRecord> records);

  void StoreCheckpoint(const Checkpoint& checkpoint, const std::string& note);
  // The signed note of the largest stored checkpoint, if any.
  std::optional<std::string> LatestCheckpointNote();
  // The size of the largest stored checkpoint, if any.
  std::optional<std::uint64_t> LatestCheckpointSize();
  // The signed note of the stored checkpoint of exactly `tree_size`, if any.
  std::optional<std::string> CheckpointNote(std::uint64_t tree_size);
  // Sizes of stored checkpoints in (after, up_to], ascending, at most `limit`.
  std::vector<std::uint64_t> CheckpointSizes(std::uint64_t after, std::uint64_t up_to,
                                             std::size_t limit);

  Hash LeafHashAt(std::uint64_t index);
  Hash RootAt(std::uint64_t size);
  std::vector<Hash> InclusionProof(std::uint64_t index, std::uint64_t size);
  std::vector<Hash> ConsistencyProof(std::uint64_t size1, std::uint64_t size2);
  // Entry `index` as stored (its payload and salt unless erased) with its inclusion proof in
  // the stored checkpoint of exactly `tree_size` and that checkpoint's signed note: what anyone
  // checks offline with VerifyRecordProof. nullopt if no checkpoint of that size is stored or
  // it does not cover `index`.
  std::optional<RecordProof> ProveRecord(std::uint64_t index, std::uint64_t tree_size);

  // Records with index in [from, to), ascending.
  std::vector<LogRecord> ReadRecords(std::uint64_t from, std::uint64_t to);
  // Index of the record's erase entry (its tombstone), if it was erased.
  std::optional<std::uint64_t> EraseIndexOf(const RecordId& record_id);
  // Index of the latest entry of `kind`, if any.
  std::optional<std::uint64_t> LatestIndexOfKind(RecordKind kind);
  // The next record version of each of `record_ids` (1 + the highest logged, or 1 for a new
  // record), in one query.
  std::map<RecordId, std::uint32_t> NextRecordVersions(std::span<const RecordId> record_ids);
  // Deletes payload and salt of every put entry of the record (GDPR erasure); tombstones
  // keep theirs, which hold nothing personal. Returns how many entries lost a payload.
  std::size_t ErasePayloads(const RecordId& record_id);

 private:
  std::vector<Hash> ReadNodes(const std::vector<NodeId>& ids);
  NodeReader ReaderFor(const std::vector<NodeId>& ids);

  pqxx::transaction_base& txn_;
  std::string region_;
};

}  // namespace ess
