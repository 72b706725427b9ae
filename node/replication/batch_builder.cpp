#include "node/replication/batch_builder.h"

#include <algorithm>
#include <span>
#include <vector>

#include "core/verify.h"
#include "node/replication/batch_planner.h"

namespace ess::node {

namespace v1 = federation::v1;

namespace {

constexpr std::size_t kReadChunk = 128;

// Reads records from `from` until the entry or byte limit, whichever first.
std::vector<LogRecord> ReadForBatch(UploaderStore& store, std::uint64_t from, std::uint64_t upto,
                                    std::size_t max_bytes) {
  std::vector<LogRecord> out;
  std::size_t bytes = 0;
  for (std::uint64_t at = from; at < upto && bytes <= max_bytes;) {
    const std::uint64_t to = std::min<std::uint64_t>(upto, at + kReadChunk);
    for (auto& r : store.ReadRecords(at, to)) {
      bytes += RecordWireSize(r);
      out.push_back(std::move(r));
    }
    at = to;
  }
  return out;
}

// An erased revision travels with the proof of its tombstone, in the first checkpoint the
// node stored that covers it.
void AddRecords(UploaderStore& store, v1::ReplicationBatch& batch,
                std::span<const LogRecord> records) {
  std::optional<std::uint64_t> head;
  for (const auto& r : records) {
    auto* e = batch.add_entries();
    e->set_entry(AsString(r.entry_bytes));
    if (r.payload && r.salt) {
      e->set_payload(AsString(*r.payload));
      e->set_salt(AsString(*r.salt));
      continue;
    }
    auto tombstone = store.EraseIndexOf(r.entry.record_id);
    if (!tombstone) continue;  // the hub refuses it and says why
    if (!head) head = store.LogSize();
    auto sizes = store.CheckpointSizes(*tombstone, *head, 1);
    if (sizes.empty()) continue;
    if (auto proof = ProvenRecord(store, *tombstone, sizes.front())) {
      *e->mutable_erasure() = std::move(*proof);
    }
  }
}

}  // namespace

std::optional<v1::RecordProof> ProvenRecord(UploaderStore& store, std::uint64_t index,
                                            std::uint64_t size) {
  std::optional<RecordProof> proof = AssembleRecordProof(store, index, size);
  if (!proof) return std::nullopt;
  v1::RecordProof out;
  out.mutable_entry()->set_entry(AsString(proof->entry));
  if (proof->payload && proof->salt) {
    out.mutable_entry()->set_payload(AsString(*proof->payload));
    out.mutable_entry()->set_salt(AsString(*proof->salt));
  }
  for (const Hash& h : proof->inclusion_proof) {
    out.add_inclusion_proof(std::string(h.begin(), h.end()));
  }
  out.set_checkpoint_note(std::move(proof->checkpoint_note));
  return out;
}

std::string CheckpointAt(const BatchSource& source, std::uint64_t size, bool sign) {
  if (!sign) {
    if (auto note = source.store.CheckpointNote(size)) return *note;
  }
  Checkpoint cp{source.origin, size, source.store.RootAt(size), {}};
  std::string note = SignCheckpoint(cp, source.signer);
  source.store.StoreCheckpoint(cp, note);
  return source.store.CheckpointNote(size).value_or(note);
}

BuiltBatch BuildBatch(const BatchSource& source, std::uint64_t from, std::uint64_t head,
                      std::size_t max_entries, std::size_t max_bytes) {
  UploaderStore& store = source.store;
  const std::uint64_t upto = std::min<std::uint64_t>(head, from + max_entries);
  std::vector<LogRecord> records = ReadForBatch(store, from, upto, max_bytes);
  if (records.empty())
    throw std::runtime_error("aucune entrée à partir de " + std::to_string(from));
  auto sizes = store.CheckpointSizes(from, from + records.size(), max_entries);
  BatchEnd plan = PlanBatchEnd(from, records, sizes, max_entries, max_bytes);
  if (!plan.error.empty()) throw PlanningError(plan.error);
  BuiltBatch out;
  out.end = plan.end;
  auto* batch = out.message.mutable_batch();
  batch->set_checkpoint_note(CheckpointAt(source, plan.end, plan.sign_checkpoint));
  batch->set_from_tree_size(from);
  batch->set_node_tree_size(head);
  if (from > 0) {
    for (const auto& h : store.ConsistencyProof(from, plan.end)) {
      batch->add_consistency_proof(std::string(h.begin(), h.end()));
    }
  }
  AddRecords(store, *batch, std::span<const LogRecord>(records).first(plan.end - from));
  return out;
}

}  // namespace ess::node
