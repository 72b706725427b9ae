#include "tests/support/protocol_vectors.h"

#include <functional>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"
#include "core/region_keys.h"
#include "core/replication_auth.h"

namespace ess::test {

namespace {

using nlohmann::json;

Ed25519Seed SeedFrom(std::uint8_t first) {
  Ed25519Seed seed;
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(first + i);
  return seed;
}

std::string KeyIdHex(std::uint32_t id) {
  return ToHex(Bytes{static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
                     static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)});
}

std::string RecordIdText(int record) {
  return "00000000-0000-4000-8000-0000000000" + ToHex(Bytes{static_cast<std::uint8_t>(record)});
}

// Everything the sections compute from: keys, the log's entries and its tree.
struct VectorLog {
  std::string region = kVectorsRegion;
  std::string origin = RegionOrigin(kDefaultFederation, kVectorsRegion);
  Ed25519Signer signer = Ed25519Signer::FromSeed(SeedFrom(0x00));
  Ed25519Signer next = Ed25519Signer::FromSeed(SeedFrom(0x20));
  Ed25519Signer hub = Ed25519Signer::FromSeed(SeedFrom(0x40));
  std::string hub_name = std::string(kDefaultFederation) + "/hub";
  std::vector<VectorEntry> inputs;
  std::vector<LogEntry> entries;
  std::vector<Salt> salts;
  std::vector<Bytes> entry_bytes;
  MemoryMerkleTree tree;
};

constexpr std::int64_t kT0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z
constexpr std::uint64_t kRotationIndex = 8;      // the next key signs from this index

json Initiative(std::string name, std::string family, std::string legal_form,
                std::vector<std::string> activities, std::string commune, std::string department,
                double latitude, double longitude, std::string status) {
  return {{"name", std::move(name)},
          {"family", std::move(family)},
          {"legal_form", std::move(legal_form)},
          {"activities", std::move(activities)},
          {"commune", std::move(commune)},
          {"department", std::move(department)},
          {"region", kVectorsRegion},
          {"latitude", latitude},
          {"longitude", longitude},
          {"employer", false},
          {"offers", json::array()},
          {"status", std::move(status)},
          {"created_at", "2026-01-01T00:00:02Z"},
          {"updated_at", "2026-01-01T00:00:02Z"},
          {"confirmed_at", "2026-01-01T00:00:02Z"},
          {"valid_until", "2099-01-01T00:00:02Z"},  // far ahead: the vectors never go stale
          {"hide_after", "2099-04-01T00:00:02Z"}};
}

std::vector<VectorEntry> Inputs(const VectorLog& log) {
  json charter = {{"version", 1},
                  {"text", "Charte régionale de l'ESS, version 1"},
                  {"published_at", "2026-01-01T00:00:00Z"},
                  {"readhesion_days", 60}};
  json membership = {
      {"member", RecordIdText(2)}, {"college", "usagers"}, {"role", "member"}, {"active", true}};
  json epicerie = Initiative("Épicerie solidaire du Panier", "association", "association_loi_1901",
                             {"alimentation"}, "13055", "13", 43.29888, 5.36772, "pending");
  epicerie["address"] = "12 rue du Panier";
  epicerie["postcode"] = "13002";
  epicerie["charter_version"] = 1;
  epicerie["charter_adhered_at"] = "2026-01-01T00:00:02Z";
  json decision = {{"initiative", RecordIdText(3)},
                   {"initiative_version", 1},
                   {"decision", "admit"},
                   {"reasons", "Charte respectée"},
                   {"votes",
                    {{{"member", RecordIdText(2)},
                      {"college", "usagers"},
                      {"vote", "admit"},
                      {"reason", "Charte respectée"}}}},
                   {"rule", {{"quorum", 1}, {"majority", 0.5}, {"min_colleges", 1}}},
                   {"decided_at", "2026-01-01T00:00:03Z"}};
  json admitted = epicerie;
  admitted["status"] = "admitted";
  admitted["website"] = "https://epicerie.example";
  admitted["updated_at"] = "2026-01-01T00:00:04Z";
  json scic = Initiative("SCIC Énergie partagée", "cooperative", "scic", {"energie"}, "06088", "06",
                         43.70313, 7.26608, "pending");
  scic["siret"] = "73282932000074";
  VerifierKey next_key{log.origin,
                       NoteKeyId(log.origin, kEd25519SignatureType, log.next.public_key()),
                       log.next.public_key()};
  json recyclerie = Initiative("Recyclerie du Var", "association", "association_loi_1901",
                               {"reemploi"}, "83137", "83", 43.12442, 5.92836, "pending");
  return {
      {Operation::kPut, RecordKind::kCharterVersion, 1, 1, charter.dump()},
      {Operation::kPut, RecordKind::kCommitteeMembership, 2, 1, membership.dump()},
      {Operation::kPut, RecordKind::kInitiative, 3, 1, epicerie.dump()},
      {Operation::kPut, RecordKind::kCommitteeDecision, 4, 1, decision.dump()},
      {Operation::kPut, RecordKind::kInitiative, 3, 2, admitted.dump()},
      {Operation::kPut, RecordKind::kInitiative, 5, 1, scic.dump()},
      {Operation::kErase, RecordKind::kInitiative, 5, 2,
       json{{"reason", "demande d'effacement"}}.dump()},
      {Operation::kPut, RecordKind::kKeyRotation, 6, 1,
       EncodeKeyRotation({next_key, kRotationIndex})},
      {Operation::kPut, RecordKind::kInitiative, 7, 1, recyclerie.dump()},
  };
}

VectorLog BuildLog() {
  VectorLog log;
  log.inputs = Inputs(log);
  for (std::size_t i = 0; i < log.inputs.size(); ++i) {
    const auto& in = log.inputs[i];
    LogEntry e;
    e.operation = in.operation;
    e.kind = in.kind;
    e.index = i;
    e.timestamp_ms = kT0 + static_cast<std::int64_t>(i) * 1000;
    e.region = log.region;
    e.record_id = *RecordIdFromString(RecordIdText(in.record));
    e.record_version = in.version;
    Salt salt;
    salt.fill(static_cast<std::uint8_t>(0x10 + i));
    e.payload_commitment = PayloadCommitment(salt, AsBytes(in.payload));
    Bytes bytes = EncodeLogEntry(e);
    log.tree.AppendEntry(bytes);
    log.entries.push_back(e);
    log.salts.push_back(salt);
    log.entry_bytes.push_back(std::move(bytes));
  }
  return log;
}

using Section = std::function<void(const VectorLog&, std::ostringstream&)>;

void Keys(const VectorLog& log, std::ostringstream& md) {
  md << "#### Keys\n\n```text\n"
     << "seed (hex)          " << ToHex(log.signer.seed()) << "\n"
     << "public key (hex)    " << ToHex(log.signer.public_key()) << "\n"
     << "key name            " << log.origin << "\n"
     << "key id (hex)        "
     << KeyIdHex(NoteKeyId(log.origin, kEd25519SignatureType, log.signer.public_key())) << "\n"
     << "verifier key        " << FormatVerifierKey(log.origin, log.signer.public_key()) << "\n"
     << "signer key          " << FormatSignerKey(log.origin, log.signer) << "\n"
     << "fingerprint         " << KeyFingerprint(log.signer.public_key()) << "\n"
     << "```\n\n"
     << "The region's next key (it signs from index " << kRotationIndex << "):\n\n```text\n"
     << "seed (hex)          " << ToHex(log.next.seed()) << "\n"
     << "verifier key        " << FormatVerifierKey(log.origin, log.next.public_key()) << "\n"
     << "signer key          " << FormatSignerKey(log.origin, log.next) << "\n"
     << "fingerprint         " << KeyFingerprint(log.next.public_key()) << "\n"
     << "```\n\n"
     << "The hub's cosigning key (key name " << log.hub_name << "). Its verifier key has the "
     << "algorithm byte 0x04 of C2SP tlog-cosignature, hence its key id; the signer key is the "
     << "hub's key file, in the signed-note format (0x01):\n\n```text\n"
     << "seed (hex)          " << ToHex(log.hub.seed()) << "\n"
     << "public key (hex)    " << ToHex(log.hub.public_key()) << "\n"
     << "verifier key        " << FormatCosignerVerifierKey(log.hub_name, log.hub.public_key())
     << "\n"
     << "signer key          " << FormatSignerKey(log.hub_name, log.hub) << "\n"
     << "fingerprint         " << KeyFingerprint(log.hub.public_key()) << "\n"
     << "```\n\n";
}

void Entries(const VectorLog& log, std::ostringstream& md) {
  md << "#### Entries\n\n"
     << "Salt of entry i: 32 bytes of value 0x10 + i. Timestamps: 2026-01-01T00:00:00Z + i "
        "seconds. Record ids: `00000000-0000-4000-8000-0000000000NN`. Every payload is valid "
        "for its kind (`docs/schemas/`) against the common referential, so the log is one a "
        "hub accepts.\n\n";
  for (std::size_t i = 0; i < log.entries.size(); ++i) {
    const LogEntry& e = log.entries[i];
    md << "```text\n"
       << "entry " << i << "    " << OperationName(e.operation) << " " << RecordKindName(e.kind)
       << " " << RecordIdToString(e.record_id) << " v" << e.record_version << "\n"
       << "payload     " << log.inputs[i].payload << "\n"
       << "salt        " << ToHex(log.salts[i]) << "\n"
       << "commitment  " << ToHex(e.payload_commitment) << "\n"
       << "entry hex   " << ToHex(log.entry_bytes[i]) << "\n"
       << "leaf hash   " << ToHex(LeafHash(log.entry_bytes[i])) << "\n"
       << "```\n\n";
  }
}

void ErasedRecord(const VectorLog& log, std::ostringstream& md) {
  const int record = log.inputs[6].record;
  md << "#### Record " << RecordIdText(record) << " after its erasure (entry 6)\n\n"
     << "Every holder deleted the payload and salt of the record's put entries; the tombstone "
        "(entry 6) keeps its payload, which holds nothing personal. An erased entry travels "
        "(protobuf `LogEntryEnvelope`) and is served with empty payload and salt, and its bytes "
        "and leaf hash are unchanged, so the roots and proofs above still hold. It travels with "
        "`erasure`: entry 6 as above, with the inclusion proof below, in the signed checkpoint "
        "of size 8.\n\n";
  for (std::size_t i = 0; i < log.entries.size(); ++i) {
    if (log.inputs[i].record != record || log.entries[i].operation != Operation::kPut) continue;
    md << "```text\n"
       << "entry " << i << "    " << OperationName(log.entries[i].operation) << " "
       << RecordKindName(log.entries[i].kind) << " " << RecordIdText(record) << " v"
       << log.entries[i].record_version << "\n"
       << "entry hex   " << ToHex(log.entry_bytes[i]) << "\n"
       << "payload     (empty)\n"
       << "salt        (empty)\n"
       << "leaf hash   " << ToHex(LeafHash(log.entry_bytes[i])) << "\n"
       << "```\n\n";
  }
  md << "#### Inclusion proof of entry 6 in the tree of size 8 (the erasure proof)\n\n```text\n";
  for (const auto& h : log.tree.InclusionProof(6, 8)) md << ToHex(h) << "\n";
  md << "```\n\n";
}

void Roots(const VectorLog& log, std::ostringstream& md) {
  md << "#### Tree roots\n\n```text\n";
  md << "size 0  " << ToHex(EmptyTreeRoot()) << "\n";
  for (std::uint64_t n = 1; n <= log.tree.size(); ++n) {
    md << "size " << n << "  " << ToHex(log.tree.RootAt(n)) << "\n";
  }
  md << "```\n\n";
}

void Proofs(const VectorLog& log, std::ostringstream& md) {
  md << "#### Inclusion proof of entry 5 in the tree of size 8\n\n```text\n";
  for (const auto& h : log.tree.InclusionProof(5, 8)) md << ToHex(h) << "\n";
  md << "```\n\n#### Consistency proof from size 3 to size 7\n\n```text\n";
  for (const auto& h : log.tree.ConsistencyProof(3, 7)) md << ToHex(h) << "\n";
  md << "```\n\n#### Consistency proof from size 4 to size 8 (from a power of two: the old "
        "root is a node of the new tree, so it is not repeated)\n\n```text\n";
  for (const auto& h : log.tree.ConsistencyProof(4, 8)) md << ToHex(h) << "\n";
  md << "```\n\n";
}

void Checkpoints(const VectorLog& log, std::ostringstream& md) {
  Checkpoint eight{log.origin, kRotationIndex, log.tree.RootAt(kRotationIndex), {}};
  std::string signed_eight = SignCheckpoint(eight, log.signer);
  md << "#### Signed checkpoint of size 8 (by the region key; entry 7 hands over to the next "
        "key from index 8)\n\n```text\n"
     << signed_eight << "```\n\n";

  auto note = *ParseNote(signed_eight);
  note.signatures.push_back(Cosign(note.text, log.hub_name, log.hub, 1'767'225'660));
  md << "#### The same checkpoint cosigned by the hub at 1767225660\n\n```text\n"
     << FormatNote(note) << "```\n\n";

  Checkpoint nine{log.origin, log.tree.size(), log.tree.Root(), {}};
  md << "#### Signed checkpoint of size 9 (by the next key: it covers index 8)\n\n```text\n"
     << SignCheckpoint(nine, log.next) << "```\n\n";
}

// The answer a node gives to a fixed challenge (docs/protocol.md section 7.1).
void SyncAuthChallenge(const VectorLog& log, std::ostringstream& md) {
  ReplicationChallenge challenge;
  for (std::size_t i = 0; i < challenge.size(); ++i) {
    challenge[i] = static_cast<std::uint8_t>(0x60 + i);
  }
  const std::string message = ReplicationAuthMessage(log.origin, log.hub_name, challenge);
  std::string escaped;
  for (char c : message) escaped += c == '\n' ? std::string("\\n") : std::string(1, c);
  md << "#### Stream authentication (ReplicationAuth) by the region key\n\n"
     << "The hub's `ReplicaState` carries the challenge and the hub's name; the node signs the "
        "message below (every line ends with a newline, 0x0A) and answers "
        "`ReplicationAuth.signature` = "
        "key id (4 bytes) || Ed25519 signature (64 bytes). Ed25519 is deterministic, so the "
        "answer is fixed.\n\n```text\n"
     << "challenge (hex)     " << ToHex(challenge) << "\n"
     << "hub name            " << log.hub_name << "\n"
     << "signed message      \"" << escaped << "\"\n"
     << "signed message hex  " << ToHex(AsBytes(message)) << "\n"
     << "signature (hex)     "
     << ToHex(SignReplicationChallenge(log.origin, log.signer, log.hub_name, challenge)) << "\n"
     << "```\n\n";
}

}  // namespace

std::vector<VectorEntry> ProtocolVectorEntries() { return BuildLog().inputs; }

std::string ProtocolVectorsMarkdown() {
  const VectorLog log = BuildLog();
  const std::vector<Section> sections = {Keys,   Entries,     ErasedRecord,     Roots,
                                         Proofs, Checkpoints, SyncAuthChallenge};
  std::ostringstream md;
  md << kVectorsBegin << "\n\n";
  for (const Section& section : sections) section(log, md);
  md << kVectorsEnd << "\n";
  return md.str();
}

}  // namespace ess::test
