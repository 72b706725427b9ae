// The core payload schema (core/payload_schema.h) against the real common referential: the
// test-vector log is one a hub accepts, and the table's rules hold as documented.
#include <doctest/doctest.h>

#include "core/payload_schema.h"
#include "tests/support/protocol_vectors.h"

using namespace ess;

namespace {

const Referential& RealReferential() {
  static const Referential referential = Referential::FromFile(ESS_REFERENTIAL_FILE);
  return referential;
}

}  // namespace

TEST_CASE("every test-vector payload is valid for its kind against the real referential") {
  PayloadChecker checker(RealReferential());
  for (const auto& e : test::ProtocolVectorEntries()) {
    ParsedPayload parsed = checker.Check(e.operation, e.kind, test::kVectorsRegion, e.payload);
    CHECK_MESSAGE(parsed.verdict.ok(), RecordKindName(e.kind), ": ", parsed.verdict.reason);
    CHECK(parsed.json.is_object());
  }
}

TEST_CASE("payload schema: null is not absent, integers may be written 2.0, unknown fields pass") {
  PayloadChecker checker(RealReferential());
  auto charter = [&](const std::string& payload) {
    return checker.Check(Operation::kPut, RecordKind::kCharterVersion, "93", payload).verdict;
  };
  CHECK(charter(R"({"version":2,"text":"C","published_at":"2026-01-01T00:00:00Z"})").ok());
  CHECK(charter(R"({"version":2.0,"text":"C","published_at":"2026-01-01T00:00:00Z","x":1})").ok());
  CHECK_FALSE(charter(R"({"version":2.5,"text":"C","published_at":"2026-01-01T00:00:00Z"})").ok());
  CHECK_FALSE(
      charter(
          R"({"version":2,"text":"C","published_at":"2026-01-01T00:00:00Z","readhesion_days":null})")
          .ok());
  // Integers stay within ±(2^53 - 1): 1e22 is an integer to JSON Schema, but no reader's int64
  // holds it (the hub converted it with a cast that is undefined behaviour; found by fuzzing).
  CHECK(charter(R"({"version":9007199254740991,"text":"C","published_at":"2026-01-01T00:00:00Z"})")
            .ok());
  CHECK_FALSE(
      charter(R"({"version":9007199254740992,"text":"C","published_at":"2026-01-01T00:00:00Z"})")
          .ok());
  CHECK_FALSE(charter(R"({"version":1e22,"text":"C","published_at":"2026-01-01T00:00:00Z"})").ok());
  CHECK_FALSE(
      charter(
          R"({"version":2,"text":"C","published_at":"2026-01-01T00:00:00Z","readhesion_days":-1e22})")
          .ok());
  CHECK(charter(std::string(70 * 1024, ' ')).code == VerdictCode::kPayloadInvalid);
  Verdict missing = charter(R"({"version":2,"text":"C"})");
  CHECK(missing.code == VerdictCode::kPayloadInvalid);
  CHECK(missing.reason == "champ « published_at » manquant");
  // Erase has one schema for every kind.
  CHECK(&PayloadSchemaFor(Operation::kErase, RecordKind::kCharterVersion) ==
        &PayloadSchemaFor(Operation::kErase, RecordKind::kInitiative));
}
