#pragma once
// The fixture of the entry_batch fuzz target and of its seeds: the log of docs/protocol.md's
// test vectors (9 entries of region 93, every record kind, an erasure at index 6 and a key
// rotation at index 7 that hands index 8 to the next key), the replicas a batch may be sent
// to, and the byte layout of a batch as a fuzz input:
//   u8 replica (ReplicaState, modulo 3), u64 from, u16+note, u8 count + 32-byte proof hashes,
//   u8 entry count, then per entry: u16+entry, u16+payload, u8+salt, u8 has_erasure and, when
//   set, the erasure proof: u16+entry, u8 has_payload [u16+payload], u8+salt, u8 count +
//   hashes, u16+note.
// Integers big-endian, "u16+x" a length then the bytes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/region_log_verifier.h"
#include "tests/fuzz/fuzz_support.h"
#include "tests/support/protocol_vectors.h"
#include "tests/support/test_region_log.h"

namespace ess::fuzz {

inline constexpr std::uint64_t kRotationIndex = 8;  // the vector log's next key signs from 8

// What the replica already holds when the batch arrives.
enum class ReplicaState : std::uint8_t { kEmpty = 0, kThree = 1, kBeforeLast = 2 };
inline std::uint64_t HeldEntries(ReplicaState s) {
  return s == ReplicaState::kEmpty ? 0 : s == ReplicaState::kThree ? 3 : kRotationIndex;
}

inline RecordId VectorRecordId(int record) {
  RecordId id = *RecordIdFromString("00000000-0000-4000-8000-000000000000");
  id[15] = static_cast<std::uint8_t>(record);
  return id;
}

// The genuine log, signed by the first key up to size 8 and by the next key for size 9.
struct VectorFixture {
  test::TestRegionLog log;
  Ed25519Signer first_signer = Ed25519Signer::FromSeed(test::SeedOf(0x00));
  Ed25519Signer next_signer = Ed25519Signer::FromSeed(test::SeedOf(0x20));

