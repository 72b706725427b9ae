// Every Verify outcome from a constructed case, for single checks and for replication batches.
#include <doctest/doctest.h>

#include <cctype>

#include "core/verify.h"
#include "tests/support/test_region_log.h"

using namespace ess;
using test::TestRegionLog;
using test::TestReplica;

namespace {

BatchVerdict Batch(const TestReplica& replica, const RegionKeyRing& keys, const TestRegionLog& log,
                   const std::string& note, std::uint64_t from, std::uint64_t to,
                   const PayloadCheck& check = {}) {
  std::uint64_t n = 0;
  Checkpoint cp;
  if (auto parsed = ParseNote(note); parsed && ParseCheckpointText(parsed->text, cp).ok()) {
    n = cp.size;
  }
  std::vector<Hash> proof;
  if (from <= n && n <= log.size()) proof = log.tree().ConsistencyProof(from, n);
  auto entries = log.Incoming(from, to);
  return VerifyBatch(replica.View(), keys, log.region(), note, from, proof, entries, check);
}

BatchVerdict Batch(const TestReplica& replica, const RegionKeyRing& keys, const TestRegionLog& log,
                   std::uint64_t to) {
  return Batch(replica, keys, log, log.SignedCheckpoint(to), replica.size(), to);
}

}  // namespace

TEST_CASE("verdict codes have stable names") {
  CHECK(VerdictCodeName(VerdictCode::kOk) == "ok");
  CHECK(VerdictCodeName(VerdictCode::kUnknownKey) == "unknown_key");
  CHECK(VerdictCodeName(VerdictCode::kPayloadMismatch) == "payload_mismatch");
}

TEST_CASE("VerifyCheckpointNote: ok, malformed, wrong region, unknown, revoked, retired, bad signature") {
  TestRegionLog log;
  log.Append();
  Checkpoint cp;
  CHECK(VerifyCheckpointNote(log.SignedCheckpoint(1), log.KeyRing(), cp).ok());
  CHECK(cp.size == 1);

  CHECK(VerifyCheckpointNote("garbage", log.KeyRing(), cp).code == VerdictCode::kMalformed);

  TestRegionLog other("76");
  other.Append();
  CHECK(VerifyCheckpointNote(other.SignedCheckpoint(1), log.KeyRing(), cp).code ==
        VerdictCode::kWrongRegion);

  auto stranger = Ed25519Signer::FromSeed(test::SeedOf(50));
  Verdict unknown = VerifyCheckpointNote(log.SignedCheckpoint(1, stranger), log.KeyRing(), cp);
  CHECK(unknown.code == VerdictCode::kUnknownKey);
  CHECK(unknown.reason.find("aucune signature") != std::string::npos);

  RegionKeyRing revoked = log.KeyRing();
  REQUIRE(revoked.Revoke(log.verifier_key().key_id));
  CHECK(VerifyCheckpointNote(log.SignedCheckpoint(1), revoked, cp).code == VerdictCode::kRevokedKey);

  RegionKeyRing retired(log.origin());
  retired.Add({log.verifier_key(), 0, 1, false});  // may sign index 0 only
  CHECK(VerifyCheckpointNote(log.SignedCheckpoint(1), retired, cp).ok());
  log.Append();
  Verdict late = VerifyCheckpointNote(log.SignedCheckpoint(2), retired, cp);
  CHECK(late.code == VerdictCode::kRevokedKey);
  CHECK(late.reason.find("validité") != std::string::npos);

  // A flipped bit in the signature of a known key.
  auto note = *ParseNote(log.SignedCheckpoint(2));
  note.signatures[0].signature[0] ^= 1;
  CHECK(VerifyCheckpointNote(FormatNote(note), log.KeyRing(), cp).code ==
        VerdictCode::kBadSignature);
  // The same signature over another text.
  auto swapped = *ParseNote(log.SignedCheckpoint(2));
  swapped.text = log.CheckpointAt(1).Text();
  CHECK(VerifyCheckpointNote(FormatNote(swapped), log.KeyRing(), cp).code ==
        VerdictCode::kBadSignature);
}

