#pragma once
// The messages the uploader sends that carry the node's log (docs/protocol.md section 7.1),
// built from its store: a ReplicationBatch ending where node/replication/batch_planner.h says, the
// proof of a record in a stored checkpoint, the checkpoint note of a size.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

#include "core/ed25519.h"
#include "node/replication/uploader_store.h"
#include "proto/federation.pb.h"

namespace ess::node {

// What the planner could not turn into a batch (a rotation without its checkpoint): an admin
// must act.
struct PlanningError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct BuiltBatch {
  federation::v1::NodeMessage message;  // a ReplicationBatch
  std::uint64_t end = 0;                // its checkpoint's size
};

// The region's log and the key that signs where the node stored no checkpoint.
struct BatchSource {
  UploaderStore& store;
  const std::string& origin;
  const Ed25519Signer& signer;
};

// The batch of entries [from, end) with end <= head, at most `max_entries` entries and about
// `max_bytes`; an erased revision travels with the proof of its tombstone. Throws
// PlanningError when no batch can be formed, std::runtime_error when `from` has no entry.
BuiltBatch BuildBatch(const BatchSource& source, std::uint64_t from, std::uint64_t head,
                      std::size_t max_entries, std::size_t max_bytes);

// The checkpoint note of exactly `size`: the stored one, or (none stored, or `sign`) one
// signed now and stored.
std::string CheckpointAt(const BatchSource& source, std::uint64_t size, bool sign);

// Entry `index` with its inclusion proof in the stored checkpoint of `size`; nullopt if the
// node stored no such checkpoint.
std::optional<federation::v1::RecordProof> ProvenRecord(UploaderStore& store, std::uint64_t index,
                                                        std::uint64_t size);

}  // namespace ess::node
