// Acceptance of protocol 1.0, multi-process: a hostile client on a real ess-hub's gRPC port runs
// every row of the error table of docs/protocol.md (section 7.2), and the table's columns are
// checked against what the hub does (status, BatchRejected code, recorded in the replication
// status, entry quarantined, region state). Meanwhile region 76 replicates through a real node and
// region 93's real node keeps replicating: the attacks on 93 (a replayed checkpoint with a
// forged entry, a bad consistency proof with good entries, an unauthenticated hello claiming a
// huge lag, floods of garbage, 100 stalled half-sent messages) leave it syncing without any
// admin action, with hub memory and database size within the documented bounds.
#include <doctest/doctest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "core/log_store.h"
#include "core/replication_auth.h"
#include "proto/federation.grpc.pb.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
namespace v1 = ess::federation::v1;

namespace {

constexpr std::size_t kMaxMessageBytes = 4 * 1024 * 1024;  // the hub's default
constexpr std::size_t kMaxRejectionsKept = 10;             // set below for the test
const TestPlace kNantes{"44109", "44", "52", 47.21840, -1.55360};

// --- The error table, as docs/protocol.md publishes it ---

struct Row {
  std::string status;  // gRPC status name
  std::string code;    // BatchRejected code, or "—"
  std::string recorded, quarantined, region;
  bool exercised_elsewhere = false;  // the condition names the test that exercises it
};

std::string Unquote(std::string cell) {
  cell.erase(std::remove(cell.begin(), cell.end(), '`'), cell.end());
  const auto b = cell.find_first_not_of(' '), e = cell.find_last_not_of(' ');
  return b == std::string::npos ? "" : cell.substr(b, e - b + 1);
}

std::map<std::string, Row> ErrorTable() {
  std::ifstream in(std::string(ESS_SOURCE_DIR) + "/docs/protocol.md");
  std::map<std::string, Row> rows;
  const std::regex row_line(R"(^\| *([SBA]\d\d) *\|(.*)\|(.*)\|(.*)\|(.*)\|(.*)\|(.*)\|\s*$)");
  for (std::string line; std::getline(in, line);) {
    std::smatch m;
    if (!std::regex_match(line, m, row_line)) continue;
    rows[m[1]] = {Unquote(m[3]), Unquote(m[4]), Unquote(m[5]),
                  Unquote(m[6]), Unquote(m[7]), m[2].str().find("(hub_") != std::string::npos};
  }
  return rows;
}

std::string StatusName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "OK";
    case grpc::StatusCode::CANCELLED: return "CANCELLED";
    case grpc::StatusCode::INVALID_ARGUMENT: return "INVALID_ARGUMENT";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "DEADLINE_EXCEEDED";
    case grpc::StatusCode::NOT_FOUND: return "NOT_FOUND";
    case grpc::StatusCode::PERMISSION_DENIED: return "PERMISSION_DENIED";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "RESOURCE_EXHAUSTED";
    case grpc::StatusCode::FAILED_PRECONDITION: return "FAILED_PRECONDITION";
    case grpc::StatusCode::UNAVAILABLE: return "UNAVAILABLE";
    case grpc::StatusCode::UNAUTHENTICATED: return "UNAUTHENTICATED";
    default: return "code " + std::to_string(static_cast<int>(code));
  }
}

std::string StatusNameOf(const std::string& number) {
  return StatusName(static_cast<grpc::StatusCode>(std::stoi(number)));
}

// --- A client that does what a node would not ---

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

struct Script {
  std::optional<v1::NodeMessage> first = std::nullopt;  // sent instead of the hello
  std::uint64_t hello_tree_size = 0;
  std::optional<NamedSigner> auth = std::nullopt;  // answers the challenge with this key
  std::function<std::vector<v1::NodeMessage>(const v1::ReplicaState&)> then = nullptr;
};

struct Exchange {
  std::optional<v1::ReplicaState> state;
  std::vector<v1::HubMessage> replies;
  grpc::Status status;

  std::string Code() const {
    for (const auto& r : replies) {
      if (r.has_rejected()) return r.rejected().code();
    }
    return "—";
  }
  bool Accepted() const {
    return std::any_of(replies.begin(), replies.end(), [](auto& r) { return r.has_accepted(); });
  }
};