TEST_CASE("VerifyCheckpointNote ignores cosignatures and unknown extra signers") {
  TestRegionLog log;
  log.Append();
  auto note = *ParseNote(log.SignedCheckpoint(1));
  auto hub = Ed25519Signer::FromSeed(test::SeedOf(100));
  note.signatures.push_back(Cosign(note.text, "ess-federation/hub", hub, 5));
  note.signatures.insert(note.signatures.begin(),
                         SignNoteText(note.text, log.origin(), Ed25519Signer::FromSeed(test::SeedOf(9))));
  Checkpoint cp;
  CHECK(VerifyCheckpointNote(FormatNote(note), log.KeyRing(), cp).ok());
}

TEST_CASE("VerifyEntry and VerifyPayload: malformed, wrong region, payload mismatch") {
  TestRegionLog log;
  const LogRecord& rec = log.Append();
  LogEntry e;
  CHECK(VerifyEntry(rec.entry_bytes, "93", e).ok());
  CHECK(VerifyEntry(rec.entry_bytes, "76", e).code == VerdictCode::kWrongRegion);
  CHECK(VerifyEntry(ToBytes("garbage"), "93", e).code == VerdictCode::kMalformed);
  CHECK(VerifyPayload(rec.entry, *rec.payload, *rec.salt).ok());
  Bytes changed = *rec.payload;
  changed[2] ^= 1;
  CHECK(VerifyPayload(rec.entry, changed, *rec.salt).code == VerdictCode::kPayloadMismatch);
  Salt salt = *rec.salt;
  salt[0] ^= 1;
  CHECK(VerifyPayload(rec.entry, *rec.payload, salt).code == VerdictCode::kPayloadMismatch);
}

TEST_CASE("record proofs verify offline, and still verify once the payload is erased") {
  TestRegionLog log;
  for (int i = 0; i < 7; ++i) log.Append(R"({"name":"Initiative )" + std::to_string(i) + "\"}");
  const LogRecord& rec = log.records()[4];
  RecordProof proof{rec.entry_bytes, rec.payload, rec.salt, log.tree().InclusionProof(4, 7),
                    log.SignedCheckpoint(7)};
  LogEntry out;
  CHECK(VerifyRecordProof(proof, "93", log.KeyRing(), &out).ok());
  CHECK(out.index == 4);

  RecordProof erased = proof;
  erased.payload.reset();
  erased.salt.reset();
  CHECK(VerifyRecordProof(erased, "93", log.KeyRing()).ok());

  RecordProof half = proof;
  half.salt.reset();
  CHECK(VerifyRecordProof(half, "93", log.KeyRing()).code == VerdictCode::kMalformed);

  RecordProof tampered = proof;
  tampered.payload->back() ^= 1;
  CHECK(VerifyRecordProof(tampered, "93", log.KeyRing()).code == VerdictCode::kPayloadMismatch);

  RecordProof wrong_leaf = proof;
  wrong_leaf.entry = log.records()[3].entry_bytes;
  CHECK(VerifyRecordProof(wrong_leaf, "93", log.KeyRing()).code == VerdictCode::kBadSignature);

  RecordProof short_proof = proof;
  short_proof.inclusion_proof.pop_back();
  CHECK(VerifyRecordProof(short_proof, "93", log.KeyRing()).code == VerdictCode::kBadSignature);
}

TEST_CASE("VerifyBatch accepts a log in several batches, and resent entries change nothing") {
  TestRegionLog log;
  for (int i = 0; i < 10; ++i) log.Append();
  TestReplica replica;
  RegionKeyRing keys = log.KeyRing();
  for (std::uint64_t to : {3, 4, 10}) {
    auto v = Batch(replica, keys, log, to);
    REQUIRE_MESSAGE(v.verdict.ok(), v.verdict.reason);
    CHECK(v.new_entries.size() == to - replica.size());
    replica.Apply(v);
    CHECK(replica.size() == to);
  }
  CHECK(replica.View().range.Root() == log.tree().Root());

  // The whole log again (an at-least-once retry): nothing new, nothing refused.
  auto again = Batch(replica, keys, log, log.SignedCheckpoint(10), 0, 10);
  REQUIRE(again.verdict.ok());
  CHECK(again.new_entries.empty());
  CHECK(again.resent_entries == 10);
  // An old checkpoint with its old entries: consistent with what is held, nothing new.
  auto old = Batch(replica, keys, log, log.SignedCheckpoint(4), 2, 4);
  CHECK(old.verdict.ok());
  CHECK(old.new_entries.empty());
}

