// Acceptance, multi-process: an adversarial gRPC client speaks for region 93 to a real
// ess-hub while a real ess-node replicates region 76 at the same time. Each bad input (a
// tampered byte, an unenrolled key, a revoked key, a replayed old entry, a gap, a fork, a
// wrong region code, garbage bytes, an oversize message) is refused with its reason, shows
// in the sync status, never reaches the national tables; region 76 is unaffected.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "proto/federation.grpc.pb.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
namespace v1 = ess::federation::v1;

namespace {

v1::NodeMessage ToMessage(const hub::IncomingBatch& b) {
  v1::NodeMessage m;
  auto* batch = m.mutable_batch();
  batch->set_checkpoint_note(b.checkpoint_note);
  batch->set_from_tree_size(b.from_tree_size);
  batch->set_node_tree_size(b.node_tree_size);
  for (const auto& h : b.consistency_proof) batch->add_consistency_proof(AsString(h));
  for (const auto& e : b.entries) {
    auto* env = batch->add_entries();
    env->set_entry(AsString(e.entry));
    env->set_payload(AsString(e.payload));
    env->set_salt(AsString(e.salt));
  }
  return m;
}

struct Exchange {
  std::optional<v1::ReplicaState> state;
  std::vector<v1::HubMessage> replies;
  grpc::Status status;

  const v1::BatchRejected* Rejection() const {
    for (const auto& r : replies) {
      if (r.has_rejected()) return &r.rejected();
    }
    return nullptr;
  }
};

// One stream: hello, the hub's state, then `batch` built from the state (if given).
class AdversarialClient {
 public:
  explicit AdversarialClient(const std::string& address) {
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(64 * 1024 * 1024);
    channel_ = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
    stub_ = v1::Replication::NewStub(channel_);
  }

  Exchange Send(const std::string& region,
                const std::function<std::optional<v1::NodeMessage>(const v1::ReplicaState&)>& batch) {
    Exchange out;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 60s);
    auto stream = stub_->Sync(&context);
    v1::NodeMessage hello;
    hello.mutable_hello()->set_region(region);
    stream->Write(hello);
    v1::HubMessage reply;
    if (stream->Read(&reply) && reply.has_state()) {
      out.state = reply.state();
      if (auto message = batch(*out.state)) stream->Write(*message);
    } else if (reply.message_case() != v1::HubMessage::MESSAGE_NOT_SET) {
      out.replies.push_back(reply);
    }
    stream->WritesDone();
    while (stream->Read(&reply)) out.replies.push_back(reply);
    out.status = stream->Finish();
    return out;
  }

 private:
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::Replication::Stub> stub_;
};

template <typename T>
T Scalar(const std::string& database, const std::string& sql) {
  pqxx::connection c(database);
  pqxx::nontransaction txn(c);
  return txn.exec(sql)[0][0].as<T>();
}

}  // namespace

