#pragma once
// A log entry: the exact bytes a node writes once for every change it accepts, the leaf of
// its region's Merkle tree. Nobody re-encodes an entry before hashing or verifying it; the
// bytes travel as they were written (protobuf `bytes`, PostgreSQL `bytea`).
//
// Layout (all integers big-endian; see docs/protocol.md):
//   offset  size  field
//   0       1     format version (1)
//   1       1     operation (1 put, 2 erase)
//   2       1     record kind (1..5, see RecordKind)
//   3       8     index: position in the region's log, from 0, no gaps
//   11      8     timestamp: milliseconds since the Unix epoch, as the node's clock said
//                 (informational: validity is never decided by time)
//   19      1     n = length of the region code (2 or 3)
//   20      n     region: INSEE region code, ASCII digits
//   20+n    16    record id (UUID bytes)
//   36+n    4     record version: 1 for a record's first revision, +1 for each next one
//   40+n    32    payload commitment (core/payload_commitment.h)
//   total   72+n
// No personal data is ever in an entry: what a record says lives in its payload.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/payload_commitment.h"
#include "core/verdict.h"

namespace ess {

inline constexpr std::uint8_t kLogEntryFormatVersion = 1;

enum class Operation : std::uint8_t {
  kPut = 1,    // a new revision of the record
  kErase = 2,  // tombstone: erase the personal data of every revision of the record
};

enum class RecordKind : std::uint8_t {
  kInitiative = 1,           // the public part of an initiative revision
  kCommitteeDecision = 2,    // admit, reject, request changes, suspend, reinstate
  kCharterVersion = 3,       // a charter text published by the region
  kCommitteeMembership = 4,  // a member joins, changes role or leaves the committee
  kKeyRotation = 5,          // names the region's next key and the index it signs from
};

std::string_view OperationName(Operation op);  // "put", "erase"
std::string_view RecordKindName(RecordKind kind);  // "initiative", "committee_decision"...
std::optional<Operation> OperationFromName(std::string_view name);
std::optional<RecordKind> RecordKindFromName(std::string_view name);

using RecordId = std::array<std::uint8_t, 16>;
RecordId NewRecordId();  // random (UUID version 4)
std::string RecordIdToString(const RecordId& id);  // "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
std::optional<RecordId> RecordIdFromString(std::string_view text);

struct LogEntry {
  Operation operation = Operation::kPut;
  RecordKind kind = RecordKind::kInitiative;
  std::uint64_t index = 0;
  std::int64_t timestamp_ms = 0;
  std::string region;
  RecordId record_id{};
  std::uint32_t record_version = 1;
  Hash payload_commitment{};

  bool operator==(const LogEntry&) const = default;
};

// A signed record as stored and replicated: the entry bytes exactly as written, their
// decoded fields and leaf hash, and the payload with its salt (both absent once erased).
// A LogRecord is trusted: the log writer makes it, VerifyBatch makes it from an IncomingEntry
// it accepted (core/region_log_verifier.h: what a region sends, not yet verified, one way
// only), and LogStore reads it back.
struct LogRecord {
  LogEntry entry;
  Bytes entry_bytes;
  Hash leaf_hash{};
  std::optional<Bytes> payload;
  std::optional<Salt> salt;
};

// A region code fit for an entry: 2 or 3 ASCII digits.
bool IsWellFormedRegionCode(std::string_view code);

// Throws std::invalid_argument if the region code is not well formed.
Bytes EncodeLogEntry(const LogEntry& entry);
// Strict: unknown version, operation or kind, a bad region code, or a length that is not
// exactly the layout's gives kMalformed with the reason.
Verdict DecodeLogEntry(ByteView bytes, LogEntry& out);

}  // namespace ess
