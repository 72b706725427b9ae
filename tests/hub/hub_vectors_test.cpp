// Conformance, multi-process: the test-vector log of docs/protocol.md is a log a real ess-hub
// accepts. The test reads the vectors from the document (not from the code that generates
// them) and acts as a third-party client would, with only what the vectors and the docs
// publish: it enrols the vector region key with essctl, speaks Replication.Replicate over real
// gRPC with its own stub (hello, ReplicaState, ReplicationAuth signed with the vector seed, then
// the vector entries in two batches: up to the key rotation under the old key's checkpoint of size
// 8, then entry 8 under the next key's checkpoint of size 9), checks every receipt with the hub's
// key from GET /api/hub/key (and that essctl hub key prints that key), and checks the national API:
// the admitted initiative is on the map, the erased one is gone, and its record proof verifies with
// the vector keys.
//
// The vectors' dates are fixed: the admitted initiative's hide_after is 2027-04-01, after
// which the hub (on the real clock) rightly leaves it off the map.
#include <doctest/doctest.h>

#include <fstream>
#include <map>
#include <sstream>

#include <grpcpp/grpcpp.h>

#include "core/merkle.h"
#include "core/replication_auth.h"
#include "core/signed_note.h"
#include "core/verify.h"
#include "proto/federation.grpc.pb.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
namespace v1 = ess::federation::v1;

