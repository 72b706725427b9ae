#include "core/region_log_audit.h"

#include <stdexcept>

namespace ess {

namespace {

std::string At(std::uint64_t index) { return "entrée " + std::to_string(index) + " : "; }

}  // namespace

RegionLogAudit::RegionLogAudit(std::string region, RegionKeyRing keys, PayloadCheck check_payload)
    : region_(std::move(region)),
      keys_(std::move(keys)),
      check_payload_(std::move(check_payload)) {}

bool RegionLogAudit::Fail(std::uint64_t index, Verdict verdict) {
  if (!problem_) problem_ = AuditProblem{index, std::move(verdict)};
  return false;
}

bool RegionLogAudit::Entry(std::uint64_t stored_index, const LogRecord& stored,
                           const std::optional<RecordProof>& erasure,
                           std::optional<std::uint64_t> covering_checkpoint) {
  if (problem_) return false;
  const std::uint64_t expected = range_.size();
  if (stored_index != expected) {
    return Fail(expected, Verdict::Fail(VerdictCode::kGap,
                                        At(expected) + "absente (l'entrée suivante stockée est " +
                                            std::to_string(stored_index) + ")"));
  }
  LogEntry entry;
  if (Verdict v = VerifyEntry(stored.entry_bytes, region_, entry); !v.ok()) {
    v.reason = At(expected) + v.reason;
    return Fail(expected, std::move(v));
  }
  if (entry.index != expected) {
    return Fail(expected, Verdict::Fail(VerdictCode::kMalformed, At(expected) +
                                                                     "ses octets portent l'index " +
                                                                     std::to_string(entry.index)));
  }
  const Hash leaf = LeafHash(stored.entry_bytes);
  if (leaf != stored.leaf_hash) {
    return Fail(expected,
                Verdict::Fail(VerdictCode::kEntryMismatch,
                              At(expected) + "l'empreinte stockée n'est pas celle de ses octets"));
  }
  if (!covering_checkpoint || *covering_checkpoint <= expected) {
    return Fail(expected,
                Verdict::Fail(VerdictCode::kGap,
                              At(expected) + "aucun point de contrôle signé ne la couvre"));
  }
  IncomingEntry in{stored.entry_bytes, stored.payload.value_or(Bytes{}), {}, erasure};
  if (stored.salt) in.salt.assign(stored.salt->begin(), stored.salt->end());
  if (in.erased()) ++erased_entries_;
  std::optional<KeyRotation> rotation;
  if (Verdict v =
          VerifyNewEntry(in, entry, *covering_checkpoint, region_, keys_, check_payload_, rotation);
      !v.ok()) {
    return Fail(expected, std::move(v));
  }
  if (rotation) pending_rotation_ = rotation;
  range_.Append(leaf);
  return true;
}

bool RegionLogAudit::Checkpoint(std::uint64_t tree_size, std::string_view note) {
  if (problem_) return false;
  if (tree_size != range_.size()) {
    throw std::logic_error("RegionLogAudit::Checkpoint: size " + std::to_string(tree_size) +
                           " after " + std::to_string(range_.size()) + " entries");
  }
  const std::uint64_t last = tree_size == 0 ? 0 : tree_size - 1;
  const std::string what = "point de contrôle de taille " + std::to_string(tree_size) + " : ";
  ess::Checkpoint cp;
  if (Verdict v = VerifyCheckpointNote(note, keys_, cp); !v.ok()) {
    v.reason = what + v.reason;
    return Fail(last, std::move(v));
  }
  if (cp.size != tree_size) {
    return Fail(last, Verdict::Fail(VerdictCode::kMalformed,
                                    what + "sa note signée dit " + std::to_string(cp.size)));
  }
  if (cp.root != range_.Root()) {
    return Fail(last,
                Verdict::Fail(VerdictCode::kBadSignature,
                              what + "la racine signée n'est pas celle des entrées stockées"));
  }
  ++checkpoints_;
  if (pending_rotation_) {
    // The hub's key ring already holds the rotations it followed.
    if (!keys_.FindByKeyId(pending_rotation_->next_key.key_id)) {
      if (Verdict v = keys_.Rotate(pending_rotation_->next_key, pending_rotation_->from_index);
          !v.ok()) {
        v.reason = what + "rotation de clé refusée : " + v.reason;
        return Fail(last, std::move(v));
      }
    }
    ++rotations_;
    pending_rotation_.reset();
  }
  return true;
}

void RegionLogAudit::StoredTreeDiffers(std::uint64_t size, const std::string& what) {
  Fail(size == 0 ? 0 : size - 1,
       Verdict::Fail(VerdictCode::kBadSignature,
                     "arbre stocké de taille " + std::to_string(size) + " : " + what));
}

}  // namespace ess
