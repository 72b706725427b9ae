// The node's uploader and referential refresher without PostgreSQL and without a hub: an
// in-memory UploaderStore, a fake Replication stub that plays the hub's side of the Sync
// stream (docs/protocol.md section 7.1), a fake ReferentialService stub, a ManualClock.
#include <doctest/doctest.h>

#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include "core/merkle.h"
#include "core/replication_auth.h"
#include "node/replication/hub_uploader.h"
#include "node/replication/referential_refresher.h"
#include "node/replication/uploader_store.h"

using namespace ess;
using namespace std::chrono_literals;
namespace v1 = ess::federation::v1;

namespace {

constexpr const char* kRegion = "93";
constexpr const char* kFederation = "ess-federation";

Ed25519Signer RegionKey() {
  Ed25519Seed seed{};
  seed.fill(0x21);
  return Ed25519Signer::FromSeed(seed);
}

Bytes EntryBytes(const std::string& tag, std::uint64_t index) {
  const std::string s = tag + "-" + std::to_string(index);
  return Bytes(s.begin(), s.end());
}

// Polls `condition` until true or `bound` of real time has passed.
bool WaitUntil(const std::function<bool()>& condition, std::chrono::milliseconds bound = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

// The node's log and its record of the hub, in memory. Thread-safe: the uploader's thread
// writes while the test reads.
class MemoryUploaderStore final : public node::UploaderStore {
 public:
  // Appends `count` put entries named `tag`.
  void Append(std::size_t count, const std::string& tag = "node") {
    std::lock_guard lock(mutex_);
    AppendLocked(count, tag);
  }
  // Another process on the same database: `count` more entries appear once the log's size
  // has been read (by the uploader's hello).
  void GrowAfterNextSizeRead(std::size_t count) {
    std::lock_guard lock(mutex_);
    growth_after_size_read_ = count;
  }
  std::uint64_t log_size_calls() const {
    std::lock_guard lock(mutex_);
    return log_size_calls_;
  }
  std::map<std::uint64_t, std::string> receipts() const {
    std::lock_guard lock(mutex_);
    return receipts_;
  }
  std::optional<std::string> append_block() const {
    std::lock_guard lock(mutex_);
    return append_block_;
  }
  std::optional<std::string> last_error() const {
    std::lock_guard lock(mutex_);
    return last_error_;
  }
  std::optional<std::uint64_t> hub_tree_size() const {
    std::lock_guard lock(mutex_);
    return hub_tree_size_;
  }
  void SetAppendBlock(std::string reason) {
    std::lock_guard lock(mutex_);
    append_block_ = std::move(reason);
  }

  std::uint64_t LogSize() override {
    std::lock_guard lock(mutex_);
    ++log_size_calls_;
    const std::uint64_t size = records_.size();
    AppendLocked(std::exchange(growth_after_size_read_, 0), "node");
    return size;
  }
  Hash RootAt(std::uint64_t size) override {
    std::lock_guard lock(mutex_);
    return tree_.RootAt(size);
  }
  std::vector<LogRecord> ReadRecords(std::uint64_t from, std::uint64_t to) override {
    std::lock_guard lock(mutex_);
    to = std::min<std::uint64_t>(to, records_.size());
    if (from >= to) return {};
    return {records_.begin() + static_cast<std::ptrdiff_t>(from),
            records_.begin() + static_cast<std::ptrdiff_t>(to)};
  }
  std::vector<std::uint64_t> CheckpointSizes(std::uint64_t after, std::uint64_t up_to,
                                             std::size_t limit) override {
    std::lock_guard lock(mutex_);
    std::vector<std::uint64_t> out;
    for (auto it = checkpoints_.upper_bound(after);
         it != checkpoints_.end() && it->first <= up_to && out.size() < limit; ++it) {
      out.push_back(it->first);
    }
    return out;
  }
  std::optional<std::string> CheckpointNote(std::uint64_t size) override {
    std::lock_guard lock(mutex_);
    auto it = checkpoints_.find(size);
    if (it == checkpoints_.end()) return std::nullopt;
    return it->second;
  }
  void StoreCheckpoint(const Checkpoint& checkpoint, const std::string& note) override {
    std::lock_guard lock(mutex_);
    checkpoints_.emplace(checkpoint.size, note);
  }
  std::vector<Hash> InclusionProof(std::uint64_t index, std::uint64_t size) override {
    std::lock_guard lock(mutex_);
    return tree_.InclusionProof(index, size);
  }
  std::vector<Hash> ConsistencyProof(std::uint64_t size1, std::uint64_t size2) override {
    std::lock_guard lock(mutex_);
    return tree_.ConsistencyProof(size1, size2);
  }
  std::optional<std::uint64_t> EraseIndexOf(const RecordId&) override { return std::nullopt; }
  std::optional<std::uint64_t> LatestIndexOfKind(RecordKind kind) override {
    std::lock_guard lock(mutex_);
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
      if (it->entry.kind == kind) return it->entry.index;
    }
    return std::nullopt;
  }

  void RecordHubState(std::uint64_t tree_size, const Hash&, const std::string&) override {
    std::lock_guard lock(mutex_);
    hub_tree_size_ = tree_size;
  }
  void RecordReceipt(std::uint64_t tree_size, const std::string& cosigned) override {
    std::lock_guard lock(mutex_);
    receipts_.emplace(tree_size, cosigned);
    last_error_.reset();
  }
  void RecordError(const std::string& message) override {
    std::lock_guard lock(mutex_);
    last_error_ = message;
  }
  void ClearError() override {
    std::lock_guard lock(mutex_);
    last_error_.reset();
  }
  void BlockAppends(const std::string& reason) override {
    std::lock_guard lock(mutex_);
    append_block_ = reason;
    last_error_ = reason;
  }
  bool UnblockAppends() override {
    std::lock_guard lock(mutex_);
    const bool was = append_block_.has_value();
    append_block_.reset();
    return was;
  }

 private:
  void AppendLocked(std::size_t count, const std::string& tag) {
    for (std::size_t i = 0; i < count; ++i) {
      LogRecord r;
      r.entry.index = records_.size();
      r.entry_bytes = EntryBytes(tag, records_.size());
      r.leaf_hash = LeafHash(r.entry_bytes);
      r.payload = Bytes{'{', '}'};
      r.salt = Salt{};
      tree_.Append(r.leaf_hash);
      records_.push_back(std::move(r));
    }
  }
  mutable std::mutex mutex_;
  std::vector<LogRecord> records_;
  MemoryMerkleTree tree_;
  std::map<std::uint64_t, std::string> checkpoints_;
  std::map<std::uint64_t, std::string> receipts_;
  std::optional<std::string> last_error_, append_block_;
  std::optional<std::uint64_t> hub_tree_size_;
  std::size_t growth_after_size_read_ = 0;
  std::uint64_t log_size_calls_ = 0;
};

// The hub's side of the replication stream, in memory: answers a hello with its ReplicaState, keeps
// every batch unacknowledged until the node reads, then accepts it (appending the new
// entries to its copy) or, if told to, refuses it and ends the stream.
class FakeHub final : public v1::Replication::StubInterface {
 public:
  struct Counters {
    int sessions = 0;                       // hellos received
    std::vector<std::uint64_t> batch_from;  // from_tree_size of each batch, in order
    std::size_t max_unacked = 0;            // most batches sent and not yet acked at once
    int auths = 0;
  };

