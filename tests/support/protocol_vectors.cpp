#include "tests/support/protocol_vectors.h"

#include <sstream>

#include "core/checkpoint.h"
#include "core/log_entry.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"
#include "core/region_keys.h"

namespace ess::test {

namespace {

Ed25519Seed SeedFrom(std::uint8_t first) {
  Ed25519Seed seed;
  for (std::size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<std::uint8_t>(first + i);
  return seed;
}

std::string KeyIdHex(std::uint32_t id) {
  return ToHex(Bytes{static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
                     static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)});
}

struct VectorInput {
  Operation operation;
  RecordKind kind;
  int record;  // last byte of the record id
  std::uint32_t version;
  std::string payload;
};

}  // namespace

std::string ProtocolVectorsMarkdown() {
  const std::string region = "93";
  const std::string origin = RegionOrigin(kDefaultFederation, region);
  auto signer = Ed25519Signer::FromSeed(SeedFrom(0x00));
  auto next = Ed25519Signer::FromSeed(SeedFrom(0x20));
  auto hub = Ed25519Signer::FromSeed(SeedFrom(0x40));
  const std::string hub_name = std::string(kDefaultFederation) + "/hub";
  const std::int64_t t0 = 1'767'225'600'000;  // 2026-01-01T00:00:00Z

  VerifierKey next_key{origin, NoteKeyId(origin, kEd25519SignatureType, next.public_key()),
                       next.public_key()};
  const std::vector<VectorInput> inputs = {
      {Operation::kPut, RecordKind::kCharterVersion, 1, 1,
       R"({"text":"Charte régionale de l'ESS, version 1","version":1})"},
      {Operation::kPut, RecordKind::kCommitteeMembership, 2, 1,
       R"({"college":"usagers","role":"member"})"},
      {Operation::kPut, RecordKind::kInitiative, 3, 1,
       R"({"commune":"13055","family":"association","name":"Épicerie solidaire du Panier"})"},
      {Operation::kPut, RecordKind::kInitiative, 3, 2,
       R"({"commune":"13055","family":"association","name":"Épicerie solidaire du Panier","website":"https://epicerie.example"})"},
      {Operation::kPut, RecordKind::kCommitteeDecision, 4, 1,
       R"({"decision":"admit","initiative":"00000000-0000-4000-8000-000000000003","reasons":"Charte respectée"})"},
      {Operation::kPut, RecordKind::kInitiative, 5, 1,
       R"({"commune":"06088","family":"scic","name":"SCIC Énergie partagée"})"},
      {Operation::kErase, RecordKind::kInitiative, 5, 2, R"({"reason":"demande d'effacement"})"},
      {Operation::kPut, RecordKind::kKeyRotation, 6, 1, EncodeKeyRotation({next_key, 8})},
  };

  std::ostringstream md;
  md << kVectorsBegin << "\n\n";
  md << "#### Region key\n\n```text\n"
     << "seed (hex)          " << ToHex(signer.seed()) << "\n"
     << "public key (hex)    " << ToHex(signer.public_key()) << "\n"
     << "key name            " << origin << "\n"
     << "key id (hex)        " << KeyIdHex(NoteKeyId(origin, kEd25519SignatureType, signer.public_key())) << "\n"
     << "verifier key        " << FormatVerifierKey(origin, signer.public_key()) << "\n"
     << "fingerprint         " << KeyFingerprint(signer.public_key()) << "\n"
     << "next key seed (hex) " << ToHex(next.seed()) << "\n"
     << "next verifier key   " << FormatVerifierKey(origin, next.public_key()) << "\n"
     << "```\n\n";

  MemoryMerkleTree tree;
  std::vector<Bytes> entries;
  md << "#### Entries\n\n"
     << "Salt of entry i: 32 bytes of value 0x10 + i. Timestamps: 2026-01-01T00:00:00Z + i "
        "seconds. Record ids: `00000000-0000-4000-8000-0000000000NN`.\n\n";
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    const auto& in = inputs[i];
    LogEntry e;
    e.operation = in.operation;
    e.kind = in.kind;
    e.index = i;
    e.timestamp_ms = t0 + static_cast<std::int64_t>(i) * 1000;
    e.region = region;
    e.record_id = *RecordIdFromString("00000000-0000-4000-8000-0000000000" +
                                      ToHex(Bytes{static_cast<std::uint8_t>(in.record)}));
    e.record_version = in.version;
    Salt salt;
    salt.fill(static_cast<std::uint8_t>(0x10 + i));
    e.payload_commitment = PayloadCommitment(salt, AsBytes(in.payload));
    Bytes bytes = EncodeLogEntry(e);
    tree.AppendEntry(bytes);
    entries.push_back(bytes);
    md << "```text\n"
       << "entry " << i << "    " << OperationName(e.operation) << " " << RecordKindName(e.kind)
       << " " << RecordIdToString(e.record_id) << " v" << e.record_version << "\n"
       << "payload     " << in.payload << "\n"
       << "salt        " << ToHex(salt) << "\n"
       << "commitment  " << ToHex(e.payload_commitment) << "\n"
       << "entry hex   " << ToHex(bytes) << "\n"
       << "leaf hash   " << ToHex(LeafHash(bytes)) << "\n"
       << "```\n\n";
  }

  md << "#### Tree roots\n\n```text\n";
  md << "size 0  " << ToHex(EmptyTreeRoot()) << "\n";
  for (std::uint64_t n = 1; n <= tree.size(); ++n) md << "size " << n << "  " << ToHex(tree.RootAt(n)) << "\n";
  md << "```\n\n";

  md << "#### Inclusion proof of entry 5 in the tree of size 8\n\n```text\n";
  for (const auto& h : tree.InclusionProof(5, 8)) md << ToHex(h) << "\n";
  md << "```\n\n#### Consistency proof from size 3 to size 7\n\n```text\n";
  for (const auto& h : tree.ConsistencyProof(3, 7)) md << ToHex(h) << "\n";
  md << "```\n\n";

  Checkpoint cp{origin, tree.size(), tree.Root(), {}};
  std::string signed_note = SignCheckpoint(cp, signer);
  md << "#### Signed checkpoint of size 8 (by the region key; entry 7 hands over to the next "
        "key from index 8)\n\n```text\n"
     << signed_note << "```\n\n";

  auto note = *ParseNote(signed_note);
  note.signatures.push_back(Cosign(note.text, hub_name, hub, 1'767'225'660));
  md << "#### The same checkpoint cosigned by the hub at 1767225660 (hub seed: 32 bytes "
        "0x40, 0x41, ... 0x5f; key name "
     << hub_name << ")\n\n```text\n"
     << "hub public key (hex) " << ToHex(hub.public_key()) << "\n```\n\n```text\n"
     << FormatNote(note) << "```\n\n";
  md << kVectorsEnd << "\n";
  return md.str();
}

}  // namespace ess::test