TEST_CASE("VerifyBatch: gap") {
  TestRegionLog log;
  for (int i = 0; i < 6; ++i) log.Append();
  TestReplica replica;
  auto skipped = Batch(replica, log.KeyRing(), log, log.SignedCheckpoint(6), 1, 6);
  CHECK(skipped.verdict.code == VerdictCode::kGap);
  CHECK(skipped.failed_index == 0);  // the entry the replica waits for
  CHECK(skipped.new_entries.empty());

  auto entries = log.Incoming(0, 6);
  entries.erase(entries.begin() + 3);
  auto hole = VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(6), 0,
                          log.tree().ConsistencyProof(0, 6), entries, {});
  CHECK(hole.verdict.code == VerdictCode::kGap);
  CHECK(hole.failed_index == 4);

  auto short_batch = Batch(replica, log.KeyRing(), log, log.SignedCheckpoint(6), 0, 5);
  CHECK(short_batch.verdict.code == VerdictCode::kGap);
}

TEST_CASE("VerifyBatch: a fork only on signed evidence; other mismatches refuse the batch") {
  TestRegionLog log;
  for (int i = 0; i < 4; ++i) log.Append();
  TestReplica replica;
  replica.Apply(Batch(replica, log.KeyRing(), log, 4));

  // The same region key signs another history (e.g. a node restored from an old backup).
  TestRegionLog forked;
  for (int i = 0; i < 3; ++i) forked.Append();
  forked.Append(R"({"name":"autre chose"})");
  forked.Append();
  // Evidence: two signed trees of one size with different roots.
  auto same_size = Batch(replica, log.KeyRing(), forked, forked.SignedCheckpoint(4), 4, 4);
  CHECK(same_size.verdict.code == VerdictCode::kFork);
  CHECK(same_size.fork_evidence_size == 4);

  // A re-sent entry with other bytes under an authentic checkpoint: entries are not signed one
  // by one, so this proves nothing (the replayed-checkpoint forgery): refused, no fork.
  auto resent = Batch(replica, log.KeyRing(), log, log.SignedCheckpoint(4), 3, 4);
  REQUIRE(resent.verdict.ok());
  auto other_bytes = VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(4), 3,
                                 log.tree().ConsistencyProof(3, 4), forked.Incoming(3, 4), {});
  CHECK(other_bytes.verdict.code == VerdictCode::kEntryMismatch);
  CHECK(other_bytes.failed_index == 3);
  CHECK_FALSE(other_bytes.fork_evidence_size);

  // From a power-of-two size the proof does not reveal the old root: a proof that does not
  // lead to the signed root is a bad proof, whatever the reason.
  auto longer = VerifyBatch(replica.View(), log.KeyRing(), "93", forked.SignedCheckpoint(5), 4,
                            forked.tree().ConsistencyProof(4, 5), forked.Incoming(4, 5), {});
  CHECK(longer.verdict.code == VerdictCode::kBadProof);

  // An older checkpoint of another history: the replica's own tree at that size differs.
  TestRegionLog early_fork;
  early_fork.Append();
  early_fork.Append(R"({"name":"réécrit"})");
  auto older = Batch(replica, log.KeyRing(), early_fork, early_fork.SignedCheckpoint(2), 0, 0);
  CHECK(older.verdict.code == VerdictCode::kFork);
  CHECK(older.fork_evidence_size == 2);
}

TEST_CASE("VerifyBatch: a signed tree whose proven prefix is not the held tree is a fork") {
  TestRegionLog log;
  for (int i = 0; i < 3; ++i) log.Append();
  TestReplica replica;
  replica.Apply(Batch(replica, log.KeyRing(), log, 3));
  TestRegionLog forked;
  forked.Append();
  forked.Append(R"({"name":"autre histoire"})");
  for (int i = 0; i < 4; ++i) forked.Append();
  // From size 3 (not a power of two) the proof recomputes both roots: the signed root of 6 and
  // a root of 3 that is not the replica's.
  auto v = VerifyBatch(replica.View(), log.KeyRing(), "93", forked.SignedCheckpoint(6), 3,
                       forked.tree().ConsistencyProof(3, 6), forked.Incoming(3, 6), {});
  CHECK(v.verdict.code == VerdictCode::kFork);
  CHECK(v.fork_evidence_size == 3);
  CHECK(v.new_entries.empty());
}

