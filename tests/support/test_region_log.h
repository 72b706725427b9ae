#pragma once
// An in-memory region log for tests: a fixed-seed key, records with payloads and salts, the
// Merkle tree and signed checkpoints, built with the same core functions a node uses.

#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "core/log_entry.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"
#include "core/region_keys.h"
#include "core/region_log_verifier.h"

namespace ess::test {

inline Ed25519Seed SeedOf(std::uint8_t first) {
  Ed25519Seed seed;
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(first + i);
  return seed;
}

class TestRegionLog {
 public:
  explicit TestRegionLog(std::string region = "93", std::uint8_t seed = 0,
                         std::string federation = std::string(kDefaultFederation))
      : region_(std::move(region)),
        origin_(RegionOrigin(federation, region_)),
        signer_(Ed25519Signer::FromSeed(SeedOf(seed))) {}

  const std::string& region() const { return region_; }
  const std::string& origin() const { return origin_; }
  const Ed25519Signer& signer() const { return signer_; }
  // Later checkpoints are signed by `signer` (a rotated or a stolen key).
  void set_signer(Ed25519Signer signer) { signer_ = std::move(signer); }
  std::string VerifierKeyText() const { return FormatVerifierKey(origin_, signer_.public_key()); }
  VerifierKey verifier_key() const { return *ParseVerifierKey(VerifierKeyText()); }
  // A key ring that knows this log's key from index 0.
  RegionKeyRing KeyRing() const {
    RegionKeyRing ring(origin_);
    ring.Add({verifier_key(), 0, std::nullopt, false});
    return ring;
  }

  // Appends a record of `id` with its next version (1 for a new one). Salts and timestamps
  // depend only on the index, so two logs with the same appends hold the same bytes.
  const LogRecord& Append(RecordKind kind, const RecordId& id, const std::string& payload,
                          Operation op = Operation::kPut) {
    LogRecord rec;
    rec.entry.operation = op;
    rec.entry.kind = kind;
    rec.entry.index = records_.size();
    rec.entry.timestamp_ms = 1'767'225'600'000 + static_cast<std::int64_t>(records_.size()) * 1000;
    rec.entry.region = region_;
    rec.entry.record_id = id;
    rec.entry.record_version = 1;
    for (const auto& r : records_) {
      if (r.entry.record_id == id) rec.entry.record_version = r.entry.record_version + 1;
    }
    Salt salt;
    for (std::size_t i = 0; i < salt.size(); ++i) {
      salt[i] = static_cast<std::uint8_t>(records_.size() * 7 + i);
    }
    rec.salt = salt;
    rec.payload = ToBytes(payload);
    rec.entry.payload_commitment = PayloadCommitment(salt, *rec.payload);
    rec.entry_bytes = EncodeLogEntry(rec.entry);
    rec.leaf_hash = LeafHash(rec.entry_bytes);
    tree_.Append(rec.leaf_hash);
    records_.push_back(std::move(rec));
    return records_.back();
  }
  // A new record (its id is its index) with a JSON payload.
  const LogRecord& Append(std::string payload = R"({"name":"Épicerie solidaire"})",
                          RecordKind kind = RecordKind::kInitiative,
                          Operation op = Operation::kPut) {
    RecordId id{};
    id[15] = static_cast<std::uint8_t>(records_.size());
    return Append(kind, id, payload, op);
  }
  const LogRecord& Initiative(const RecordId& id, const std::string& payload) {
    return Append(RecordKind::kInitiative, id, payload);
  }

  // Appends bytes as they are (a forged or foreign entry).
  void AppendRaw(LogRecord rec) {
    tree_.Append(LeafHash(rec.entry_bytes));
    records_.push_back(std::move(rec));
  }

  Checkpoint CheckpointAt(std::uint64_t size) const {
    return {origin_, size, tree_.RootAt(size), {}};
  }
  std::string SignedCheckpoint(std::uint64_t size) const {
    return SignCheckpoint(CheckpointAt(size), signer_);
  }
  std::string SignedCheckpoint(std::uint64_t size, const Ed25519Signer& other) const {
    return SignCheckpoint(CheckpointAt(size), other);
  }

  // Records as a region sends them (the wire's shape: no payload and no salt once erased).
  static IncomingEntry AsSent(const LogRecord& r) {
    IncomingEntry e{r.entry_bytes, r.payload.value_or(Bytes{}), {}, std::nullopt};
    if (r.salt) e.salt.assign(r.salt->begin(), r.salt->end());
    return e;
  }
  std::vector<IncomingEntry> Incoming(std::uint64_t from, std::uint64_t to) const {
    std::vector<IncomingEntry> out;
    for (auto i = from; i < to; ++i) out.push_back(AsSent(records_[i]));
    return out;
  }

  std::vector<LogRecord>& records() { return records_; }
  const std::vector<LogRecord>& records() const { return records_; }
  const MemoryMerkleTree& tree() const { return tree_; }
  std::uint64_t size() const { return records_.size(); }

 private:
  std::string region_;
  std::string origin_;
  Ed25519Signer signer_;
  std::vector<LogRecord> records_;
  MemoryMerkleTree tree_;
};

// A replica (what a hub holds) fed from verified batches, in memory.
class TestReplica {
 public:
  ReplicaTree View() const {
    return {range_, [this](std::uint64_t i) { return leaves_.at(i); },
            [this](std::uint64_t size) {
              MemoryMerkleTree t;
              for (std::uint64_t i = 0; i < size; ++i) t.Append(leaves_.at(i));
              return t.Root();
            }};
  }
  void Apply(const BatchVerdict& verdict) {
    for (const auto& rec : verdict.new_entries) leaves_.push_back(rec.leaf_hash);
    range_ = verdict.new_range;
  }
  std::uint64_t size() const { return range_.size(); }

 private:
  CompactRange range_;
  std::vector<Hash> leaves_;
};

}  // namespace ess::test
