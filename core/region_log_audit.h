#pragma once
// The audit of a region's whole stored log (a node's journal or the hub's copy), fed entry
// after entry in index order and checkpoint after checkpoint, holding only the tree's compact
// range: a log of millions of entries is checked in pages (essctl verify). Pure logic; the
// caller reads the database.
//
// Each entry goes through the replication rule (VerifyNewEntry, core/region_log_verifier.h):
// its place (no gap: the first missing index is the problem's), its region, its stored leaf
// hash, its payload against its commitment or the proof of its erasure, a key rotation's
// rules; it must be covered by a stored checkpoint. Each checkpoint must be signed by the
// region's key valid for its last index and sign the root of the entries below it. A
// rotation takes effect once the checkpoint that ends with it verified (signed by the old key).
// The first problem stops the audit: its index and verdict are kept, later calls are ignored.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/log_entry.h"
#include "core/merkle.h"
#include "core/region_keys.h"
#include "core/region_log_verifier.h"
#include "core/verdict.h"
#include "core/verify.h"

namespace ess {

struct AuditProblem {
  std::uint64_t index = 0;  // the log index where the log stops being right
  Verdict verdict;
};

class RegionLogAudit {
 public:
  // `keys`: the region's keys, the first valid from index 0 (rotations in the log are
  // followed). `check_payload`, if given, also checks each payload's content.
  RegionLogAudit(std::string region, RegionKeyRing keys, PayloadCheck check_payload = {});

  // The next stored entry: `stored_index` is its row's index (>= size(); above it, the entries
  // between are missing), `erasure` the proof of its tombstone when its payload is erased,
  // `covering_checkpoint` the size of the smallest stored checkpoint above stored_index
  // (nullopt: no signed checkpoint covers it). Returns false once a problem is found.
  bool Entry(std::uint64_t stored_index, const LogRecord& stored,
             const std::optional<RecordProof>& erasure,
             std::optional<std::uint64_t> covering_checkpoint);
  // The stored checkpoint note of size `tree_size`, once exactly tree_size entries were fed
  // (std::logic_error otherwise). Returns false once a problem is found.
  bool Checkpoint(std::uint64_t tree_size, std::string_view note);
  // The stored tree disagrees with the entries at `size` (its root from the stored Merkle
  // nodes, or the stored head): records the problem, with `what` saying which.
  void StoredTreeDiffers(std::uint64_t size, const std::string& what);

  const std::optional<AuditProblem>& problem() const { return problem_; }
  std::uint64_t size() const { return range_.size(); }
  Hash root() const { return range_.Root(); }
  std::uint64_t checkpoints() const { return checkpoints_; }
  std::uint64_t erased_entries() const { return erased_entries_; }
  std::uint64_t rotations() const { return rotations_; }

 private:
  bool Fail(std::uint64_t index, Verdict verdict);

  std::string region_;
  RegionKeyRing keys_;
  PayloadCheck check_payload_;
  CompactRange range_;
  std::optional<KeyRotation> pending_rotation_;
  std::optional<AuditProblem> problem_;
  std::uint64_t checkpoints_ = 0;
  std::uint64_t erased_entries_ = 0;
  std::uint64_t rotations_ = 0;
};

}  // namespace ess
