#include "node/replication/batch_planner.h"

#include <algorithm>

namespace ess::node {

std::size_t RecordWireSize(const LogRecord& record) {
  return record.entry_bytes.size() + (record.payload ? record.payload->size() : 0) +
         (record.salt ? record.salt->size() : 0) + 16;
}

BatchEnd PlanBatchEnd(std::uint64_t from, std::span<const LogRecord> records,
                      std::span<const std::uint64_t> checkpoint_sizes, std::size_t max_entries,
                      std::size_t max_bytes) {
  BatchEnd out;
  // The furthest end the limits allow, cut after a key rotation.
  std::uint64_t limit = from;
  std::size_t bytes = 0;
  bool rotation = false;
  for (std::size_t i = 0; i < records.size() && i < max_entries; ++i) {
    const std::size_t size = RecordWireSize(records[i]);
    if (i > 0 && bytes + size > max_bytes) break;  // one record always fits alone
    bytes += size;
    limit = from + i + 1;
    if (records[i].entry.kind == RecordKind::kKeyRotation) {
      rotation = true;
      break;
    }
  }
  auto stored = std::upper_bound(checkpoint_sizes.begin(), checkpoint_sizes.end(), limit);
  if (rotation) {
    if (stored == checkpoint_sizes.begin() || *(stored - 1) != limit) {
      out.error = "la rotation de clé de l'index " + std::to_string(limit - 1) +
                  " n'a pas de point de contrôle signé par l'ancienne clé à la taille " +
                  std::to_string(limit);
      return out;
    }
    out.end = limit;
    return out;
  }
  if (stored != checkpoint_sizes.begin() && *(stored - 1) > from) {
    out.end = *(stored - 1);
    return out;
  }
  out.end = limit;
  out.sign_checkpoint = true;
  return out;
}

}  // namespace ess::node