  void Preload(std::size_t count, const std::string& tag) {
    std::lock_guard lock(mutex_);
    for (std::size_t i = 0; i < count; ++i) tree_.AppendEntry(EntryBytes(tag, tree_.size()));
  }
  void RefuseBatches(bool refuse) {
    std::lock_guard lock(mutex_);
    refuse_ = refuse;
  }
  void AnnounceWindow(std::uint32_t window) {
    std::lock_guard lock(mutex_);
    window_ = window;
  }
  std::uint64_t tree_size() const {
    std::lock_guard lock(mutex_);
    return tree_.size();
  }
  Hash root() const {
    std::lock_guard lock(mutex_);
    return tree_.Root();
  }
  Counters counters() const {
    std::lock_guard lock(mutex_);
    return counters_;
  }

 private:
  class Stream final : public grpc::ClientReaderWriterInterface<v1::NodeMessage, v1::HubMessage> {
   public:
    explicit Stream(FakeHub& hub) : hub_(hub) {}
    void WaitForInitialMetadata() override {}
    bool NextMessageSize(std::uint32_t* size) override {
      *size = 0;
      return true;
    }
    bool Write(const v1::NodeMessage& message, grpc::WriteOptions) override {
      std::lock_guard lock(hub_.mutex_);
      if (ended_) return false;
      if (message.has_hello()) {
        ++hub_.counters_.sessions;
        v1::HubMessage reply;
        auto* state = reply.mutable_state();
        state->set_region(kRegion);
        state->set_tree_size(hub_.tree_.size());
        const Hash root = hub_.tree_.Root();
        state->set_root(std::string(root.begin(), root.end()));
        state->set_region_status("active");
        state->set_max_batch_entries(1024);
        state->set_max_message_bytes(4 * 1024 * 1024);
        state->set_max_batches_in_flight(hub_.window_);
        state->set_challenge(std::string(kReplicationChallengeSize, '\x07'));
        state->set_hub_name("ess-federation/hub");
        replies_.push_back(std::move(reply));
      } else if (message.has_auth()) {
        ++hub_.counters_.auths;
      } else if (message.has_batch()) {
        hub_.counters_.batch_from.push_back(message.batch().from_tree_size());
        unacked_.push_back(message.batch());
        hub_.counters_.max_unacked = std::max(hub_.counters_.max_unacked, unacked_.size());
      }
      return true;
    }
    bool Read(v1::HubMessage* out) override {
      std::lock_guard lock(hub_.mutex_);
      if (!replies_.empty()) {
        *out = std::move(replies_.front());
        replies_.pop_front();
        return true;
      }
      if (ended_ || unacked_.empty()) return false;
      v1::ReplicationBatch batch = std::move(unacked_.front());
      unacked_.pop_front();
      out->Clear();
      if (batch.entries_size() == 0) {  // the node's evidence of a fork
        out->mutable_rejected()->set_code("fork");
        out->mutable_rejected()->set_reason("divergence");
        status_ = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "divergence");
        ended_ = true;
        return true;
      }
      if (hub_.refuse_) {
        out->mutable_rejected()->set_code("bad_proof");
        out->mutable_rejected()->set_reason("preuve refusée");
        status_ = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, "lot refusé");
        ended_ = true;
        return true;
      }
      for (int i = 0; i < batch.entries_size(); ++i) {
        if (batch.from_tree_size() + i < hub_.tree_.size()) continue;  // re-sent
        const std::string& e = batch.entries(i).entry();
        hub_.tree_.AppendEntry(Bytes(e.begin(), e.end()));
      }
      out->mutable_accepted()->set_tree_size(hub_.tree_.size());
      out->mutable_accepted()->set_cosigned_checkpoint("cosigned " +
                                                       std::to_string(hub_.tree_.size()));
      return true;
    }
    bool WritesDone() override { return true; }
    grpc::Status Finish() override {
      std::lock_guard lock(hub_.mutex_);
      return status_;
    }

