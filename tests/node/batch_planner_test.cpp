// Pure logic of the node's replication: where a batch ends (node/replication/batch_planner.h)
// and backoff with jitter (node/replication/backoff.h).
#include <doctest/doctest.h>

#include "node/replication/backoff.h"
#include "node/replication/batch_planner.h"

using namespace ess;
using namespace std::chrono_literals;

namespace {

std::vector<LogRecord> Records(std::uint64_t from, std::size_t n, std::size_t payload_size = 10,
                               std::optional<std::size_t> rotation_at = std::nullopt) {
  std::vector<LogRecord> out;
  for (std::size_t i = 0; i < n; ++i) {
    LogRecord r;
    r.entry.index = from + i;
    r.entry.region = "93";
    r.entry.kind =
        rotation_at && *rotation_at == i ? RecordKind::kKeyRotation : RecordKind::kInitiative;
    r.entry_bytes.assign(74, 0);
    r.payload = Bytes(payload_size, 'x');
    r.salt = Salt{};
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace

TEST_CASE("a batch ends at the largest stored checkpoint that fits") {
  auto records = Records(10, 20);
  std::vector<std::uint64_t> sizes = {12, 15, 30};
  auto end = node::PlanBatchEnd(10, records, sizes, 1024, 1 << 20);
  CHECK(end.end == 30);
  CHECK_FALSE(end.sign_checkpoint);
  end = node::PlanBatchEnd(10, records, sizes, 8, 1 << 20);  // at most 8 entries
  CHECK(end.end == 15);
  // About 3 records' worth of bytes: the checkpoint at 12.
  end = node::PlanBatchEnd(10, records, sizes, 1024, 3 * node::RecordWireSize(records[0]));
  CHECK(end.end == 12);
  // No stored checkpoint within the limits: the node signs one where the limits stop.
  end = node::PlanBatchEnd(10, records, std::vector<std::uint64_t>{30}, 4, 1 << 20);
  CHECK(end.end == 14);
  CHECK(end.sign_checkpoint);
  // One record always goes, even alone over the byte budget.
  end = node::PlanBatchEnd(10, Records(10, 2, 5000), std::vector<std::uint64_t>{11, 12}, 1024, 100);
  CHECK(end.end == 11);
}

TEST_CASE("a key rotation ends its batch, at the old key's checkpoint") {
  auto records = Records(0, 10, 10, 4);  // rotation at index 4
  auto end = node::PlanBatchEnd(0, records, std::vector<std::uint64_t>{2, 5, 10}, 1024, 1 << 20);
  CHECK(end.end == 5);
  CHECK(end.error.empty());
  end = node::PlanBatchEnd(0, records, std::vector<std::uint64_t>{2, 10}, 1024, 1 << 20);
  CHECK_FALSE(end.error.empty());  // no checkpoint right after the rotation
  // A rotation beyond the limits does not cut this batch.
  end = node::PlanBatchEnd(0, records, std::vector<std::uint64_t>{2, 3, 10}, 3, 1 << 20);
  CHECK(end.end == 3);
}

TEST_CASE("backoff grows exponentially with jitter, capped, and resets") {
  double r = 0;
  node::Backoff b(100ms, 1000ms, [&] { return r; });
  CHECK(b.Next() == 50ms);   // [50, 100]
  CHECK(b.Next() == 100ms);  // [100, 200]
  r = 0.999;
  CHECK(b.Next().count() == 399);
  for (int i = 0; i < 10; ++i) b.Next();
  CHECK(b.Next() <= 1000ms);
  CHECK(b.Next() >= 500ms);
  b.Reset();
  r = 0;
  CHECK(b.Next() == 50ms);
}