namespace {

constexpr const char* kVectorsRegionCode = "93";  // "Region `93`" in the vectors' preamble

// --- The vectors, as docs/protocol.md publishes them ---

// The `text` code blocks of each "#### " section between the vector markers.
std::map<std::string, std::vector<std::string>> VectorSections() {
  std::ifstream in(std::string(ESS_SOURCE_DIR) + "/docs/protocol.md");
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string doc = buffer.str();
  const auto begin = doc.find("<!-- BEGIN TEST VECTORS -->");
  const auto end = doc.find("<!-- END TEST VECTORS -->");
  if (begin == std::string::npos || end == std::string::npos) {
    throw std::runtime_error("docs/protocol.md: no test vectors");
  }
  std::istringstream lines(doc.substr(begin, end - begin));
  std::map<std::string, std::vector<std::string>> sections;
  std::string heading, block, line;
  bool in_block = false;
  while (std::getline(lines, line)) {
    if (in_block) {
      if (line == "```") {
        sections[heading].push_back(block);
        in_block = false;
      } else {
        block += line + "\n";
      }
    } else if (line.rfind("#### ", 0) == 0) {
      heading = line.substr(5);
    } else if (line == "```text") {
      block.clear();
      in_block = true;
    }
  }
  return sections;
}

// The first section whose heading starts with `prefix`.
const std::vector<std::string>& Section(
    const std::map<std::string, std::vector<std::string>>& sections, const std::string& prefix) {
  for (const auto& [heading, blocks] : sections) {
    if (heading.rfind(prefix, 0) == 0) return blocks;
  }
  throw std::runtime_error("no test-vector section « " + prefix + " »");
}

// "name      value" lines of a block: the name ends at the first two spaces.
std::map<std::string, std::string> Fields(const std::string& block) {
  std::map<std::string, std::string> out;
  std::istringstream lines(block);
  for (std::string line; std::getline(lines, line);) {
    const auto gap = line.find("  ");
    if (gap == std::string::npos) continue;
    out[line.substr(0, gap)] = line.substr(line.find_first_not_of(' ', gap));
  }
  return out;
}

Bytes Hex(const std::string& text) {
  auto bytes = FromHex(text);
  if (!bytes) throw std::runtime_error("not hex: " + text);
  return *bytes;
}

struct VectorEnvelope {
  std::uint64_t index = 0;
  Bytes entry, payload, salt;  // payload and salt empty once the record is erased
  bool erased = false;         // then it travels with the proof of entry 6, its tombstone
};

struct Vectors {
  std::string region_key, next_key;  // verifier keys
  Ed25519Seed region_seed{}, next_seed{};
  std::vector<VectorEnvelope> entries;
  std::string checkpoint_8, checkpoint_9;
  std::vector<std::string> erasure_proof;  // inclusion proof of entry 6 in the tree of size 8
  std::string root_9;
  std::string auth_challenge, auth_signature;
};

Vectors ReadVectors() {
  const auto sections = VectorSections();
  Vectors v;
  const auto& keys = Section(sections, "Keys");  // the region key, its next key, the hub's
  REQUIRE(keys.size() >= 2);
  auto seed = [](const std::string& hex) {
    Bytes b = Hex(hex);
    REQUIRE(b.size() == Ed25519Seed{}.size());
    Ed25519Seed s;
    std::copy(b.begin(), b.end(), s.begin());
    return s;
  };
  v.region_seed = seed(Fields(keys[0]).at("seed (hex)"));
  v.region_key = Fields(keys[0]).at("verifier key");
  v.next_seed = seed(Fields(keys[1]).at("seed (hex)"));
  v.next_key = Fields(keys[1]).at("verifier key");
  for (const auto& block : Section(sections, "Entries")) {
    auto f = Fields(block);
    VectorEnvelope e;
    e.index = v.entries.size();
    REQUIRE(f.count("entry " + std::to_string(e.index)));  // blocks come in log order
    e.entry = Hex(f.at("entry hex"));
    e.payload = ToBytes(f.at("payload"));
    e.salt = Hex(f.at("salt"));
    v.entries.push_back(std::move(e));
  }
  // Erased records travel without payload and salt, as a region that erased them sends them.
  for (const auto& block : Section(sections, "Record ")) {
    auto f = Fields(block);
    for (auto& e : v.entries) {
      if (ToHex(e.entry) == f.at("entry hex")) e.payload.clear(), e.salt.clear(), e.erased = true;
    }
  }
  v.checkpoint_8 = Section(sections, "Signed checkpoint of size 8").at(0);
  std::istringstream proof(Section(sections, "Inclusion proof of entry 6").at(0));
  for (std::string line; std::getline(proof, line);) {
    if (!line.empty()) v.erasure_proof.push_back(line);
  }
  v.checkpoint_9 = Section(sections, "Signed checkpoint of size 9").at(0);
  v.root_9 = Fields(Section(sections, "Tree roots").at(0)).at("size 9");
  auto auth = Fields(Section(sections, "Stream authentication").at(0));
  v.auth_challenge = auth.at("challenge (hex)");
  v.auth_signature = auth.at("signature (hex)");
  return v;
}

// --- The hub's published key, read as a third party would ---

struct PublishedHubKey {
  std::string name;
  Ed25519PublicKey key{};
};

// Parses "<name>+<key id>+<base64(0x04 || public key)>" (docs/protocol.md section 5).
PublishedHubKey ParseCosignerKey(const std::string& verifier_key) {
  const auto first = verifier_key.find('+');
  const auto second = verifier_key.find('+', first + 1);
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  PublishedHubKey out{verifier_key.substr(0, first), {}};
  auto raw = FromBase64(verifier_key.substr(second + 1));
  REQUIRE(raw);
  REQUIRE(raw->size() == 33);
  CHECK((*raw)[0] == 0x04);
  std::copy(raw->begin() + 1, raw->end(), out.key.begin());
  const std::uint32_t id = CosignerKeyId(out.name, out.key);
  CHECK(verifier_key.substr(first + 1, second - first - 1) ==
        ToHex(Bytes{static_cast<std::uint8_t>(id >> 24), static_cast<std::uint8_t>(id >> 16),
                    static_cast<std::uint8_t>(id >> 8), static_cast<std::uint8_t>(id)}));
  return out;
}

// True iff `receipt` is `checkpoint` with a valid cosignature by `hub`.
bool ReceiptVerifies(const std::string& receipt, const std::string& checkpoint,
                     const PublishedHubKey& hub) {
  auto note = ParseNote(receipt);
  auto signed_note = ParseNote(checkpoint);
  if (!note || !signed_note || note->text != signed_note->text) return false;
  for (const auto& sig : note->signatures) {
    if (sig.name == hub.name && sig.key_id == CosignerKeyId(hub.name, hub.key) &&
        VerifyCosignature(note->text, sig, hub.name, hub.key)) {
      return true;
    }
  }
  return false;
}

// --- A replication client of our own ---

v1::NodeMessage Batch(const Vectors& v, std::uint64_t from, std::uint64_t to,
                      const std::string& checkpoint) {
  v1::NodeMessage m;
  auto* batch = m.mutable_batch();
  batch->set_checkpoint_note(checkpoint);
  batch->set_from_tree_size(from);
  batch->set_node_tree_size(v.entries.size());
  if (from > 0 && from < to) {
    MemoryMerkleTree tree;  // RFC 9162 over the published entry bytes
    for (const auto& e : v.entries) tree.AppendEntry(e.entry);
    for (const auto& h : tree.ConsistencyProof(from, to)) {
      batch->add_consistency_proof(AsString(h));
    }
  }
  for (std::uint64_t i = from; i < to; ++i) {
    auto* env = batch->add_entries();
    env->set_entry(AsString(v.entries[i].entry));
    env->set_payload(AsString(v.entries[i].payload));
    env->set_salt(AsString(v.entries[i].salt));
    if (v.entries[i].erased) {
      auto* erasure = env->mutable_erasure();
      erasure->mutable_entry()->set_entry(AsString(v.entries[6].entry));
      erasure->mutable_entry()->set_payload(AsString(v.entries[6].payload));
      erasure->mutable_entry()->set_salt(AsString(v.entries[6].salt));
      for (const auto& h : v.erasure_proof) erasure->add_inclusion_proof(AsString(Hex(h)));
      erasure->set_checkpoint_note(v.checkpoint_8);
    }
  }
  return m;
}

class ReplicationStream {
 public:
  ReplicationStream(v1::Replication::Stub& stub, const std::string& region,
                    std::uint64_t tree_size) {
    context_.set_deadline(std::chrono::system_clock::now() + 60s);
    stream_ = stub.Replicate(&context_);
    v1::NodeMessage hello;
    hello.mutable_hello()->set_region(region);
    hello.mutable_hello()->set_tree_size(tree_size);
    REQUIRE(stream_->Write(hello));
    v1::HubMessage reply;
    REQUIRE(stream_->Read(&reply));
    REQUIRE(reply.has_state());
    state_ = reply.state();
  }