   private:
    FakeHub& hub_;
    std::deque<v1::HubMessage> replies_;
    std::deque<v1::ReplicationBatch> unacked_;
    bool ended_ = false;
    grpc::Status status_ = grpc::Status::OK;
  };

  grpc::ClientReaderWriterInterface<v1::NodeMessage, v1::HubMessage>* ReplicateRaw(
      grpc::ClientContext*) override {
    return new Stream(*this);
  }
  grpc::ClientAsyncReaderWriterInterface<v1::NodeMessage, v1::HubMessage>* AsyncReplicateRaw(
      grpc::ClientContext*, grpc::CompletionQueue*, void*) override {
    return nullptr;
  }
  grpc::ClientAsyncReaderWriterInterface<v1::NodeMessage, v1::HubMessage>* PrepareAsyncReplicateRaw(
      grpc::ClientContext*, grpc::CompletionQueue*) override {
    return nullptr;
  }

  mutable std::mutex mutex_;
  MemoryMerkleTree tree_;
  Counters counters_;
  bool refuse_ = false;
  std::uint32_t window_ = 4;
};

// An uploader on the fakes, stopped at the end of the test.
struct UploaderRig {
  MemoryUploaderStore store;
  FakeHub hub;
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  node::HubUploaderOptions options;
  std::unique_ptr<node::HubUploader> uploader;

