#pragma once
// Helpers for the hub and replication tests: a signed region log in memory with real record
// ids, versions and payloads (for in-process and adversarial tests), initiative payloads
// valid against the common referential, and polling with a bound.

#include <chrono>
#include <functional>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/log_entry.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"
#include "core/region_keys.h"
#include "hub/store/region_replicas.h"
#include "tests/support/test_region_log.h"

namespace ess::test {

inline RecordId TestRecordId(std::uint32_t n, std::uint8_t tag = 0) {
  RecordId id{};
  id[0] = tag;
  id[6] = 0x40;  // a version-4-looking UUID
  id[8] = 0x80;
  id[12] = static_cast<std::uint8_t>(n >> 24);
  id[13] = static_cast<std::uint8_t>(n >> 16);
  id[14] = static_cast<std::uint8_t>(n >> 8);
  id[15] = static_cast<std::uint8_t>(n);
  return id;
}

struct TestPlace {
  std::string commune, department, region;
  double latitude, longitude;
};
inline const TestPlace kMarseille{"13055", "13", "93", 43.29650, 5.36980};
inline const TestPlace kNice{"06088", "06", "93", 43.70313, 7.26608};
inline const TestPlace kToulouse{"31555", "31", "76", 43.60445, 1.44420};

// An initiative revision payload valid for the hub (docs/protocol.md section 8).
inline std::string InitiativePayload(const std::string& name, const std::string& status,
                                     const TestPlace& place = kMarseille,
                                     nlohmann::json extra = nlohmann::json::object()) {
  nlohmann::json j = {{"name", name},
                      {"family", "association"},
                      {"legal_form", "association_loi_1901"},
                      {"activities", {"alimentation"}},
                      {"description", "Une initiative de test."},
                      {"commune", place.commune},
                      {"department", place.department},
                      {"region", place.region},
                      {"latitude", place.latitude},
                      {"longitude", place.longitude},
                      {"status", status},
                      {"email", "contact@example.org"},
                      {"updated_at", "2026-01-02T10:00:00Z"}};
  for (auto& [k, v] : extra.items()) j[k] = v;
  return j.dump();
}

// A region's signed log (tests/support/test_region_log.h) that also makes the batches a
// node sends to the hub.
class SignedRegionLog : public TestRegionLog {
 public:
  using TestRegionLog::TestRegionLog;

  // The batch that brings a hub holding `from` entries to `to`.
  hub::IncomingBatch Batch(std::uint64_t from, std::uint64_t to) const {
    hub::IncomingBatch b;
    b.from_tree_size = from;
    b.node_tree_size = size();
    b.checkpoint_note = SignedCheckpoint(to);
    if (from > 0 && from < to) {
      for (const auto& h : tree().ConsistencyProof(from, to)) {
        b.consistency_proof.emplace_back(h.begin(), h.end());
      }
    }
    for (std::uint64_t i = from; i < to; ++i) b.entries.push_back(Envelope(records()[i]));
    return b;
  }
  static IncomingEntry Envelope(const LogRecord& r) { return AsSent(r); }
};

// Polls `condition` every 20 ms until it holds; false if `bound` passes first.
inline bool WaitUntil(std::chrono::milliseconds bound, const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace ess::test