TEST_CASE(
    "VerifyBatch: wrong, missing or lengthened consistency proofs are refused, never a fork") {
  TestRegionLog log;
  for (int i = 0; i < 7; ++i) log.Append();
  TestReplica replica;
  replica.Apply(Batch(replica, log.KeyRing(), log, 3));
  const std::string note = log.SignedCheckpoint(7);
  auto entries = log.Incoming(3, 7);
  auto good = log.tree().ConsistencyProof(3, 7);
  REQUIRE(
      VerifyBatch(replica.View(), log.KeyRing(), "93", note, 3, good, entries, {}).verdict.ok());

  auto wrong = good;
  wrong[1][0] ^= 1;
  auto longer = good;
  longer.push_back(good.back());
  auto shorter = good;
  shorter.pop_back();
  for (const auto& proof : {wrong, longer, shorter, std::vector<Hash>{}}) {
    auto v = VerifyBatch(replica.View(), log.KeyRing(), "93", note, 3, proof, entries, {});
    CHECK(v.verdict.code == VerdictCode::kBadProof);
    CHECK_FALSE(v.fork_evidence_size);
  }
  // A proof where none is due (no new entries, or from the empty tree).
  CHECK(VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(3), 3, good, {}, {})
            .verdict.code == VerdictCode::kBadProof);
  TestReplica empty;
  CHECK(VerifyBatch(empty.View(), log.KeyRing(), "93", log.SignedCheckpoint(2), 0,
                    log.tree().ConsistencyProof(1, 2), log.Incoming(0, 2), {})
            .verdict.code == VerdictCode::kBadProof);
}

TEST_CASE("VerifyBatch: re-sent entries below the replica's size are compared and skipped") {
  TestRegionLog log;
  for (int i = 0; i < 6; ++i) log.Append();
  TestReplica replica;
  replica.Apply(Batch(replica, log.KeyRing(), log, 4));
  // From 2: entries 2 and 3 are held (skipped), 4 and 5 are new.
  auto v = Batch(replica, log.KeyRing(), log, log.SignedCheckpoint(6), 2, 6);
  REQUIRE_MESSAGE(v.verdict.ok(), v.verdict.reason);
  CHECK(v.resent_entries == 2);
  REQUIRE(v.new_entries.size() == 2);
  CHECK(v.new_entries[0].entry.index == 4);
  // Above the replica's size: a gap.
  auto ahead = Batch(replica, log.KeyRing(), log, log.SignedCheckpoint(6), 5, 6);
  CHECK(ahead.verdict.code == VerdictCode::kGap);
  // Entries must start at from_tree_size.
  auto misaligned = VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(6), 2,
                                log.tree().ConsistencyProof(2, 6), log.Incoming(3, 6), {});
  CHECK(misaligned.verdict.code == VerdictCode::kMalformed);
  // A checkpoint note larger than any real one is refused unread.
  std::string huge = log.SignedCheckpoint(6) + std::string(kMaxCheckpointNoteBytes, 'x');
  CHECK(VerifyBatch(replica.View(), log.KeyRing(), "93", huge, 4, {}, {}, {}).verdict.code ==
        VerdictCode::kMalformed);
}