  UploaderRig() {
    options.region = kRegion;
    options.federation = kFederation;
    options.poll_interval = 1h;  // only Wake() or the heartbeat starts a look, unless a test says
    options.heartbeat_interval = 60s;
    options.initial_backoff = 1ms;
    options.max_backoff = 1ms;
  }
  ~UploaderRig() {
    if (uploader) uploader->Stop();
  }
  void Start() {
    uploader = std::make_unique<node::HubUploader>(options, store, hub, RegionKey(), clock,
                                                   [] { return 0.5; });
    uploader->Start();
  }
  std::string state() const { return uploader->Status().state; }
  bool CaughtUp() const {
    return state() == "caught_up" && hub.tree_size() == uploader->Status().node_tree_size;
  }
};

}  // namespace

TEST_CASE("the uploader resumes where the hub's ReplicaState says and stores each receipt") {
  UploaderRig rig;
  rig.store.Append(10);
  rig.hub.Preload(4, "node");  // the same first four entries
  rig.options.max_batch_entries = 3;
  rig.Start();
  REQUIRE(WaitUntil([&] { return rig.CaughtUp(); }));
  CHECK(rig.hub.tree_size() == 10);
  CHECK(rig.hub.root() == rig.store.RootAt(10));
  const auto counters = rig.hub.counters();
  CHECK(counters.sessions == 1);
  CHECK(counters.auths == 1);
  CHECK(counters.batch_from == std::vector<std::uint64_t>{4, 7});
  const auto receipts = rig.store.receipts();
  REQUIRE(receipts.size() == 2);
  CHECK(receipts.at(7) == "cosigned 7");
  CHECK(receipts.at(10) == "cosigned 10");
  CHECK(rig.store.hub_tree_size() == 4);  // as the hub said at hello
  auto status = rig.uploader->Status();
  CHECK(status.batches_accepted == 2);
  CHECK(status.hub_tree_size == 10);
  CHECK(status.last_contact == rig.clock.Now());
}

TEST_CASE("the uploader keeps at most max_batches_in_flight batches unacknowledged") {
  SUBCASE("the node's window") {
    UploaderRig rig;
    rig.store.Append(20);
    rig.options.max_batch_entries = 2;
    rig.options.max_batches_in_flight = 3;
    rig.Start();
    REQUIRE(WaitUntil([&] { return rig.CaughtUp(); }));
    CHECK(rig.hub.counters().batch_from.size() == 10);
    CHECK(rig.hub.counters().max_unacked == 3);
  }
  SUBCASE("the hub's smaller window") {
    UploaderRig rig;
    rig.store.Append(20);
    rig.options.max_batch_entries = 2;
    rig.options.max_batches_in_flight = 3;
    rig.hub.AnnounceWindow(2);
    rig.Start();
    REQUIRE(WaitUntil([&] { return rig.CaughtUp(); }));
    CHECK(rig.hub.counters().max_unacked == 2);
  }
}

TEST_CASE("a refused batch puts the uploader in the long wait, which Wake() ends") {
  UploaderRig rig;
  rig.store.Append(5);
  rig.hub.RefuseBatches(true);
  rig.Start();
  REQUIRE(WaitUntil([&] { return rig.state() == "refused"; }));
  CHECK(rig.uploader->Status().last_error.find("lot refusé par le hub (bad_proof)") == 0);
  CHECK(rig.store.last_error().value_or("").find("bad_proof") != std::string::npos);
  CHECK(rig.store.receipts().empty());
  CHECK(rig.hub.counters().sessions == 1);
  // An admin fixed the cause: Wake() tries again without waiting out refused_backoff.
  rig.hub.RefuseBatches(false);
  rig.uploader->Wake();
  // Caught up, the uploader clears the error it recorded and the one it shows.
  REQUIRE(WaitUntil([&] {
    return rig.CaughtUp() && rig.uploader->Status().last_error.empty() && !rig.store.last_error();
  }));
  CHECK(rig.hub.counters().sessions == 2);
}

namespace {

// A node log of 5 entries against a hub holding `hub_entries` entries named `tag`: the
// uploader blocks the journal and says why.
std::string BlockReason(UploaderRig& rig, std::size_t hub_entries, const std::string& tag) {
  rig.store.Append(5);
  rig.hub.Preload(hub_entries, tag);
  rig.Start();
  REQUIRE(WaitUntil([&] { return rig.state() == "hub_ahead"; }));
  REQUIRE(rig.store.append_block());
  return *rig.store.append_block();
}

}  // namespace