  const v1::ReplicaState& state() const { return state_; }

  void Authenticate(const std::string& origin, const Ed25519Seed& seed) {
    REQUIRE(state_.challenge().size() == kReplicationChallengeSize);
    ReplicationChallenge challenge;
    std::copy(state_.challenge().begin(), state_.challenge().end(), challenge.begin());
    const Bytes answer = SignReplicationChallenge(origin, Ed25519Signer::FromSeed(seed),
                                                  state_.hub_name(), challenge);
    v1::NodeMessage auth;
    auth.mutable_auth()->set_signature(AsString(answer));
    REQUIRE(stream_->Write(auth));
  }

  void Send(const v1::NodeMessage& m) { REQUIRE(stream_->Write(m)); }

  v1::HubMessage Read() {
    v1::HubMessage reply;
    if (!stream_->Read(&reply)) {
      stream_->WritesDone();
      auto status = stream_->Finish();
      FAIL("stream ended: " << status.error_code() << " " << status.error_message());
    }
    return reply;
  }

  grpc::Status Close() {
    stream_->WritesDone();
    v1::HubMessage extra;
    while (stream_->Read(&extra)) FAIL_CHECK("unexpected message after the last ack");
    return stream_->Finish();
  }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReaderWriter<v1::NodeMessage, v1::HubMessage>> stream_;
  v1::ReplicaState state_;
};

const v1::BatchAccepted& Accepted(const v1::HubMessage& reply) {
  if (reply.has_rejected()) {
    FAIL("batch rejected: " << reply.rejected().code() << " " << reply.rejected().reason());
  }
  REQUIRE(reply.has_accepted());
  return reply.accepted();
}

}  // namespace