  VectorFixture() : log("93", 0x00) {
    for (const auto& e : test::ProtocolVectorEntries()) {
      log.Append(e.kind, VectorRecordId(e.record), e.payload, e.operation);
    }
  }
  const Ed25519Signer& SignerFor(std::uint64_t size) const {
    return size > kRotationIndex ? next_signer : first_signer;
  }
  std::string Note(std::uint64_t size) const { return log.SignedCheckpoint(size, SignerFor(size)); }
  // A checkpoint with an extension line, signed by the first key too (a signed_note seed).
  Checkpoint Extended() const {
    Checkpoint cp = log.CheckpointAt(4);
    cp.extensions = {"ess-extension value"};
    return cp;
  }
  // True for the text of a checkpoint the region signed: one of the log's, or Extended().
  bool IsSignedText(std::string_view text) const {
    for (std::uint64_t size = 0; size <= log.size(); ++size) {
      if (text == log.CheckpointAt(size).Text()) return true;
    }
    return text == Extended().Text();
  }
  VerifierKey Key(const Ed25519Signer& signer) const {
    return *ParseVerifierKey(FormatVerifierKey(log.origin(), signer.public_key()));
  }
  RegionKeyRing Ring(ReplicaState s) const {
    RegionKeyRing ring(log.origin());
    if (s == ReplicaState::kBeforeLast) {
      ring.Add({Key(first_signer), 0, kRotationIndex, false});
      ring.Add({Key(next_signer), kRotationIndex, std::nullopt, false});
    } else {
      ring.Add({Key(first_signer), 0, std::nullopt, false});
    }
    return ring;
  }
  // The replica holding the first HeldEntries(s) entries.
  ReplicaTree Replica(ReplicaState s) const {
    CompactRange range;
    for (std::uint64_t i = 0; i < HeldEntries(s); ++i) range.Append(log.records()[i].leaf_hash);
    return {range, [this](std::uint64_t i) { return log.records().at(i).leaf_hash; },
            [this](std::uint64_t size) { return log.tree().RootAt(size); }};
  }
  // The proof that the erase entry of `erase_index` is in the tree of `size`.
  RecordProof ErasureProof(std::uint64_t erase_index, std::uint64_t size) const {
    const LogRecord& r = log.records()[erase_index];
    return {r.entry_bytes, r.payload, r.salt, log.tree().InclusionProof(erase_index, size),
            Note(size)};
  }
};

struct FuzzBatch {
  ReplicaState replica = ReplicaState::kEmpty;
  std::uint64_t from = 0;
  std::string note;
  std::vector<Hash> proof;
  std::vector<IncomingEntry> entries;
};

inline void WriteHashes(InputWriter& w, const std::vector<Hash>& hashes) {
  w.Uint(hashes.size(), 1);
  for (const Hash& h : hashes) w.Blob(h, 0);
}

inline Bytes EncodeFuzzBatch(const FuzzBatch& b) {
  InputWriter w;
  w.Uint(static_cast<std::uint8_t>(b.replica), 1);
  w.Uint(b.from, 8);
  w.Text(b.note, 2);
  WriteHashes(w, b.proof);
  w.Uint(b.entries.size(), 1);
  for (const IncomingEntry& e : b.entries) {
    w.Blob(e.entry, 2);
    w.Blob(e.payload, 2);
    w.Blob(e.salt, 1);
    w.Uint(e.erasure ? 1 : 0, 1);
    if (!e.erasure) continue;
    w.Blob(e.erasure->entry, 2);
    w.Uint(e.erasure->payload ? 1 : 0, 1);
    if (e.erasure->payload) w.Blob(*e.erasure->payload, 2);
    w.Blob(e.erasure->salt ? ByteView(*e.erasure->salt) : ByteView(), 1);
    WriteHashes(w, e.erasure->inclusion_proof);
    w.Text(e.erasure->checkpoint_note, 2);
  }
  return w.bytes();
}

inline std::vector<Hash> ReadHashes(InputReader& r) {
  std::vector<Hash> out(static_cast<std::size_t>(r.Uint(1)));
  for (Hash& h : out) {
    for (auto& byte : h) byte = static_cast<std::uint8_t>(r.Uint(1));
  }
  return out;
}

// nullopt when the input is not a whole batch (too short, or bytes left over).
inline std::optional<FuzzBatch> DecodeFuzzBatch(const std::uint8_t* data, std::size_t size) {
  InputReader r(data, size);
  FuzzBatch b;
  b.replica = static_cast<ReplicaState>(r.Uint(1) % 3);
  b.from = r.Uint(8);
  b.note = r.Text(2);
  b.proof = ReadHashes(r);
  const std::size_t count = static_cast<std::size_t>(r.Uint(1));
  for (std::size_t i = 0; i < count && r.ok(); ++i) {
    IncomingEntry e;
    e.entry = r.Blob(2);
    e.payload = r.Blob(2);
    e.salt = r.Blob(1);
    if (r.Uint(1) & 1) {
      RecordProof proof;
      proof.entry = r.Blob(2);
      if (r.Uint(1) & 1) proof.payload = r.Blob(2);
      Bytes salt = r.Blob(1);
      if (salt.size() == kSaltSize) {
        proof.salt.emplace();
        std::copy(salt.begin(), salt.end(), proof.salt->begin());
      }
      proof.inclusion_proof = ReadHashes(r);
      proof.checkpoint_note = r.Text(2);
      e.erasure = std::move(proof);
    }
    b.entries.push_back(std::move(e));
  }
  if (!r.ok() || !r.at_end()) return std::nullopt;
  return b;
}

// The genuine batches the seeds are made of: each is accepted by VerifyBatch.
inline std::vector<FuzzBatch> GenuineBatches(const VectorFixture& f) {
  auto sent = [&f](std::uint64_t from, std::uint64_t to) { return f.log.Incoming(from, to); };
  std::vector<FuzzBatch> out;
  out.push_back({ReplicaState::kEmpty, 0, f.Note(8), {}, sent(0, 8)});
  FuzzBatch erased{ReplicaState::kEmpty, 0, f.Note(8), {}, sent(0, 8)};
  erased.entries[5].payload.clear();  // entry 5 (a put) travels erased by entry 6
  erased.entries[5].salt.clear();
  erased.entries[5].erasure = f.ErasureProof(6, 8);
  out.push_back(std::move(erased));
  out.push_back({ReplicaState::kEmpty, 0, f.Note(3), {}, sent(0, 3)});
  out.push_back(
      {ReplicaState::kThree, 3, f.Note(8), f.log.tree().ConsistencyProof(3, 8), sent(3, 8)});
  out.push_back(
      {ReplicaState::kThree, 1, f.Note(8), f.log.tree().ConsistencyProof(1, 8), sent(1, 8)});
  out.push_back(
      {ReplicaState::kBeforeLast, 8, f.Note(9), f.log.tree().ConsistencyProof(8, 9), sent(8, 9)});
  out.push_back({ReplicaState::kBeforeLast, 8, f.Note(8), {}, {}});
  return out;
}

}  // namespace ess::fuzz