TEST_CASE("VerifyBatch: wrong region, malformed, payload mismatch, payload invalid, tampered entry") {
  TestRegionLog log;
  for (int i = 0; i < 3; ++i) log.Append();
  TestReplica replica;

  TestRegionLog other("76");
  other.Append();
  auto foreign = VerifyBatch(replica.View(), log.KeyRing(), "93", other.SignedCheckpoint(1), 0, {},
                             other.Incoming(0, 1), {});
  CHECK(foreign.verdict.code == VerdictCode::kWrongRegion);

  // A region-76 entry inside a correctly signed region-93 tree.
  TestRegionLog mixed;
  mixed.Append();
  LogRecord stray = other.records()[0];
  stray.entry.index = 1;
  stray.entry_bytes = EncodeLogEntry(stray.entry);
  mixed.AppendRaw(stray);
  auto stray_v = Batch(replica, mixed.KeyRing(), mixed, 2);
  CHECK(stray_v.verdict.code == VerdictCode::kWrongRegion);
  CHECK(stray_v.failed_index == 1);

  auto garbage = log.Incoming(0, 3);
  garbage[1].entry = ToBytes("\x01garbage");
  auto g = VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(3), 0,
                       log.tree().ConsistencyProof(0, 3), garbage, {});
  CHECK(g.verdict.code == VerdictCode::kMalformed);

  auto tampered_payload = log.Incoming(0, 3);
  tampered_payload[2].payload.at(3) ^= 1;
  auto p = VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(3), 0,
                       log.tree().ConsistencyProof(0, 3), tampered_payload, {});
  CHECK(p.verdict.code == VerdictCode::kPayloadMismatch);
  CHECK(p.failed_index == 2);

  auto tampered_entry = log.Incoming(0, 3);
  tampered_entry[1].entry[15] ^= 1;  // a timestamp byte: still well formed, no longer signed
  auto t = VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(3), 0,
                       log.tree().ConsistencyProof(0, 3), tampered_entry, {});
  CHECK(t.verdict.code == VerdictCode::kBadSignature);

  PayloadCheck refuse_second = [](const LogEntry& e, ByteView) {
    return e.index == 1 ? Verdict::Fail(VerdictCode::kPayloadInvalid, "commune inconnue")
                        : Verdict::Ok();
  };
  auto invalid = Batch(replica, log.KeyRing(), log, log.SignedCheckpoint(3), 0, 3, refuse_second);
  CHECK(invalid.verdict.code == VerdictCode::kPayloadInvalid);
  CHECK(invalid.verdict.reason.find("commune inconnue") != std::string::npos);
  CHECK(invalid.failed_index == 1);
  CHECK(invalid.new_entries.empty());  // nothing of a refused batch is to be stored

  auto oversize = log.Incoming(0, 3);
  std::vector<IncomingEntry> too_many(kMaxBatchEntries + 1, oversize[0]);
  auto m = VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(3), 0, {},
                       too_many, {});
  CHECK(m.verdict.code == VerdictCode::kMalformed);
}

TEST_CASE("VerifyBatch accepts an erased revision only with the proof of its tombstone") {
  TestRegionLog log;
  for (int i = 0; i < 3; ++i) log.Append();
  const RecordId erased_id = log.records()[1].entry.record_id;
  log.Append(RecordKind::kInitiative, erased_id, R"({"reason":"demande d'effacement"})",
             Operation::kErase);
  log.Append();
  auto entries = log.Incoming(0, 5);
  entries[1].payload.clear();
  entries[1].salt.clear();
  TestReplica replica;
  auto batch = [&](const std::vector<IncomingEntry>& e) {
    return VerifyBatch(replica.View(), log.KeyRing(), "93", log.SignedCheckpoint(5), 0, {}, e, {});
  };
  // Without the tombstone's proof, a revision without payload is refused: a region cannot
  // keep a live record off the national map by leaving its payload out.
  auto bare = batch(entries);
  CHECK(bare.verdict.code == VerdictCode::kPayloadInvalid);
  CHECK(bare.failed_index == 1);

  const LogRecord& tomb = log.records()[3];
  RecordProof erasure{tomb.entry_bytes, tomb.payload, tomb.salt, log.tree().InclusionProof(3, 4),
                      log.SignedCheckpoint(4)};
  entries[1].erasure = erasure;
  auto v = batch(entries);
  REQUIRE_MESSAGE(v.verdict.ok(), v.verdict.reason);
  CHECK_FALSE(v.new_entries[1].payload);

  // The proof must be of this record's erase entry, signed by the region.
  const LogRecord& other = log.records()[2];
  entries[1].erasure = RecordProof{other.entry_bytes, other.payload, other.salt,
                                   log.tree().InclusionProof(2, 4), log.SignedCheckpoint(4)};
  CHECK(batch(entries).verdict.code == VerdictCode::kPayloadInvalid);
  RecordProof forged = erasure;
  forged.checkpoint_note = log.SignedCheckpoint(4, Ed25519Signer::FromSeed(test::SeedOf(99)));
  entries[1].erasure = forged;
  CHECK(batch(entries).verdict.code == VerdictCode::kPayloadInvalid);
  // A tombstone keeps its payload.
  entries[1].erasure = erasure;
  entries[3].payload.clear();
  entries[3].salt.clear();
  entries[3].erasure = erasure;
  CHECK(batch(entries).verdict.code == VerdictCode::kPayloadInvalid);

  entries = log.Incoming(0, 5);
  entries[1].salt.clear();  // payload without salt
  auto unsalted = batch(entries);
  CHECK(unsalted.verdict.code == VerdictCode::kMalformed);
  CHECK(unsalted.failed_index == 1);
}

