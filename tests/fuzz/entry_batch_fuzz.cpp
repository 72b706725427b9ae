// Fuzz target: entry decoding and VerifyBatch (core/log_entry.h, core/region_log_verifier.h).
// The input is a batch (batch_fixture.h) sent to a replica of the test-vector log. Properties:
//   - every entry that decodes is re-encoded to the same bytes (one encoding per entry);
//   - an accepted batch is the genuine one: its checkpoint text is a checkpoint of the genuine
//     log, every signature by an enrolled key of the region is the genuine signature, its new
//     entries, payloads and salts are the genuine ones at their indexes, every erasure proof
//     shows the genuine erase entry, and the replica's new tree is the genuine tree;
//   - an accepted batch with one byte altered in its region signature, in one entry or in one
//     payload is refused.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/batch_fixture.h"

namespace {

using namespace ess;
using fuzz::Check;

const fuzz::VectorFixture& Fixture() {
  static const fuzz::VectorFixture* fixture = new fuzz::VectorFixture();
  return *fixture;
}

void CheckEntryRoundTrip(ByteView bytes) {
  LogEntry entry;
  if (!DecodeLogEntry(bytes, entry).ok()) return;
  Bytes again = EncodeLogEntry(entry);
  Check(again.size() == bytes.size() && std::equal(again.begin(), again.end(), bytes.begin()),
        "DecodeLogEntry then EncodeLogEntry gives other bytes");
}

BatchVerdict Verify(const fuzz::FuzzBatch& b, const RegionKeyRing& ring,
                    const ReplicaTree& replica) {
  return VerifyBatch(replica, ring, Fixture().log.region(), b.note, b.from, b.proof, b.entries,
                     [](const LogEntry&, ByteView) { return Verdict::Ok(); });
}

// The signatures of a note by the ring's keys are the genuine ones for its text.
void CheckGenuineNote(const std::string& note_text, const RegionKeyRing& ring) {
  const fuzz::VectorFixture& f = Fixture();
  auto note = ParseNote(note_text);
  Check(note.has_value(), "accepted note does not parse");
  Checkpoint cp;
  Check(ParseCheckpointText(note->text, cp).ok(), "accepted note is not a checkpoint");
  Check(cp.size <= f.log.size() && note->text == f.log.CheckpointAt(cp.size).Text(),
        "accepted checkpoint is not one of the genuine log");
  for (const NoteSignature& sig : note->signatures) {
    if (sig.name != ring.origin() || !ring.FindByKeyId(sig.key_id)) continue;
    const Ed25519Signer& signer =
        sig.key_id == f.Key(f.first_signer).key_id ? f.first_signer : f.next_signer;
    Check(sig.signature == SignNoteText(note->text, sig.name, signer).signature,
          "accepted note carries a signature bytes other than the genuine ones");
  }
}

void CheckGenuine(const fuzz::FuzzBatch& b, const BatchVerdict& v, const RegionKeyRing& ring) {
  const fuzz::VectorFixture& f = Fixture();
  const std::uint64_t held = fuzz::HeldEntries(b.replica);
  CheckGenuineNote(b.note, ring);
  const auto& records = f.log.records();
  for (std::size_t k = 0; k < v.new_entries.size(); ++k) {
    const LogRecord& got = v.new_entries[k];
    const std::uint64_t index = held + k;
    Check(index < records.size() && got.entry.index == index, "new entry at a wrong index");
    const LogRecord& want = records[index];
    Check(got.entry_bytes == want.entry_bytes && got.entry == want.entry &&
              got.leaf_hash == want.leaf_hash,
          "accepted entry bytes are not the genuine ones");
    if (got.payload) {
      Check(*got.payload == *want.payload && got.salt == want.salt,
            "accepted payload or salt is not the genuine one");
    }
  }
  const std::uint64_t size = std::max<std::uint64_t>(held, v.checkpoint.size);
  Check(v.new_range.size() == size && v.new_range.Root() == f.log.tree().RootAt(size),
        "the replica's tree after the batch is not the genuine one");
  for (const IncomingEntry& in : b.entries) {
    if (!in.erased() || !in.erasure) continue;
    LogEntry put;
    if (!DecodeLogEntry(in.entry, put).ok() || put.index < held) continue;  // re-sent, skipped
    LogEntry tombstone;
    Check(DecodeLogEntry(in.erasure->entry, tombstone).ok() && tombstone.index < records.size() &&
              in.erasure->entry == records[tombstone.index].entry_bytes &&
              tombstone.operation == Operation::kErase,
          "accepted erasure proof is not a genuine erase entry");
    CheckGenuineNote(in.erasure->checkpoint_note, ring);
  }
}

// One byte of the accepted batch altered: the batch must be refused.
void CheckAlterations(const fuzz::FuzzBatch& b, const RegionKeyRing& ring,
                      const ReplicaTree& replica, const std::uint8_t* data, std::size_t size) {
  auto note = ParseNote(b.note);
  for (std::size_t s = 0; s < note->signatures.size(); ++s) {
    if (note->signatures[s].name != ring.origin()) continue;
    if (!ring.FindByKeyId(note->signatures[s].key_id)) continue;
    fuzz::FuzzBatch altered = b;
    Note n = *note;
    Bytes& sig = n.signatures[s].signature;
    sig[fuzz::Pick(data, size, s, sig.size())] ^=
        static_cast<std::uint8_t>(1 + fuzz::Pick(data, size, s + 100, 255));
    altered.note = FormatNote(n);
    Check(!Verify(altered, ring, replica).verdict.ok(),
          "VerifyBatch accepted a batch whose signature bytes were altered");
  }
  if (b.entries.empty()) return;
  const std::size_t k = fuzz::Pick(data, size, 1, b.entries.size());
  {
    fuzz::FuzzBatch altered = b;
    Bytes& entry = altered.entries[k].entry;
    entry[fuzz::Pick(data, size, 2, entry.size())] ^= 0x01;
    Check(!Verify(altered, ring, replica).verdict.ok(),
          "VerifyBatch accepted a batch with an altered entry");
  }
  if (!b.entries[k].payload.empty()) {
    fuzz::FuzzBatch altered = b;
    Bytes& payload = altered.entries[k].payload;
    payload[fuzz::Pick(data, size, 3, payload.size())] ^= 0x20;
    LogEntry decoded;
    DecodeLogEntry(b.entries[k].entry, decoded);
    // A re-sent entry's payload is not read (the held entry is compared instead).
    if (decoded.index >= fuzz::HeldEntries(b.replica)) {
      Check(!Verify(altered, ring, replica).verdict.ok(),
            "VerifyBatch accepted a batch with an altered payload");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto batch = fuzz::DecodeFuzzBatch(data, size);
  if (!batch) return -1;  // not a batch: kept out of the corpus
  for (const IncomingEntry& e : batch->entries) {
    CheckEntryRoundTrip(e.entry);
    if (e.erasure) CheckEntryRoundTrip(e.erasure->entry);
  }
  const RegionKeyRing ring = Fixture().Ring(batch->replica);
  const ReplicaTree replica = Fixture().Replica(batch->replica);
  BatchVerdict v = Verify(*batch, ring, replica);
  if (!v.verdict.ok()) {
    Check(v.new_entries.empty() && v.new_nodes.empty() && !v.rotation,
          "a refused batch still has entries to store");
    return 0;
  }
  CheckGenuine(*batch, v, ring);
  CheckAlterations(*batch, ring, replica, data, size);
  return 0;
}
