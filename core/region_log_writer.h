#pragma once
// The node's journal: turns accepted changes into signed records, inside the transaction of
// the state change itself (a crash can leave neither a change without its record nor a
// record without its change; indexes have no gaps).
//
// Append() locks the region's log head, writes one entry per change (fresh salt, payload
// commitment, next index, next record version), stores the Merkle nodes, then signs and
// stores the checkpoint of the new tree. Concurrent writers wait on the head row.

#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/ed25519.h"
#include "core/log_entry.h"
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
  // errors propagate.
  AppendedRecords Append(pqxx::transaction_base& txn, std::span<const LogChange> changes) const;

 private:
  std::string region_;
  std::string origin_;
  Ed25519Signer signer_;
  const Clock& clock_;
  JournalPayloadCheck check_payload_;
};

}  // namespace ess