TEST_CASE("the authentication vector is the vector region key's answer to its challenge") {
  const Vectors v = ReadVectors();
  ReplicationChallenge challenge;
  const Bytes raw = Hex(v.auth_challenge);
  REQUIRE(raw.size() == challenge.size());
  std::copy(raw.begin(), raw.end(), challenge.begin());
  auto key = ParseVerifierKey(v.region_key);
  REQUIRE(key);
  RegionKeyRing ring(key->name);
  REQUIRE(ring.Add({*key, 0, std::nullopt, false}).ok());
  const Verdict verdict = VerifyReplicationAuth(ring, kVectorsRegionCode, "ess-federation/hub",
                                                challenge, Hex(v.auth_signature));
  CHECK_MESSAGE(verdict.ok(), verdict.reason);
}

TEST_CASE("the test-vector log is a log a real hub accepts, pushed as a third party would") {
  const Vectors v = ReadVectors();
  REQUIRE(v.entries.size() == 9);
  TempDir dir;
  TestDatabase hub_db;
  HubProcess hub(dir, hub_db.connection_string());
  auto enrol = RunEssctl(dir, {"region", "enrol", "--database", hub.database(), "--region",
                               kVectorsRegionCode, "--verifier-key", v.region_key});
  REQUIRE_MESSAGE(enrol.exit_code == 0, enrol.output);
  hub.Start();

  // The hub's cosigning key, as published; essctl prints the same from the hub's key file
  // (HubProcess's first key, made by essctl keygen in `dir`).
  const nlohmann::json published = GetJson(hub.http_port(), "/api/hub/key");
  const PublishedHubKey hub_key = ParseCosignerKey(published["verifier_key"]);
  CHECK(published["name"] == hub_key.name);
  CHECK(published["public_key"] == ToBase64(hub_key.key));
  CHECK(published["fingerprint"] == KeyFingerprint(hub_key.key));
  auto shown = RunEssctl(dir, {"hub", "key", "--key-file", dir.File("hub-1.key")});
  REQUIRE(shown.exit_code == 0);
  CHECK(shown.output.find("clé de vérification : " + published["verifier_key"].get<std::string>() +
                          "\n") != std::string::npos);
  CHECK(shown.output.find("empreinte           : " + published["fingerprint"].get<std::string>() +
                          "\n") != std::string::npos);

  grpc::ChannelArguments args;
  auto channel =
      grpc::CreateCustomChannel(hub.grpc_address(), grpc::InsecureChannelCredentials(), args);
  auto stub = v1::Replication::NewStub(channel);
  const std::string origin = "ess-federation/region/" + std::string(kVectorsRegionCode);

  {
    ReplicationStream stream(*stub, kVectorsRegionCode, v.entries.size());
    CHECK(stream.state().tree_size() == 0);
    CHECK(stream.state().region_status() == "active");
    CHECK(stream.state().hub_name() == hub_key.name);
    REQUIRE(stream.state().max_batch_entries() >= 8);
    stream.Authenticate(origin, v.region_seed);
    // Up to the rotation (entry 7), under the old key's checkpoint of size 8.
    stream.Send(Batch(v, 0, 8, v.checkpoint_8));
    const auto first = Accepted(stream.Read());
    CHECK(first.tree_size() == 8);
    CHECK(first.resent_entries() == 0);
    CHECK(ReceiptVerifies(first.cosigned_checkpoint(), v.checkpoint_8, hub_key));
    // Entry 8, under the next key's checkpoint of size 9.
    stream.Send(Batch(v, 8, 9, v.checkpoint_9));
    const auto second = Accepted(stream.Read());
    CHECK(second.tree_size() == 9);
    CHECK(ReceiptVerifies(second.cosigned_checkpoint(), v.checkpoint_9, hub_key));
    CHECK(stream.Close().ok());
  }
  const nlohmann::json region = hub.Region(kVectorsRegionCode);
  CHECK(region["status"] == "active");
  CHECK(region["tree_size"] == 9);
  CHECK(region["root"] == v.root_9);
  CHECK(region["rejected_count"] == 0);
  REQUIRE(region["keys"].size() == 2);  // the rotation was followed
  CHECK(region["keys"][1]["verifier_key"] == v.next_key);
  CHECK(region["keys"][1]["valid_from_index"] == 8);

  // Re-sending the whole log on a new stream, authenticated by the next key, with both
  // batches in flight: every entry is already held, compared and skipped.
  {
    ReplicationStream stream(*stub, kVectorsRegionCode, v.entries.size());
    CHECK(stream.state().tree_size() == 9);
    stream.Authenticate(origin, v.next_seed);
    stream.Send(Batch(v, 0, 8, v.checkpoint_8));
    stream.Send(Batch(v, 8, 9, v.checkpoint_9));
    const auto first = Accepted(stream.Read());
    CHECK(first.tree_size() == 9);
    CHECK(first.resent_entries() == 8);
    const auto second = Accepted(stream.Read());
    CHECK(second.resent_entries() == 1);
    CHECK(ReceiptVerifies(second.cosigned_checkpoint(), v.checkpoint_9, hub_key));
    CHECK(stream.Close().ok());
  }
  CHECK(hub.TreeSize(kVectorsRegionCode) == 9);

  // The national map: the admitted initiative (record 3, version 2 at entry 4) is there; the
  // erased one (record 5) is not, and the pending one (record 7) is not on the map either.
  const std::string epicerie = "00000000-0000-4000-8000-000000000003";
  const auto search = GetJson(hub.http_port(), "/api/initiatives?region=93");
  REQUIRE(search["total"] == 1);
  CHECK(search["items"][0]["id"] == epicerie);
  CHECK(search["items"][0]["name"] == "Épicerie solidaire du Panier");
  CHECK(search["items"][0]["record_version"] == 2);
  CHECK(search["items"][0]["log_index"] == 4);
  CHECK(
      HttpGet(hub.http_port(), "/api/initiatives/93/00000000-0000-4000-8000-000000000005").status ==
      404);
  CHECK(GetJson(hub.http_port(), "/api/initiatives?q=energie")["total"] == 0);
  std::map<std::string, int> by_status;
  const nlohmann::json indicators = GetJson(hub.http_port(), "/api/indicators");
  for (const auto& s : indicators["by_status"]) {
    by_status[s["status"].get<std::string>()] = s["count"].get<int>();
  }
  INFO("indicators: " << indicators.dump());
  CHECK(by_status["admitted"] == 1);
  CHECK(by_status["pending"] == 1);
  CHECK(by_status["erased"] == 1);

  // Its record proof verifies with the vector keys alone (docs/hub-api.yaml's recipe).
  const auto proof = GetJson(hub.http_port(), "/api/initiatives/93/" + epicerie + "/proof");
  CHECK(proof["entry"] == ToHex(v.entries[4].entry));
  CHECK(proof["payload"] == AsString(v.entries[4].payload));
  CHECK(proof["checkpoint"] == v.checkpoint_9);
  CHECK(proof["key"] == v.next_key);
  RecordProof record;
  record.entry = Hex(proof["entry"]);
  record.payload = ToBytes(proof["payload"].get<std::string>());
  Salt salt;
  const Bytes salt_bytes = Hex(proof["salt"]);
  REQUIRE(salt_bytes.size() == salt.size());
  std::copy(salt_bytes.begin(), salt_bytes.end(), salt.begin());
  record.salt = salt;
  for (const auto& h : proof["inclusion_proof"]) {
    auto hash = HashFromHex(h.get<std::string>());
    REQUIRE(hash);
    record.inclusion_proof.push_back(*hash);
  }
  record.checkpoint_note = proof["checkpoint"];
  RegionKeyRing ring(origin);
  REQUIRE(ring.Add({*ParseVerifierKey(v.region_key), 0, std::nullopt, false}).ok());
  REQUIRE(ring.Rotate(*ParseVerifierKey(v.next_key), 8).ok());
  LogEntry entry;
  const Verdict verdict = VerifyRecordProof(record, kVectorsRegionCode, ring, &entry);
  CHECK_MESSAGE(verdict.ok(), verdict.reason);
  CHECK(entry.index == 4);
}
