#pragma once
// What a replica (the hub) decides about one batch a region sends: the pure logic of the
// replication protocol (docs/protocol.md, "Replication"), with no socket and no database.
//
// A batch is a signed checkpoint of size n, a consistency proof from the replica's size s
// to n, and the entries up to index n - 1 (entries below s may be re-sent; they must be
// identical to what the replica holds). The verifier checks, in order:
//   1. the checkpoint note and its signature by a key valid for index n - 1;
//   2. n < s: the checkpoint must match the replica's own tree at n (else kFork), and the
//      batch adds nothing; n == s: same root (else kFork); n > s: the consistency proof
//      from the replica's root (else kFork: the region signed two trees that disagree);
//   3. each entry in order: well formed, of this region, at the next index (kGap), a
//      re-sent index identical to the stored one (else kFork), the payload against its
//      commitment and then against `check_payload`; a payload may be absent only when the
//      region has erased it (never for a key rotation);
//   4. a key_rotation entry must be the batch's last entry and name from_index == n;
//   5. the new entries bring the tree to exactly n with the checkpoint's root (else kGap if
//      entries are missing, kBadSignature if the bytes are not the signed ones).
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

namespace ess {

inline constexpr std::size_t kMaxBatchEntries = 1024;
inline constexpr std::size_t kMaxPayloadSize = 64 * 1024;

struct IncomingEntry {
  Bytes entry;
  std::optional<Bytes> payload;  // absent (with the salt) once erased at the region
  std::optional<Salt> salt;
};

struct BatchVerdict {
  Verdict verdict;
  std::optional<std::uint64_t> failed_index;  // the entry that failed, when one did
  Checkpoint checkpoint;                       // set once the signature verified
  std::vector<LogRecord> new_entries;          // index >= replica size, in order
  std::vector<std::pair<NodeId, Hash>> new_nodes;  // perfect subtrees to store
  CompactRange new_range;                      // the replica's tree after the batch
  std::size_t resent_entries = 0;              // identical entries already held
  std::optional<KeyRotation> rotation;         // to apply to the key ring after storing
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

BatchVerdict VerifyBatch(const ReplicaTree& replica, const RegionKeyRing& keys,
                         std::string_view region, std::string_view checkpoint_note,
                         std::span<const Hash> consistency_proof,
                         std::span<const IncomingEntry> entries, const PayloadCheck& check_payload);

}  // namespace ess