class HostileClient {
 public:
  explicit HostileClient(const std::string& address) {
    grpc::ChannelArguments args;
    args.SetMaxSendMessageSize(64 * 1024 * 1024);
    channel_ = grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
    stub_ = v1::Replication::NewStub(channel_);
  }

  Exchange Talk(const std::string& region, const Script& script) {
    Exchange out;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 60s);
    auto stream = stub_->Replicate(&context);
    if (script.first) {
      stream->Write(*script.first);
    } else {
      v1::NodeMessage hello;
      hello.mutable_hello()->set_region(region);
      hello.mutable_hello()->set_tree_size(script.hello_tree_size);
      stream->Write(hello);
      v1::HubMessage reply;
      if (stream->Read(&reply) && reply.has_state()) {
        out.state = reply.state();
        if (script.auth) stream->Write(AuthOf(*script.auth, *out.state));
        if (script.then) {
          for (const auto& m : script.then(*out.state)) stream->Write(m);
        }
      } else if (reply.message_case() != v1::HubMessage::MESSAGE_NOT_SET) {
        out.replies.push_back(reply);
      }
    }
    stream->WritesDone();
    v1::HubMessage reply;
    while (stream->Read(&reply)) out.replies.push_back(reply);
    out.status = stream->Finish();
    return out;
  }

  static v1::NodeMessage AuthOf(const NamedSigner& key, const v1::ReplicaState& state) {
    ReplicationChallenge challenge{};
    std::copy_n(state.challenge().begin(), std::min(state.challenge().size(), challenge.size()),
                challenge.begin());
    Bytes answer = SignReplicationChallenge(key.name, key.signer, state.hub_name(), challenge);
    v1::NodeMessage m;
    m.mutable_auth()->set_signature(AsString(answer));
    return m;
  }

  v1::Replication::Stub& stub() { return *stub_; }

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

std::size_t RssBytes(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stoull(line.substr(6)) * 1024;
  }
  return 0;
}

std::string OnPath(const std::string& program) {
  std::string path = std::getenv("PATH") ? std::getenv("PATH") : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= path.size();) {
    auto end = path.find(':', start);
    if (end == std::string::npos) end = path.size();
    const std::string candidate = path.substr(start, end - start) + "/" + program;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    start = end + 1;
  }
  throw std::runtime_error(program + " introuvable dans PATH");
}

// Runs tests/hub/raw_grpc_client.mjs (HTTP/2 below gRPC) and returns its JSON answer.
nlohmann::json RawClient(const TempDir& dir, std::vector<std::string> args) {
  static int runs = 0;
  const std::string log = dir.File("raw-" + std::to_string(++runs) + ".out");
  args.insert(args.begin(), std::string(ESS_SOURCE_DIR) + "/tests/hub/raw_grpc_client.mjs");
  ChildProcess p(OnPath("node"), args, log);
  auto code = p.Wait(120s);
  REQUIRE_MESSAGE(code == 0, ReadFile(log));
  return nlohmann::json::parse(ReadFile(log));
}

}  // namespace

