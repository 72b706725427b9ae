#pragma once
// The node's journal: turns accepted changes into signed records, inside the transaction of
// the state change itself (a crash can leave neither a change without its record nor a
// record without its change; indexes have no gaps).
//
// Append() locks the region's log head, writes one entry per change (fresh salt, payload
// commitment, next index, next record version), stores the Merkle nodes, then signs and
// stores the checkpoint of the new tree. Concurrent writers wait on the head row. Under a
// CheckpointGroup, several Append() calls of one transaction share one checkpoint, signed once
// at the group's end (the node's group commit, node/service/journal_committer.h).

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "core/log_entry.h"
#include "core/merkle.h"
#include "core/verdict.h"

namespace ess {

struct LogChange {
  Operation operation = Operation::kPut;
  RecordKind kind = RecordKind::kInitiative;
  RecordId record_id{};
  std::string payload;  // JSON; public data only
};

struct AppendedRecords {
  std::vector<LogRecord> records;
  Checkpoint checkpoint;
  std::string checkpoint_note;
};

// Checks a payload about to be journalled in `region`'s log (the node passes the core payload
// schema, core/payload_schema.h, so it never journals what the hub would refuse).
using JournalPayloadCheck =
    std::function<Verdict(const LogChange& change, std::string_view region)>;

class RegionLogWriter {
 public:
  // `signer` signs under the name `RegionOrigin(federation, region)`. `check_payload`, if
  // given, is called on every change before anything is written.
  RegionLogWriter(std::string region, std::string origin, Ed25519Signer signer, const Clock& clock,
                  JournalPayloadCheck check_payload = {});

  const std::string& region() const { return region_; }
  const std::string& origin() const { return origin_; }
  const Ed25519PublicKey& public_key() const { return signer_.public_key(); }

  // Throws std::invalid_argument for an empty change list, std::logic_error (naming the
  // kind and the reason) for a payload the check refuses, before writing anything; database
  // errors propagate. While a CheckpointGroup of this writer is open on the calling thread,
  // no checkpoint is signed: the result's checkpoint is the tree head, unsigned, and its note
  // is empty.
  AppendedRecords Append(pqxx::transaction_base& txn, std::span<const LogChange> changes) const;

  // Defers the checkpoints of Append() calls made on this thread while it lives to one
  // checkpoint signed by Sign(), for work that appends several times in one transaction.
  // Groups do not nest; one writer per group.
  class CheckpointGroup {
   public:
    explicit CheckpointGroup(const RegionLogWriter& writer);
    ~CheckpointGroup();
    CheckpointGroup(const CheckpointGroup&) = delete;
    CheckpointGroup& operator=(const CheckpointGroup&) = delete;

    // Signs and stores the checkpoint of the head `txn` sees, unless no Append() ran in the
    // group or a checkpoint of that size is stored already (the appends were rolled back to
    // a savepoint). Returns whether it signed. Database errors propagate.
    bool Sign(pqxx::transaction_base& txn);

   private:
    friend class RegionLogWriter;
    const RegionLogWriter& writer_;
    bool appended_ = false;
  };

 private:
  // Signs and stores the checkpoint of `range`.
  std::pair<Checkpoint, std::string> StoreCheckpoint(pqxx::transaction_base& txn,
                                                     const CompactRange& range) const;

  std::string region_;
  std::string origin_;
  Ed25519Signer signer_;
  const Clock& clock_;
  JournalPayloadCheck check_payload_;
};

}  // namespace ess
