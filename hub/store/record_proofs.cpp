#include "hub/store/record_proofs.h"

#include <algorithm>

#include "core/log_store.h"
#include "core/signed_note.h"
#include "hub/store/national_queries.h"

namespace ess::hub {

namespace {

std::optional<EnrolledKey> SigningKey(const std::string& note_text, std::uint64_t tree_size,
                                      const std::vector<EnrolledKey>& keys) {
  auto note = ParseNote(note_text);
  if (!note || tree_size == 0) return std::nullopt;
  std::optional<EnrolledKey> out;
  for (const EnrolledKey& k : keys) {
    const RegionKey key = k.ToRegionKey();
    if (key.revoked || !key.Covers(tree_size - 1)) continue;
    if (std::any_of(note->signatures.begin(), note->signatures.end(),
                    [&](const NoteSignature& s) { return s.key_id == k.key_id; })) {
      out = k;
    }
  }
  return out;
}

}  // namespace

std::optional<NationalRecordProof> RecordProofs::Find(const std::string& region,
                                                      const std::string& record_id) {
  auto record = NationalQueries(txn_, clock_).Get(region, record_id);
  if (!record) return std::nullopt;
  LogStore store(txn_, region);
  auto tree_size = store.LatestCheckpointSize();
  if (!tree_size) return std::nullopt;
  auto proof = store.ProveRecord(record->log_index, *tree_size);
  if (!proof) return std::nullopt;
  NationalRecordProof out{region,      record->record_id, record->log_index,
                          *tree_size,  std::move(*proof), {},
                          std::nullopt};
  if (auto enrolled = RegionRegistry(txn_, federation_, clock_).Find(region)) {
    out.keys = std::move(enrolled->keys);
    out.signing_key = SigningKey(out.proof.checkpoint_note, out.tree_size, out.keys);
  }
  return out;
}

}  // namespace ess::hub