TEST_CASE("a hostile client runs every row of the error table while two real nodes replicate") {
  TempDir dir;
  TestDatabase hub_db, paca_db, occitanie_db;
  const std::string hub_url = hub_db.connection_string();
  HubProcess hub(dir, hub_url,
                 {"--handshake-timeout-ms", "3000", "--max-rejections-kept",
                  std::to_string(kMaxRejectionsKept), "--max-streams-per-region", "2"});
  const std::string paca_key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  const std::string occitanie_key = MakeKey(dir, "ess-federation/region/76", "occitanie.key");
  Enrol(dir, hub_url, "93", paca_key);
  Enrol(dir, hub_url, "76", occitanie_key);
  // Region 52 has no node: the hostile client holds its key, to reach every batch check.
  SignedRegionLog pdl("52", 52);
  const NamedSigner pdl_key{pdl.origin(), pdl.signer()};
  REQUIRE(RunEssctl(dir, {"region", "enrol", "--database", hub_url, "--region", "52",
                          "--verifier-key", pdl.VerifierKeyText()})
              .exit_code == 0);
  hub.Start();
  HostileClient client(hub.grpc_address());
  const auto table = ErrorTable();
  REQUIRE(table.size() >= 25);
  std::set<std::string> exercised;

  auto snapshot = [&](const std::string& region) { return hub.Region(region); };
  // Runs one exchange for `row` and checks every column of the table against what happened.
  auto row = [&](const std::string& id, const std::string& region,
                 const std::function<Exchange()>& run) {
    CAPTURE(id);
    REQUIRE(table.count(id));
    const Row& want = table.at(id);
    // The previous row's streams have left their handshake places (their release follows the
    // client's status; on a loaded machine the next row could find the connection's share
    // still taken and get S10's RESOURCE_EXHAUSTED instead of its own answer).
    REQUIRE(WaitUntil(10s, [&] { return hub.ReplicationStreams("handshake") == 0; }));
    const auto before = snapshot(region);
    Exchange ex = run();
    const auto after = snapshot(region);
    CAPTURE(ex.status.error_message());
    CHECK(StatusName(ex.status.error_code()) == want.status);
    CHECK(ex.Code() == want.code);
    const bool recorded = after["rejected_count"] != before["rejected_count"];
    CHECK((recorded ? "yes" : "no") == want.recorded);
    const bool quarantined = recorded && after["latest_rejections"][0]["quarantined_entry"] == true;
    CHECK((quarantined ? "yes" : "no") == want.quarantined);
    CHECK((after["status"] == "forked" ? "forked" : "unchanged") == want.region);
    if (recorded) {
      CHECK(after["rejected_count"].get<int>() == before["rejected_count"].get<int>() + 1);
      CHECK(after["latest_rejections"][0]["code"] == ex.Code());
      CHECK(after["latest_rejections"][0]["message_bytes"].get<std::uint64_t>() > 0);
      CHECK(after["latest_rejections"][0]["message_sha256"].get<std::string>().size() == 64);
    }
    exercised.insert(id);
    return ex;
  };

  // Two real nodes replicate all along: 76 writes continuously, 93 in bursts.
  NodeProcess occitanie(dir, "76", occitanie_db.connection_string(), occitanie_key);
  occitanie.Start(hub.grpc_address());
  NodeProcess paca(dir, "93", paca_db.connection_string(), paca_key);
  paca.Start(hub.grpc_address());
  NodeJournal occitanie_journal(occitanie_db.connection_string(), "76", occitanie_key);
  NodeJournal paca_journal(paca_db.connection_string(), "93", paca_key);
  std::atomic<bool> writing{true};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; writing && i < 300; ++i) {
      occitanie_journal.Append(
          {PutInitiative(NewRecordId(), InitiativePayload("Occitanie " + std::to_string(i),
                                                          "admitted", kToulouse))});
      ++written;
    }
  });
  struct JoinOnExit {
    std::thread& thread;
    std::atomic<bool>& flag;
    ~JoinOnExit() {
      flag = false;
      if (thread.joinable()) thread.join();
    }
  } join_writer{writer, writing};
  auto paca_writes = [&](int count, const std::string& name) {
    for (int i = 0; i < count; ++i) {
      paca_journal.Append({PutInitiative(
          NewRecordId(), InitiativePayload(name + " " + std::to_string(i), "admitted"))});
    }
    const std::uint64_t head = paca_journal.Head().size();
    REQUIRE(WaitUntil(60s, [&] { return hub.TreeSize("93") == head; }));
    return head;
  };
  paca_writes(6, "Provence");

  // --- Region 52, authenticated: the batch rows ---
  for (std::uint32_t i = 0; i < 4; ++i) {
    pdl.Initiative(TestRecordId(i, 52),
                   InitiativePayload("Loire " + std::to_string(i), "admitted", kNantes));
  }
  auto batch = [&](std::function<hub::IncomingBatch(std::uint64_t held)> make) {
    return [&client, &pdl_key, make] {
      return client.Talk("52",
                         {.auth = pdl_key, .then = [&](const v1::ReplicaState& s) {
                            return std::vector<v1::NodeMessage>{ToMessage(make(s.tree_size()))};
                          }});
    };
  };
  Exchange first = row("A01", "52", batch([&](std::uint64_t held) { return pdl.Batch(held, 4); }));
  REQUIRE(first.Accepted());
  for (std::uint32_t i = 4; i < 8; ++i) {
    pdl.Initiative(TestRecordId(i, 52),
                   InitiativePayload("Loire " + std::to_string(i), "admitted", kNantes));
  }
  row("B01", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.checkpoint_note = "\x01\x02 pas une note \xff";
        return b;
      }));
  row("B02", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.entries[0].entry = Bytes(77, 0xa5);
        return b;
      }));
  row("B03", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.checkpoint_note = SignCheckpoint(
            {RegionOrigin(kDefaultFederation, "76"), 8, pdl.tree().Root(), {}}, pdl.signer());
        return b;
      }));
  row("B04", "52", batch([&](std::uint64_t held) {
        SignedRegionLog foreign("76", 11);
        for (std::uint32_t i = 0; i < 5; ++i)
          foreign.Initiative(TestRecordId(i), InitiativePayload("x", "admitted", kToulouse));
        auto b = pdl.Batch(held, 8);
        b.entries[0] = SignedRegionLog::Envelope(foreign.records()[4]);
        return b;
      }));
  row("B05", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.checkpoint_note =
            SignCheckpoint(pdl.CheckpointAt(8), Ed25519Signer::FromSeed(SeedOf(0xee)));
        return b;
      }));
  row("B07", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        auto note = ParseNote(b.checkpoint_note);
        note->signatures[0].signature.back() ^= 0x01;
        b.checkpoint_note = FormatNote(*note);
        return b;
      }));
  row("B08", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.entries[1].entry[40] ^= 0x80;  // the record version: well formed, not the signed bytes
        return b;
      }));
  row("B09", "52", batch([&](std::uint64_t held) { return pdl.Batch(held + 2, 8); }));
  row("B10", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.entries.erase(b.entries.begin() + 1);
        return b;
      }));
  row("B11", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.consistency_proof.at(0)[0] ^= 0x01;
        return b;
      }));
  row("B12", "52", batch([&](std::uint64_t held) {
        SignedRegionLog other("52", 52);
        other.Initiative(TestRecordId(90, 52),
                         InitiativePayload("Contrefaçon", "admitted", kNantes));
        other.Initiative(TestRecordId(91, 52),
                         InitiativePayload("Contrefaçon", "admitted", kNantes));
        auto b = pdl.Batch(1, 8);
        b.entries[0] = SignedRegionLog::Envelope(other.records()[1]);
        (void)held;
        return b;
      }));
  row("B13", "52", batch([&](std::uint64_t held) {
        auto b = pdl.Batch(held, 8);
        b.entries[2].payload[5] ^= 0x20;
        return b;
      }));
  row("B14", "52", batch([&](std::uint64_t held) {
        SignedRegionLog bad("52", 52);
        for (std::uint64_t i = 0; i < held; ++i) bad.AppendRaw(pdl.records()[i]);
        bad.Initiative(TestRecordId(42, 52), InitiativePayload("Inconnue", "admitted",
                                                               {"99999", "44", "52", 47.2, -1.5}));
        return bad.Batch(held, held + 1);
      }));

  // A flood of refused batches: counted exactly, only the newest kept.
  const int before_flood = hub.Region("52")["rejected_count"].get<int>();
  for (int i = 0; i < 3 * static_cast<int>(kMaxRejectionsKept); ++i) {
    // As for the rows: the previous stream's handshake place released first.
    REQUIRE(WaitUntil(10s, [&] { return hub.ReplicationStreams("handshake") == 0; }));
    batch([&](std::uint64_t held) {
      auto b = pdl.Batch(held, 8);
      b.checkpoint_note = "bruit " + std::to_string(i);
      return b;
    })();
  }
  CHECK(hub.Region("52")["rejected_count"] == before_flood + 3 * kMaxRejectionsKept);
  CHECK(Scalar<std::size_t>(hub_url,
                            "SELECT count(*) FROM hub_batch_rejection WHERE region = '52'") ==
        kMaxRejectionsKept);

  // The stream-place rows: two authenticated streams of 52 held open, a third is refused.
  {
    auto held_stream = [&](grpc::ClientContext& ctx) {
      auto s = client.stub().Replicate(&ctx);
      v1::NodeMessage hello;
      hello.mutable_hello()->set_region("52");
      s->Write(hello);
      v1::HubMessage state;
      REQUIRE(s->Read(&state));
      s->Write(HostileClient::AuthOf(pdl_key, state.state()));
      s->Write(ToMessage(pdl.Batch(state.state().tree_size(), 4)));  // re-sent: accepted
      v1::HubMessage ack;
      REQUIRE(s->Read(&ack));
      REQUIRE(ack.has_accepted());
      return s;
    };
    grpc::ClientContext c1, c2;
    auto s1 = held_stream(c1);
    auto s2 = held_stream(c2);
    row("S11", "52", [&] { return client.Talk("52", {.auth = pdl_key}); });
    c1.TryCancel();
    c2.TryCancel();
    s1->Finish();
    s2->Finish();
  }

  // A key retired by add-key signs nothing beyond its range; then signed evidence of a fork.
  row("A01", "52", batch([&](std::uint64_t held) { return pdl.Batch(held, 8); }));
  REQUIRE(hub.TreeSize("52") == 8);
  SignedRegionLog pdl_next("52", 53);
  REQUIRE(RunEssctl(dir, {"region", "add-key", "--database", hub_url, "--region", "52",
                          "--verifier-key", pdl_next.VerifierKeyText(), "--from-index", "8"})
              .exit_code == 0);
  pdl.Initiative(TestRecordId(8, 52), InitiativePayload("Loire 8", "admitted", kNantes));
  row("B06", "52", batch([&](std::uint64_t held) { return pdl.Batch(held, 9); }));
  row("B15", "52", batch([&](std::uint64_t) {
        SignedRegionLog other("52", 52);  // the same key signs another history of size 8
        for (std::uint32_t i = 0; i < 8; ++i) {
          other.Initiative(TestRecordId(100 + i, 52),
                           InitiativePayload("Autre " + std::to_string(i), "admitted", kNantes));
        }
        auto b = other.Batch(8, 8);
        return b;
      }));
  CHECK(hub.Region("52")["latest_rejections"][0]["fork_evidence"] == true);
  row("S09", "52", [&] { return client.Talk("52", {.auth = pdl_key}); });
  CHECK(Scalar<std::uint64_t>(hub_url,
                              "SELECT count(*) FROM national_initiative WHERE region = '52'") == 8);

  // --- Region 93, whose real node replicates: the stream rows and the attacks ---
  const std::uint64_t national_93 = hub.TreeSize("93");
  v1::NodeMessage stray;
  stray.mutable_auth()->set_signature("x");
  row("S01", "93", [&] { return client.Talk("93", {.first = stray}); });
  row("S03", "93", [&] { return client.Talk("9a", {}); });
  row("S04", "93", [&] {
    return client.Talk("93", {.then = [](const v1::ReplicaState&) {
                         v1::NodeMessage hello;
                         hello.mutable_hello()->set_region("93");
                         return std::vector<v1::NodeMessage>{hello};
                       }});
  });
  row("S05", "93", [&] { return client.Talk("11", {}); });
  // The replayed-checkpoint forgery, without the key: the hub's own public checkpoint with a
  // forged entry at an index it holds.
  auto paca_log = [&](const std::function<void(LogStore&)>& read) {
    pqxx::connection c(paca_db.connection_string());
    PrepareLogStatements(c);
    pqxx::work txn(c);
    LogStore store(txn, "93");
    read(store);
  };
  auto forged_batch = [&](std::uint64_t from) {
    hub::IncomingBatch b;
    b.from_tree_size = from;
    b.checkpoint_note = hub.Region("93")["checkpoint"].get<std::string>();
    Checkpoint cp;
    REQUIRE(ParseCheckpointText(ParseNote(b.checkpoint_note)->text, cp).ok());
    paca_log([&](LogStore& store) {
      for (const auto& r : store.ReadRecords(from, cp.size))
        b.entries.push_back(SignedRegionLog::Envelope(r));
      if (from > 0) {
        for (const Hash& h : store.ConsistencyProof(from, cp.size))
          b.consistency_proof.emplace_back(h.begin(), h.end());
      }
    });
    b.entries[0].entry[15] ^= 0x01;  // a timestamp byte: still well formed
    return b;
  };
  row("S07", "93", [&] {
    return client.Talk(
        "93", {.then = [&](const v1::ReplicaState& s) {
          return std::vector<v1::NodeMessage>{ToMessage(forged_batch(s.tree_size() - 1))};
        }});
  });
  const NamedSigner stranger{"ess-federation/region/93", Ed25519Signer::FromSeed(SeedOf(0x99))};
  row("S08", "93", [&] { return client.Talk("93", {.auth = stranger}); });
  // An unauthenticated hello claiming a huge lag changes nothing.
  const auto node_size_before = hub.Region("93")["node_tree_size"];
  client.Talk("93", {.hello_tree_size = 1'000'000'000'000});
  CHECK(hub.Region("93")["node_tree_size"] == node_size_before);
  CHECK(hub.Region("93")["lag_entries"] == 0);
  // A flood of unauthenticated garbage batches records nothing.
  const auto rejected_93 = hub.Region("93")["rejected_count"];
  for (int i = 0; i < 50; ++i) {
    client.Talk("93", {.then = [&](const v1::ReplicaState&) {
                  hub::IncomingBatch b;
                  b.checkpoint_note = "bruit " + std::to_string(i);
                  return std::vector<v1::NodeMessage>{ToMessage(b)};
                }});
  }
  CHECK(hub.Region("93")["rejected_count"] == rejected_93);
  // With the region's key (a sender that holds it by mistake): the forgery is a refused batch,
  // and so is a bad consistency proof with good entries. Neither forks the region.
  const NamedSigner paca_signer = ReadKeyFile(paca_key);
  // The real node of 93 replicates meanwhile and may hold a place the hub refuses the hostile
  // stream for (a handshake or a stream of the region): such a refusal, with no answer to the
  // batch, is tried again, a bounded number of times.
  auto talk_until_answered = [&](auto script) {
    Exchange e = client.Talk("93", script);
    for (int attempt = 0; attempt < 10 && e.Code() == "—" && !e.Accepted() && !e.status.ok();
         ++attempt) {
      e = client.Talk("93", script);
    }
    return e;
  };
  Exchange forgery = talk_until_answered(
      Script{.auth = paca_signer, .then = [&](const v1::ReplicaState& s) {
               return std::vector<v1::NodeMessage>{ToMessage(forged_batch(s.tree_size() - 2))};
             }});
  CHECK_MESSAGE(forgery.Code() == "entry_mismatch", forgery.status.error_message());
  Exchange bad_proof =
      talk_until_answered(Script{.auth = paca_signer, .then = [&](const v1::ReplicaState& s) {
                                   auto b = forged_batch(1);
                                   b.entries[0].entry[15] ^= 0x01;  // the real entry again
                                   b.consistency_proof.push_back(Bytes(32, 0x42));
                                   (void)s;
                                   return std::vector<v1::NodeMessage>{ToMessage(b)};
                                 }});
  CHECK_MESSAGE(bad_proof.Code() == "bad_proof", bad_proof.status.error_message());
  CHECK(hub.Region("93")["status"] == "active");

  // A message that does not parse, and messages over the size limit, refused by gRPC.
  auto garbage = RawClient(dir, {"garbage", "--port", std::to_string(hub.grpc_port())});
  CHECK(StatusNameOf(garbage["status"].get<std::string>()) == table.at("S02").status);
  exercised.insert("S02");
  const auto db_size = [&] {
    return Scalar<std::int64_t>(hub_url, "SELECT pg_database_size(current_database())");
  };
  const std::int64_t db_before = db_size();
  for (int i = 0; i < 10; ++i) {
    row("S12", "93", [&] {
      return client.Talk("93", {.then = [&](const v1::ReplicaState&) {
                           hub::IncomingBatch b = forged_batch(0);
                           b.entries[0].payload.assign(12 * 1024 * 1024, '{');
                           return std::vector<v1::NodeMessage>{ToMessage(b)};
                         }});
    });
  }
  // Handshake places: two per connection; a stalled stream is cut at the handshake deadline.
  auto places = RawClient(dir, {"stall", "--port", std::to_string(hub.grpc_port()), "--streams",
                                "4", "--announce", "2000", "--send", "1000", "--hold-ms", "20000"});
  CHECK(
      places["statuses"][std::to_string(static_cast<int>(grpc::StatusCode::RESOURCE_EXHAUSTED))] ==
      2);
  CHECK(places["statuses"][std::to_string(static_cast<int>(grpc::StatusCode::DEADLINE_EXCEEDED))] ==
        2);
  CHECK(table.at("S10").status == "RESOURCE_EXHAUSTED");
  CHECK(table.at("S13").status == "DEADLINE_EXCEEDED");
  exercised.insert({"S10", "S13"});
  // 100 streams announcing 16 MB, sending 15 MiB and stalling: memory stays bounded.
  const std::size_t rss_before = RssBytes(hub.pid());
  std::atomic<std::size_t> rss_peak{rss_before};
  std::atomic<bool> measuring{true};
  std::thread sampler([&] {
    while (measuring) {
      rss_peak = std::max<std::size_t>(rss_peak, RssBytes(hub.pid()));
      std::this_thread::sleep_for(50ms);
    }
  });
  RawClient(dir, {"stall", "--port", std::to_string(hub.grpc_port()), "--streams", "100",
                  "--announce", std::to_string(16 * 1024 * 1024), "--send",
                  std::to_string(15 * 1024 * 1024), "--hold-ms", "4000"});
  measuring = false;
  sampler.join();
  // docs/protocol.md 7.3: one connection holds at most max_handshakes_per_connection (2)
  // messages before authentication; the bound checked is twice the 16 places of the hub.
  CHECK(rss_peak - rss_before < 2 * 16 * kMaxMessageBytes);
  CHECK(db_size() - db_before < 4 * 1024 * 1024);

  // After all that, region 93's real node still replicates, without any admin action.
  const std::uint64_t head = paca_writes(5, "Après l'attaque");
  CHECK(hub.TreeSize("93") == head);
  CHECK(head > national_93);
  CHECK(hub.Region("93")["status"] == "active");

  // Region 76 synced everything, and its node never saw a refused or broken stream.
  writer.join();
  REQUIRE(written == 300);
  CHECK(WaitUntil(60s, [&] { return hub.TreeSize("76") == 300; }));
  CHECK(hub.Region("76")["rejected_count"] == 0);
  const std::string occitanie_log = ReadFile(occitanie.log_file());
  CHECK(occitanie_log.find("interrompue") == std::string::npos);
  CHECK(occitanie_log.find("refusée") == std::string::npos);

  // The hub's database away: UNAVAILABLE (last: it stops the hub's work). This connection
  // stays open; every other one is cut and no new one is allowed.
  {
    std::string dbname, maintenance;
    {
      pqxx::connection hub_conn(hub_url);
      dbname = hub_conn.dbname();
      maintenance = "host=" + std::string(hub_conn.hostname()) + " port=" + hub_conn.port() +
                    " user=" + hub_conn.username() + " dbname=postgres";
    }
    pqxx::connection admin(maintenance);
    pqxx::nontransaction txn(admin);
    const std::string name = txn.quote_name(dbname);
    txn.exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
    txn.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
             txn.quote(dbname));
    Exchange away = client.Talk("52", {.auth = pdl_key});
    CHECK(StatusName(away.status.error_code()) == table.at("S14").status);
    exercised.insert("S14");
    txn.exec("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
  }

  // Every row of the table was run here, except those it says another test runs.
  for (const auto& [id, r] : table) {
    CAPTURE(id);
    CHECK((exercised.count(id) == 1 || r.exercised_elsewhere));
  }
  occitanie.Stop();
  paca.Stop();
  hub.Stop();
}
