// Pure logic of replication: where a batch ends, backoff with jitter, the payload rules of
// the hub (against the common referential).
#include <doctest/doctest.h>

#include "core/referential.h"
#include "core/region_keys.h"
#include "hub/domain/payload_rules.h"
#include "node/replication/backoff.h"
#include "node/replication/batch_planner.h"
#include "tests/hub/hub_test_support.h"

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
    r.entry.kind = rotation_at && *rotation_at == i ? RecordKind::kKeyRotation : RecordKind::kInitiative;
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

TEST_CASE("payload rules follow the protocol and the referential") {
  const Referential referential = Referential::FromFile(ESS_REFERENTIAL_FILE);
  hub::PayloadRules rules(referential);
  LogEntry initiative;
  initiative.region = "93";
  initiative.kind = RecordKind::kInitiative;
  auto check = [&](const std::string& payload) { return rules.Check(initiative, ToBytes(payload)); };
  CHECK(check(test::InitiativePayload("Épicerie", "admitted")).ok());
  auto with = [](nlohmann::json extra) {
    return test::InitiativePayload("Épicerie", "admitted", test::kMarseille, std::move(extra));
  };
  CHECK(check(with({{"unknown_field", 1}})).ok());  // forward compatibility
  CHECK(check(with({{"siret", "73282932000074"}})).ok());
  CHECK(check(with({{"siret", "35600000000048"}})).ok());  // La Poste, head office (Luhn)
  CHECK(check(with({{"siret", "35600000000010"}})).ok());  // La Poste, digit sum of 15
  CHECK(check(with({{"siret", "73282932000075"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"family", "inconnue"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"legal_form", "scop"}})).code == VerdictCode::kPayloadInvalid);  // not an association
  CHECK(check(with({{"activities", nlohmann::json::array()}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"activities", {"vol"}}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"department", "06"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(test::InitiativePayload("x", "admitted", test::kToulouse)).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"latitude", 48.8}, {"longitude", -30.0}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"latitude", "43.2"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"status", "valid"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"valid_until", "2026-02-30T00:00:00Z"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"email", 42}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check(with({{"name", "É"}})).code == VerdictCode::kPayloadInvalid);
  CHECK(check("[1,2]").code == VerdictCode::kPayloadInvalid);
  CHECK(check("{").code == VerdictCode::kPayloadInvalid);
  CHECK(check(std::string("{\"name\":\"\xff\"}")).code == VerdictCode::kPayloadInvalid);

  LogEntry decision = initiative;
  decision.kind = RecordKind::kCommitteeDecision;
  const std::string decided = R"("initiative_version":1,"decided_at":"2026-01-01T00:00:00Z")";
  CHECK(
      rules
          .Check(
              decision,
              ToBytes(
                  R"({"initiative":"00000000-0000-4000-8000-000000000001","decision":"admit","votes":[{"vote":"abstain"}],)" +
                  decided + "}"))
          .ok());
  CHECK_FALSE(
      rules.Check(decision, ToBytes(R"({"initiative":"x","decision":"admit",)" + decided + "}"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(decision,
                 ToBytes(
                     R"({"initiative":"00000000-0000-4000-8000-000000000001","decision":"maybe",)" +
                     decided + "}"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(decision,
                 ToBytes(
                     R"({"initiative":"00000000-0000-4000-8000-000000000001","decision":"admit"})"))
          .ok());
  LogEntry charter = initiative;
  charter.kind = RecordKind::kCharterVersion;
  CHECK(rules.Check(charter, ToBytes(R"({"version":2,"text":"Charte","published_at":"2026-01-01T00:00:00Z"})")).ok());
  CHECK_FALSE(
      rules
          .Check(
              charter,
              ToBytes(R"({"version":"2","text":"Charte","published_at":"2026-01-01T00:00:00Z"})"))
          .ok());
  CHECK_FALSE(rules.Check(charter, ToBytes(R"({"version":2,"text":"Charte"})")).ok());
  LogEntry member = initiative;
  member.kind = RecordKind::kCommitteeMembership;
  CHECK(
      rules
          .Check(
              member,
              ToBytes(
                  R"({"member":"00000000-0000-4000-8000-000000000002","college":"usagers","role":"chair","active":true})"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(
              member,
              ToBytes(
                  R"({"member":"00000000-0000-4000-8000-000000000002","college":"usagers","role":"boss","active":true})"))
          .ok());
  CHECK_FALSE(
      rules
          .Check(member,
                 ToBytes(R"({"member":"m1","college":"usagers","role":"chair","active":true})"))
          .ok());
  LogEntry erase = initiative;
  erase.operation = Operation::kErase;
  CHECK(rules.Check(erase, ToBytes(R"({"reason":"demande"})")).ok());
  CHECK_FALSE(rules.Check(erase, ToBytes(R"({"reason":3})")).ok());
}

// Search words and cluster cells: core's, tested in tests/unit/search_query_test.cpp and
// tests/unit/geo_test.cpp.