TEST_CASE("the hub ahead of the node or on another history sets the append block") {
  SUBCASE("the hub holds more entries") {
    UploaderRig rig;
    CHECK(BlockReason(rig, 7, "node").find("le hub détient 7 entrées de la région, ce nœud 5") ==
          0);
    CHECK(rig.hub.counters().batch_from.empty());
  }
  SUBCASE("the hub holds another history at a size the node has") {
    UploaderRig rig;
    CHECK(BlockReason(rig, 3, "other").find("racines différentes") != std::string::npos);
    // The node's checkpoint at the hub's size goes to the hub as evidence.
    CHECK(rig.hub.counters().batch_from == std::vector<std::uint64_t>{3});
  }
  SUBCASE("entries another process sent since the hello are no sign of a restored node") {
    UploaderRig rig;
    rig.store.Append(5);
    rig.store.GrowAfterNextSizeRead(2);  // the hello says 5; the database holds 7 by the answer
    rig.hub.Preload(7, "node");
    rig.Start();
    REQUIRE(WaitUntil([&] { return rig.CaughtUp(); }));
    CHECK_FALSE(rig.store.append_block());
    CHECK(rig.state() != "hub_ahead");
  }
  SUBCASE("a consistent hub lifts the block") {
    UploaderRig rig;
    rig.store.Append(5);
    rig.store.SetAppendBlock("ancien blocage");
    rig.hub.Preload(2, "node");
    rig.Start();
    REQUIRE(WaitUntil([&] { return rig.CaughtUp(); }));
    CHECK_FALSE(rig.store.append_block());
  }
}

TEST_CASE("caught up, the uploader says hello again when the clock says the heartbeat is due") {
  UploaderRig rig;
  rig.options.poll_interval = 1ms;  // looks all the time; only the clock decides the heartbeat
  rig.store.Append(3);
  rig.Start();
  REQUIRE(WaitUntil([&] { return rig.CaughtUp(); }));
  const std::uint64_t looks = rig.store.log_size_calls();
  REQUIRE(WaitUntil([&] { return rig.store.log_size_calls() >= looks + 20; }));
  CHECK(rig.hub.counters().sessions == 1);  // many looks, no news, heartbeat not due
  rig.clock.Advance(59s);
  const std::uint64_t later = rig.store.log_size_calls();
  REQUIRE(WaitUntil([&] { return rig.store.log_size_calls() >= later + 20; }));
  CHECK(rig.hub.counters().sessions == 1);
  rig.clock.Advance(1s);
  CHECK(WaitUntil([&] { return rig.hub.counters().sessions == 2; }));
  CHECK(rig.hub.counters().batch_from.size() == 1);  // nothing new to send
}

TEST_CASE("Wake() makes the caught-up uploader look at once") {
  UploaderRig rig;  // poll_interval 1 h: without Wake() the new entries would wait
  rig.store.Append(3);
  rig.Start();
  REQUIRE(WaitUntil([&] { return rig.CaughtUp(); }));
  rig.store.Append(4);
  rig.uploader->Wake();
  REQUIRE(WaitUntil([&] { return rig.hub.tree_size() == 7; }));
  CHECK(rig.hub.counters().sessions == 2);
  CHECK(rig.hub.root() == rig.store.RootAt(7));
  rig.uploader->Stop();
  CHECK(rig.state() == "stopped");
}

namespace {

constexpr const char* kReferentialJson = R"({
  "version": "VERSION",
  "families": [{"code": "cooperative", "label": "Coopérative"}],
  "legal_forms": [{"code": "scic", "label": "SCIC", "family": "cooperative"}],
  "activities": [{"code": "energie", "label": "Énergie", "theme": "environnement"}],
  "regions": [{"code": "93", "name": "Provence-Alpes-Côte d'Azur"}],
  "departments": [{"code": "13", "name": "Bouches-du-Rhône", "region": "93"}],
  "communes": [{"code": "13055", "name": "Marseille", "department": "13", "region": "93"}]
})";

// The hub's ReferentialService: the version it holds (one chunk), or away.
class FakeReferentialHub final : public v1::ReferentialService::StubInterface {
 public:
  std::string version = "ref-1";
  bool away = false;
  std::vector<std::string> asked_with;  // known_version of each request