TEST_CASE("adversarial inputs are refused with their reason while another region syncs") {
  TempDir dir;
  TestDatabase hub_db, occitanie_db;
  const std::string hub_url = hub_db.connection_string();
  HubProcess hub(dir, hub_url);
  SignedRegionLog paca("93", 11);
  REQUIRE(RunEssctl(dir, {"region", "enrol", "--database", hub_url, "--region", "93",
                          "--verifier-key", paca.VerifierKeyText()})
              .exit_code == 0);
  const std::string occitanie_key = MakeKey(dir, "ess-federation/region/76", "occitanie.key");
  Enrol(dir, hub_url, "76", occitanie_key);
  hub.Start();
  AdversarialClient client(hub.grpc_address());

  // A valid start: four admitted initiatives.
  for (std::uint32_t i = 0; i < 4; ++i) {
    paca.Initiative(TestRecordId(i), InitiativePayload("Honnête " + std::to_string(i), "admitted"));
  }
  Exchange ok = client.Send("93", [&](const v1::ReplicaState& s) {
    return ToMessage(paca.Batch(s.tree_size(), 4));
  });
  REQUIRE(ok.status.ok());
  REQUIRE(ok.replies.size() == 1);
  REQUIRE(ok.replies[0].has_accepted());
  const auto national_93 = [&] {
    return Scalar<std::uint64_t>(hub_url, "SELECT count(*) FROM national_initiative WHERE region = '93'");
  };
  REQUIRE(national_93() == 4);
  for (std::uint32_t i = 4; i < 8; ++i) {
    paca.Initiative(TestRecordId(i), InitiativePayload("Nouvelle " + std::to_string(i), "admitted"));
  }

  // Region 76 replicates through a real node all along.
  NodeProcess occitanie(dir, "76", occitanie_db.connection_string(), occitanie_key);
  occitanie.Start(hub.grpc_address());
  NodeJournal occitanie_journal(occitanie_db.connection_string(), "76", occitanie_key);
  std::atomic<bool> writing{true};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; writing && i < 400; ++i) {
      occitanie_journal.Append({PutInitiative(NewRecordId(), InitiativePayload("Occitanie " + std::to_string(i), "admitted", kToulouse))});
      ++written;
    }
  });
  // A failed REQUIRE unwinds through here: the writer must be joined, never left running.
  struct JoinOnExit {
    std::thread& thread;
    std::atomic<bool>& flag;
    ~JoinOnExit() {
      flag = false;
      if (thread.joinable()) thread.join();
    }
  } join_writer{writer, writing};

  int refusals = 0;
  auto refused = [&](const char* what, VerdictCode code,
                     const std::function<hub::IncomingBatch(std::uint64_t held)>& make) {
    CAPTURE(what);
    Exchange ex = client.Send("93", [&](const v1::ReplicaState& s) {
      return ToMessage(make(s.tree_size()));
    });
    const v1::BatchRejected* rejection = ex.Rejection();
    REQUIRE(rejection);
    CHECK(rejection->code() == VerdictCodeName(code));
    CHECK_FALSE(rejection->reason().empty());
    CHECK(ex.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
    ++refusals;
    auto status = hub.Region("93");
    CHECK(status["rejected_count"] == refusals);
    CHECK(status["latest_rejections"][0]["code"] == VerdictCodeName(code));
    CHECK(status["latest_rejections"][0]["reason"] == rejection->reason());
    CHECK(status["tree_size"] == 4);
    CHECK(national_93() == 4);
  };

  refused("tampered byte", VerdictCode::kBadSignature, [&](std::uint64_t held) {
    auto b = paca.Batch(held, 8);
    b.entries[2].entry[40] ^= 0x80;
    return b;
  });
  refused("unenrolled key", VerdictCode::kUnknownKey, [&](std::uint64_t held) {
    auto b = paca.Batch(held, 8);
    b.checkpoint_note = SignCheckpoint(paca.CheckpointAt(8), Ed25519Signer::FromSeed(SeedOf(0xee)));
    return b;
  });
  refused("replayed old entry", VerdictCode::kGap, [&](std::uint64_t held) {
    auto b = paca.Batch(held, 8);
    b.entries.insert(b.entries.begin(), SignedRegionLog::Envelope(paca.records()[2]));
    return b;
  });
  refused("gap", VerdictCode::kGap, [&](std::uint64_t held) {
    auto b = paca.Batch(held, 8);
    b.entries.erase(b.entries.begin());
    return b;
  });
  refused("wrong region code", VerdictCode::kWrongRegion, [&](std::uint64_t held) {
    SignedRegionLog foreign("76", 11);
    for (std::uint32_t i = 0; i < 5; ++i) foreign.Initiative(TestRecordId(i), InitiativePayload("x", "admitted", kToulouse));
    auto b = paca.Batch(held, 8);
    b.entries[0] = SignedRegionLog::Envelope(foreign.records()[4]);
    return b;
  });
  refused("garbage entry bytes", VerdictCode::kMalformed, [&](std::uint64_t held) {
    auto b = paca.Batch(held, 8);
    b.entries[0].entry = Bytes(77, 0xa5);
    return b;
  });
  refused("garbage checkpoint", VerdictCode::kMalformed, [&](std::uint64_t held) {
    auto b = paca.Batch(held, 8);
    b.checkpoint_note = "\x01\x02 pas une note \xff";
    return b;
  });
  refused("oversize message", VerdictCode::kMalformed, [&](std::uint64_t held) {
    auto b = paca.Batch(held, 8);
    b.entries[0].payload.assign(9 * 1024 * 1024, '{');
    return b;
  });
  // Beyond the transport's limit, gRPC itself refuses before the hub reads anything.
  Exchange huge = client.Send("93", [&](const v1::ReplicaState& s) {
    auto b = paca.Batch(s.tree_size(), 8);
    b.entries[0].payload.assign(20 * 1024 * 1024, '{');
    return ToMessage(b);
  });
  CHECK(huge.status.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED);

  // A key revoked by the admin signs nothing more; a new key takes over from index 4.
  REQUIRE(RunEssctl(dir, {"region", "revoke-key", "--database", hub_url, "--region", "93", "--key",
                          KeyFingerprint(paca.signer().public_key()), "--reason", "clé compromise"})
              .exit_code == 0);
  refused("revoked key", VerdictCode::kRevokedKey, [&](std::uint64_t held) { return paca.Batch(held, 8); });
  paca.set_signer(Ed25519Signer::FromSeed(SeedOf(0x33)));
  REQUIRE(RunEssctl(dir, {"region", "add-key", "--database", hub_url, "--region", "93",
                          "--verifier-key", paca.VerifierKeyText(), "--from-index", "4"})
              .exit_code == 0);

  // A stream for a region that is not enrolled is refused outright.
  Exchange unknown = client.Send("11", [](const v1::ReplicaState&) { return std::nullopt; });
  CHECK(unknown.status.error_code() == grpc::StatusCode::NOT_FOUND);

  // A fork: a tree signed by the region's valid key that does not extend the one the hub
  // holds. The region stops until an admin acts.
  refused("fork", VerdictCode::kFork, [&](std::uint64_t held) {
    SignedRegionLog other("93", 0x33);
    for (std::uint32_t i = 0; i < 8; ++i) {
      other.Initiative(TestRecordId(100 + i), InitiativePayload("Autre " + std::to_string(i), "admitted"));
    }
    return other.Batch(held, 8);
  });
  auto forked = hub.Region("93");
  CHECK(forked["status"] == "forked");
  CHECK(forked["latest_rejections"][0]["fork_evidence"] == true);
  Exchange after_fork = client.Send("93", [&](const v1::ReplicaState&) { return ToMessage(paca.Batch(4, 8)); });
  REQUIRE(after_fork.state);
  CHECK(after_fork.state->region_status() == "forked");
  CHECK(after_fork.status.error_code() == grpc::StatusCode::FAILED_PRECONDITION);
  CHECK(national_93() == 4);

  // The admin lets it go on (the region's node kept the hub's history); the new key signs.
  REQUIRE(RunEssctl(dir, {"region", "reactivate", "--database", hub_url, "--region", "93"}).exit_code == 0);
  Exchange resumed = client.Send("93", [&](const v1::ReplicaState& s) {
    return ToMessage(paca.Batch(s.tree_size(), 8));
  });
  CHECK(resumed.status.ok());
  CHECK(national_93() == 8);
  auto show = RunEssctl(dir, {"region", "show", "--database", hub_url, "--region", "93"});
  CHECK(show.exit_code == 0);
  CHECK(show.output.find("RÉVOQUÉE") != std::string::npos);
  CHECK(show.output.find("[fork]") != std::string::npos);

  // Meanwhile region 76 synced everything, without a single refusal.
  writer.join();  // all 400 written: the flag is still set
  REQUIRE(written == 400);
  CHECK(WaitUntil(60s, [&] { return hub.TreeSize("76") == 400; }));
  auto occitanie_status = hub.Region("76");
  CHECK(occitanie_status["rejected_count"] == 0);
  CHECK(occitanie_status["status"] == "active");
  CHECK(Scalar<std::uint64_t>(hub_url, "SELECT count(*) FROM national_initiative WHERE region = '76'") == 400);
  occitanie.Stop();
  hub.Stop();
}
