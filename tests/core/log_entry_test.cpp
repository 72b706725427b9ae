#include <doctest/doctest.h>

#include <stdexcept>

#include "core/log_entry.h"
#include "core/payload_commitment.h"
#include "core/sha256.h"

using namespace ess;

namespace {
LogEntry Sample() {
  LogEntry e;
  e.operation = Operation::kPut;
  e.kind = RecordKind::kCommitteeDecision;
  e.index = 0x0102030405060708;
  e.timestamp_ms = 1'767'225'600'000;
  e.region = "93";
  e.record_id = *RecordIdFromString("0190a1b2-c3d4-4e5f-8a6b-7c8d9e0f1a2b");
  e.record_version = 3;
  e.payload_commitment = Sha256Of(std::string_view("x"));
  return e;
}
}  // namespace

TEST_CASE("entry layout is fixed: fields at their documented offsets") {
  LogEntry e = Sample();
  Bytes b = EncodeLogEntry(e);
  REQUIRE(b.size() == 74);  // 72 + "93"
  CHECK(b[0] == 1);
  CHECK(b[1] == 1);  // put
  CHECK(b[2] == 2);  // committee_decision
  CHECK(ToHex(ByteView(b).subspan(3, 8)) == "0102030405060708");
  CHECK(ToHex(ByteView(b).subspan(11, 8)) == "0000019b76daa800");  // 2026-01-01T00:00:00Z
  CHECK(b[19] == 2);
  CHECK(AsString(ByteView(b).subspan(20, 2)) == "93");
  CHECK(ToHex(ByteView(b).subspan(22, 16)) == "0190a1b2c3d44e5f8a6b7c8d9e0f1a2b");
  CHECK(ToHex(ByteView(b).subspan(38, 4)) == "00000003");
  CHECK(ByteView(b).subspan(42, 32).size() == 32);
  CHECK(Hash{} != e.payload_commitment);
  CHECK(std::equal(b.begin() + 42, b.end(), e.payload_commitment.begin()));
}

TEST_CASE("decode inverts encode, for 2- and 3-digit regions") {
  for (std::string region : {"93", "976"}) {
    LogEntry e = Sample();
    e.region = region;
    LogEntry back;
    REQUIRE(DecodeLogEntry(EncodeLogEntry(e), back).ok());
    CHECK(back == e);
  }
}

TEST_CASE("decode refuses malformed bytes with a reason") {
  Bytes good = EncodeLogEntry(Sample());
  LogEntry out;
  auto refuses = [&](Bytes b) {
    Verdict v = DecodeLogEntry(b, out);
    CHECK(v.code == VerdictCode::kMalformed);
    CHECK_FALSE(v.reason.empty());
  };
  refuses({});
  refuses(Bytes(good.begin(), good.end() - 1));  // truncated
  Bytes longer = good;
  longer.push_back(0);
  refuses(longer);
  Bytes version = good;
  version[0] = 2;
  refuses(version);
  Bytes op = good;
  op[1] = 9;
  refuses(op);
  Bytes kind = good;
  kind[2] = 0;
  refuses(kind);
  Bytes region = good;
  region[20] = 'A';
  refuses(region);
  Bytes zero_version = good;
  zero_version[41] = 0;
  refuses(zero_version);
}

TEST_CASE("encode refuses a region code that is not 2 or 3 digits") {
  LogEntry e = Sample();
  e.region = "9";
  CHECK_THROWS_AS(EncodeLogEntry(e), std::invalid_argument);
  e.region = "9a";
  CHECK_THROWS_AS(EncodeLogEntry(e), std::invalid_argument);
}

TEST_CASE("record ids: UUID text form round trips, random ids are version 4") {
  auto id = NewRecordId();
  auto text = RecordIdToString(id);
  CHECK(text.size() == 36);
  CHECK(text[14] == '4');
  CHECK(RecordIdFromString(text) == id);
  CHECK_FALSE(RecordIdFromString("not-a-uuid"));
  CHECK(NewRecordId() != id);
}

TEST_CASE("operation and kind names round trip") {
  for (auto op : {Operation::kPut, Operation::kErase}) {
    CHECK(OperationFromName(OperationName(op)) == op);
  }
  for (int k = 1; k <= 5; ++k) {
    auto kind = static_cast<RecordKind>(k);
    CHECK(RecordKindFromName(RecordKindName(kind)) == kind);
  }
  CHECK_FALSE(RecordKindFromName("initiatives"));
}

TEST_CASE("payload commitment: salted, context-bound, sensitive to every byte") {
  Salt salt;
  salt.fill(7);
  Bytes payload = ToBytes(R"({"name":"Coopérative"})");
  Hash c = PayloadCommitment(salt, payload);
  CHECK(c == Sha256()
                 .Add(std::string_view("ess-federation/payload/v1"))
                 .Add(std::uint8_t{0})
                 .Add(ByteView(salt))
                 .Add(payload)
                 .Finish());
  Salt other = salt;
  other[0] ^= 1;
  CHECK(PayloadCommitment(other, payload) != c);
  payload.back() ^= 1;
  CHECK(PayloadCommitment(salt, payload) != c);
  CHECK(NewSalt() != NewSalt());
}