 private:
  class Reader final : public grpc::ClientReaderInterface<v1::ReferentialChunk> {
   public:
    Reader(std::optional<v1::ReferentialChunk> chunk, grpc::Status status)
        : chunk_(std::move(chunk)), status_(std::move(status)) {}
    void WaitForInitialMetadata() override {}
    bool NextMessageSize(std::uint32_t* size) override {
      *size = 0;
      return true;
    }
    bool Read(v1::ReferentialChunk* out) override {
      if (!chunk_) return false;
      *out = std::move(*chunk_);
      chunk_.reset();
      return true;
    }
    grpc::Status Finish() override { return status_; }

   private:
    std::optional<v1::ReferentialChunk> chunk_;
    grpc::Status status_;
  };

  grpc::ClientReaderInterface<v1::ReferentialChunk>* GetReferentialRaw(
      grpc::ClientContext*, const v1::ReferentialRequest& request) override {
    asked_with.push_back(request.known_version());
    if (away)
      return new Reader(std::nullopt, grpc::Status(grpc::StatusCode::UNAVAILABLE, "absent"));
    v1::ReferentialChunk chunk;
    chunk.set_version(version);
    if (request.known_version() == version) {
      chunk.set_unchanged(true);
    } else {
      std::string json = kReferentialJson;
      json.replace(json.find("VERSION"), 7, version);
      chunk.set_total_size(json.size());
      chunk.set_data(json);
    }
    return new Reader(std::move(chunk), grpc::Status::OK);
  }
  grpc::ClientAsyncReaderInterface<v1::ReferentialChunk>* AsyncGetReferentialRaw(
      grpc::ClientContext*, const v1::ReferentialRequest&, grpc::CompletionQueue*, void*) override {
    return nullptr;
  }
  grpc::ClientAsyncReaderInterface<v1::ReferentialChunk>* PrepareAsyncGetReferentialRaw(
      grpc::ClientContext*, const v1::ReferentialRequest&, grpc::CompletionQueue*) override {
    return nullptr;
  }
};

}  // namespace

TEST_CASE("the referential refresher fetches when the clock says it is due") {
  FakeReferentialHub hub;
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  std::vector<std::string> received;
  node::ReferentialRefresherOptions options;
  options.refresh = 1h;
  options.retry = 30s;
  options.on_referential = [&](std::shared_ptr<const Referential> r) {
    received.push_back(r->version());
  };
  node::ReferentialRefresher refresher(options, hub, clock);

  refresher.RefreshIfDue();  // the first call always asks
  CHECK(received == std::vector<std::string>{"ref-1"});
  refresher.RefreshIfDue();
  clock.Advance(59min);
  refresher.RefreshIfDue();
  CHECK(hub.asked_with.size() == 1);

  clock.Advance(1min);  // due: the hub says unchanged, nothing handed on
  refresher.RefreshIfDue();
  CHECK(hub.asked_with == std::vector<std::string>{"", "ref-1"});
  CHECK(received.size() == 1);

  hub.away = true;  // asked again after `retry`, not after a whole period
  clock.Advance(1h);
  refresher.RefreshIfDue();
  CHECK(hub.asked_with.size() == 3);
  hub.away = false;
  hub.version = "ref-2";
  clock.Advance(29s);
  refresher.RefreshIfDue();
  CHECK(hub.asked_with.size() == 3);
  clock.Advance(1s);
  refresher.RefreshIfDue();
  CHECK(received == std::vector<std::string>{"ref-1", "ref-2"});
  CHECK(refresher.version() == "ref-2");
}

TEST_CASE("a refresher that knows the hub's version from the start is not sent it again") {
  FakeReferentialHub hub;
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  std::vector<std::string> received;
  node::ReferentialRefresherOptions options;
  options.refresh = 1h;
  options.known_version = "ref-1";  // the node's --referential file
  options.on_referential = [&](std::shared_ptr<const Referential> r) {
    received.push_back(r->version());
  };
  node::ReferentialRefresher refresher(options, hub, clock);
  CHECK(refresher.version() == "ref-1");
  refresher.RefreshIfDue();
  CHECK(hub.asked_with == std::vector<std::string>{"ref-1"});
  CHECK(received.empty());  // unchanged: nothing parsed, nothing handed on
  hub.version = "ref-2";
  clock.Advance(1h);
  refresher.RefreshIfDue();
  CHECK(received == std::vector<std::string>{"ref-2"});
}
