#pragma once
// What a replica (the hub) decides about one batch a region sends: the pure logic of the
// replication protocol (docs/protocol.md section 7), with no socket and no database.
//
// A batch is a signed checkpoint of size n, the index `from` it continues from (at most the
// replica's size s), the consistency proof from `from` to n, and the entries from..n-1
// (entries below s are re-sent: compared with the held ones byte for byte and skipped).
// The verifier checks, in order:
//   1. shape: at most kMaxBatchEntries entries, a note of at most kMaxCheckpointNoteBytes, a
//      salt of kSaltSize bytes with every entry that is not erased;
//   2. the checkpoint note and its signature by a key valid for index n - 1;
//   3. from <= s (else kGap) and from <= n (else kMalformed);
//   4. signed evidence against the held tree: n <= s and the held root at n differs from the
//      signed one, or n > s and the proof's recomputed root is the signed one while its proven
//      root at `from` differs from the held one -> kFork. A proof that does not verify, is
//      missing or too long -> kBadProof (a refused batch, not a fork: it proves nothing);
//   5. each entry in order: well formed, of this region, first at `from` then consecutive
//      (kMalformed / kGap), below n, a re-sent index identical to the held one (else
//      kEntryMismatch: entries are not signed one by one, so this is no fork), the payload
//      against its commitment and then against `check_payload`; a payload may be absent only
//      from a put entry whose erasure comes with it: the record's erase entry, at a later
//      index, in a checkpoint signed by the region (VerifyRecordProof), else kPayloadInvalid;
//   6. a key_rotation entry must be the batch's last entry and name from_index == n;
//   7. the new entries bring the tree to exactly n (else kGap) with the signed root (else
//      kBadSignature: the bytes are not the signed ones).
// The first failure stops the batch: nothing of it is to be stored.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/log_entry.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"
#include "core/region_keys.h"
#include "core/verdict.h"
#include "core/verify.h"

namespace ess {

inline constexpr std::size_t kMaxBatchEntries = 1024;
inline constexpr std::size_t kMaxPayloadSize = 64 * 1024;
// A checkpoint with its signatures is a few hundred bytes; anything larger is refused unread.
inline constexpr std::size_t kMaxCheckpointNoteBytes = 4096;

// One entry as a region sends it, not yet verified: the only type an entry has between the
// wire (proto LogEntryEnvelope, converted once by the hub's gRPC adapter) and VerifyBatch,
// which turns the entries it accepts into LogRecords (core/log_entry.h). The fields are the
// wire's: an empty payload with an empty salt means "erased at the region"; anything else is a
// payload, whose salt must then be kSaltSize bytes (step 1).
struct IncomingEntry {
  Bytes entry;
  Bytes payload;
  Bytes salt;
  // When erased: the record's erase entry, proven in a checkpoint the region signed.
  std::optional<RecordProof> erasure;

  bool erased() const { return payload.empty() && salt.empty(); }
};

struct BatchVerdict {
  Verdict verdict;
  std::optional<std::uint64_t> failed_index;  // the entry that failed, when one did
  std::optional<std::size_t> failed_position;  // its place in `entries`, when one failed
  Checkpoint checkpoint;                       // set once the signature verified
  std::vector<LogRecord> new_entries;          // index >= replica size, in order
  std::vector<std::pair<NodeId, Hash>> new_nodes;  // perfect subtrees to store
  CompactRange new_range;                      // the replica's tree after the batch
  std::size_t resent_entries = 0;              // identical entries already held
  std::optional<KeyRotation> rotation;         // to apply to the key ring after storing
  // kFork: the size at which the signed tree and the held one disagree (the held root at that
  // size is the other side of the evidence).
  std::optional<std::uint64_t> fork_evidence_size;
};

// The replica's view of one region, read from its storage.
struct ReplicaTree {
  CompactRange range;
  // Leaf hash of a stored entry (index < range.size()). May throw on storage errors.
  std::function<Hash(std::uint64_t index)> stored_leaf_hash;
  // Root of the stored tree at an older size (size < range.size()). May throw.
  std::function<Hash(std::uint64_t size)> stored_root;
};

// Content check of a payload that matched its commitment (format, referential). Returns
// kPayloadInvalid with the reason, or Ok.
using PayloadCheck = std::function<Verdict(const LogEntry&, ByteView payload)>;

// Step 5 for one entry the replica does not hold yet, already decoded (VerifyEntry) and
// found at its place: its payload against its commitment (or, erased, the proof of its
// erasure), a key rotation's rules for a checkpoint of size `checkpoint_size` (the one that
// covers the entry), then `check_payload` (if given). The one rule for an entry, shared by
// VerifyBatch and the audit of a whole stored log (core/region_log_audit.h). On success
// `rotation` holds the rotation the entry makes, if it is one; failures name the index.
Verdict VerifyNewEntry(const IncomingEntry& in, const LogEntry& entry,
                       std::uint64_t checkpoint_size, std::string_view region,
                       const RegionKeyRing& keys, const PayloadCheck& check_payload,
                       std::optional<KeyRotation>& rotation);

BatchVerdict VerifyBatch(const ReplicaTree& replica, const RegionKeyRing& keys,
                         std::string_view region, std::string_view checkpoint_note,
                         std::uint64_t from_tree_size, std::span<const Hash> consistency_proof,
                         std::span<const IncomingEntry> entries, const PayloadCheck& check_payload);

}  // namespace ess