TEST_CASE("VerifyBatch refuses a salt of the wrong size before anything else, as a shape error") {
  TestRegionLog log;
  for (int i = 0; i < 3; ++i) log.Append();
  TestReplica replica;
  auto entries = log.Incoming(0, 3);
  entries[2].salt.pop_back();
  // Even under a checkpoint no key of the region signed: the shape is checked first.
  const std::string forged = log.SignedCheckpoint(3, Ed25519Signer::FromSeed(test::SeedOf(99)));
  auto v = VerifyBatch(replica.View(), log.KeyRing(), "93", forged, 0, {}, entries, {});
  CHECK(v.verdict.code == VerdictCode::kMalformed);
  CHECK(v.verdict.reason == "sel de " + std::to_string(kSaltSize - 1) + " octets, attendu " +
                                std::to_string(kSaltSize));
  CHECK(v.failed_index == 2);
  // An entry that does not even decode has no index to name.
  entries[2].entry = ToBytes("garbage");
  CHECK_FALSE(
      VerifyBatch(replica.View(), log.KeyRing(), "93", forged, 0, {}, entries, {}).failed_index);
}

TEST_CASE("key rotation: signed by the old key, then only the new key signs") {
  TestRegionLog log;
  log.Append();
  auto next = Ed25519Signer::FromSeed(test::SeedOf(77));
  VerifierKey next_key = *ParseVerifierKey(FormatVerifierKey(log.origin(), next.public_key()));
  log.Append(EncodeKeyRotation({next_key, 2}), RecordKind::kKeyRotation);
  RegionKeyRing keys = log.KeyRing();
  TestReplica replica;

  auto v = Batch(replica, keys, log, 2);
  REQUIRE_MESSAGE(v.verdict.ok(), v.verdict.reason);
  REQUIRE(v.rotation);
  CHECK(v.rotation->from_index == 2);
  replica.Apply(v);
  REQUIRE(keys.Rotate(v.rotation->next_key, v.rotation->from_index).ok());

  log.Append();
  auto by_new = Batch(replica, keys, log, log.SignedCheckpoint(3, next), 2, 3);
  CHECK(by_new.verdict.ok());
  // The retired key may no longer sign beyond its range: a backdated signature is refused.
  auto by_old = Batch(replica, keys, log, log.SignedCheckpoint(3), 2, 3);
  CHECK(by_old.verdict.code == VerdictCode::kRevokedKey);
  // Checkpoints it signed inside its range still verify.
  Checkpoint cp;
  CHECK(VerifyCheckpointNote(log.SignedCheckpoint(2), keys, cp).ok());
}

TEST_CASE("key rotation must end its batch and take effect right after it") {
  TestRegionLog log;
  auto next = Ed25519Signer::FromSeed(test::SeedOf(77));
  VerifierKey next_key = *ParseVerifierKey(FormatVerifierKey(log.origin(), next.public_key()));
  log.Append(EncodeKeyRotation({next_key, 5}), RecordKind::kKeyRotation);
  log.Append();
  TestReplica replica;
  auto not_last = Batch(replica, log.KeyRing(), log, 2);
  CHECK(not_last.verdict.code == VerdictCode::kPayloadInvalid);
  auto wrong_from = Batch(replica, log.KeyRing(), log, 1);
  CHECK(wrong_from.verdict.code == VerdictCode::kPayloadInvalid);

  TestRegionLog garbled;
  garbled.Append("not json", RecordKind::kKeyRotation);
  CHECK(Batch(replica, garbled.KeyRing(), garbled, 1).verdict.code == VerdictCode::kPayloadInvalid);

  // The same key with its key id in upper case is read by ParseVerifierKey, but a signed record
  // holds one spelling of it (what the payload fuzz target found).
  std::string text = FormatVerifierKey(log.origin(), next.public_key());
  const auto id = text.find('+') + 1;
  for (std::size_t i = id; i < id + 8; ++i) text[i] = static_cast<char>(std::toupper(text[i]));
  REQUIRE(text != FormatVerifierKey(log.origin(), next.public_key()));
  REQUIRE(ParseVerifierKey(text));
  CHECK_FALSE(IsCanonicalVerifierKey(text));
  TestRegionLog upper;
  upper.Append(R"({"from_index":1,"next_key":")" + text + R"("})", RecordKind::kKeyRotation);
  auto refused = Batch(replica, upper.KeyRing(), upper, 1);
  CHECK(refused.verdict.code == VerdictCode::kPayloadInvalid);
  CHECK(refused.verdict.reason.find("canonique") != std::string::npos);
}
