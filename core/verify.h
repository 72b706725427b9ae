#pragma once
// Verification of what crosses a trust boundary: entries, payloads, signed checkpoints and
// the proof that comes with a national record. Every function returns a Verdict; none throws
// on bad input.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/checkpoint.h"
#include "core/log_entry.h"
#include "core/payload_commitment.h"
#include "core/region_keys.h"
#include "core/verdict.h"

namespace ess {

// Parses a signed checkpoint note and checks it was signed by `keys`' region:
// - kMalformed: not a signed note, or its text not a checkpoint;
// - kWrongRegion: the checkpoint's origin is not keys.origin();
// - kBadSignature: a signature by a key of the ring does not verify;
// - kUnknownKey: no signature under the origin's name by a key of the ring;
// - kRevokedKey: the only verifying keys are revoked or retired for index size - 1.
// Signatures under other names (cosignatures) are ignored. On success `out` holds the
// checkpoint.
Verdict VerifyCheckpointNote(std::string_view note, const RegionKeyRing& keys, Checkpoint& out);

// Decodes entry bytes (kMalformed) and checks they belong to `region` (kWrongRegion).
Verdict VerifyEntry(ByteView entry_bytes, std::string_view region, LogEntry& out);

// kPayloadMismatch unless SHA-256 commitment(salt, payload) equals the entry's commitment.
Verdict VerifyPayload(const LogEntry& entry, ByteView payload, const Salt& salt);

// Everything needed to check one record offline: the entry, its payload (absent once
// erased), the inclusion proof in the tree of the checkpoint, and the signed checkpoint.
struct RecordProof {
  Bytes entry;
  std::optional<Bytes> payload;
  std::optional<Salt> salt;
  std::vector<Hash> inclusion_proof;
  std::string checkpoint_note;
};

// Assembles the RecordProof of the entry at `index` in the tree of `tree_size` from a log
// source: anything with CheckpointNote(size), ReadRecords(from, to) and InclusionProof(index,
// size), i.e. the log store (core/log_store.h) or the node uploader's store. nullopt when no
// checkpoint of exactly `tree_size` is held or the entry is not in that tree. The one
// assembly of a proof: the hub's HTTP proofs and the node's erasure and rotation proofs.
template <typename LogSource>
std::optional<RecordProof> AssembleRecordProof(LogSource& log, std::uint64_t index,
                                               std::uint64_t tree_size) {
  if (index >= tree_size) return std::nullopt;
  std::optional<std::string> note = log.CheckpointNote(tree_size);
  if (!note) return std::nullopt;
  std::vector<LogRecord> records = log.ReadRecords(index, index + 1);
  if (records.empty()) return std::nullopt;
  LogRecord& r = records.front();
  return RecordProof{std::move(r.entry_bytes), std::move(r.payload), r.salt,
                     log.InclusionProof(index, tree_size), std::move(*note)};
}

// Checks a RecordProof against a region's keys: checkpoint signature (as above), entry
// region, inclusion of the entry in the checkpoint's tree (kBadSignature: the signed tree
// does not contain this entry), and the payload commitment when a payload is given.
// On success `entry_out` holds the decoded entry.
Verdict VerifyRecordProof(const RecordProof& proof, std::string_view region,
                          const RegionKeyRing& keys, LogEntry* entry_out = nullptr);

}  // namespace ess
