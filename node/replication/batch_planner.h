#pragma once
// Where the node's next replication batch ends (docs/protocol.md section 7): at a checkpoint
// size the node stored, with at most `max_entries` entries and about `max_bytes` on the wire,
// and always right after a key_rotation entry (whose checkpoint, signed by the old key, the
// hub needs to follow the rotation). Pure logic.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "core/log_entry.h"

namespace ess::node {

// Bytes a record takes in a ReplicationBatch, near enough (entry, payload, salt, framing).
std::size_t RecordWireSize(const LogRecord& record);

struct BatchEnd {
  std::uint64_t end = 0;  // exclusive: the batch holds entries [from, end)
  // No stored checkpoint at `end`: the node signs one there (its current key).
  bool sign_checkpoint = false;
  std::string error;  // set when no batch can be formed (see PlanBatchEnd)
};

// `records` are the node's records from index `from` on, in order (the caller reads as many
// as `max_entries` allows); `checkpoint_sizes` the stored checkpoint sizes in
// (from, from + records.size()], ascending. Picks the largest stored checkpoint size that
// fits the limits; none fits: the end is the limit, to be signed by the node. A rotation at
// index r ends the batch at r + 1, which must be a stored checkpoint (signed by the old key):
// otherwise `error` says so. Precondition: records is not empty.
BatchEnd PlanBatchEnd(std::uint64_t from, std::span<const LogRecord> records,
                      std::span<const std::uint64_t> checkpoint_sizes, std::size_t max_entries,
                      std::size_t max_bytes);

}  // namespace ess::node
