#include "node/replication/hub_uploader.h"

#include <deque>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "core/checkpoint.h"
#include "core/log_store.h"
#include "core/pg_pool.h"
#include "core/sync_auth.h"
#include "node/replication/backoff.h"
#include "node/replication/batch_planner.h"
#include "node/replication/hub_sync_store.h"
#include "node/replication/referential_client.h"
#include "proto/federation.grpc.pb.h"

namespace ess::node {

namespace v1 = federation::v1;

namespace {

enum class SessionEnd {
  kCaughtUp,   // nothing more to send: wait for news
  kMoreToDo,   // progress, stream ended early (deadline, hub state moved): go on at once
  kRetry,      // hub away or stream broken: backoff
  kRefused,    // refused batch or stream: an admin must act, wait long
  kHubAhead,   // the hub holds more or other: journal blocked, wait long
  kForked,     // the hub stopped the region on a fork
  kStopped,
};

// What the planner could not turn into a batch (a rotation without its checkpoint).
struct PlanningError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct BuiltBatch {
  v1::NodeMessage message;
  std::uint64_t end = 0;
};

constexpr std::size_t kReadChunk = 128;
constexpr std::size_t kMessageMargin = 64 * 1024;  // note, proof and framing beside entries

}  // namespace

struct HubUploader::Impl {
  HubUploaderOptions options;
  Ed25519Signer signer;
  const Clock& clock;
  Backoff backoff;
  std::string origin;
  PgPool pool;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::Replication::Stub> stub;
  std::thread thread;

  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool woken = false;
  grpc::ClientContext* current = nullptr;
  UploaderStatus status;

  std::string referential_version;
  std::optional<std::chrono::steady_clock::time_point> next_referential;

  Impl(HubUploaderOptions opts, Ed25519Signer key, const Clock& c, std::function<double()> random01)
      : options(std::move(opts)),
        signer(std::move(key)),
        clock(c),
        backoff(options.initial_backoff, options.max_backoff, std::move(random01)),
        origin(RegionOrigin(options.federation, options.region)),
        pool({options.database, 1, std::chrono::seconds(10), [](pqxx::connection& conn) {
                PrepareLogStatements(conn);
                PrepareHubSyncStatements(conn);
              }}) {}

  void SetState(std::string state, std::string error = {}) {
    std::lock_guard lock(mutex);
    status.state = std::move(state);
    if (!error.empty()) status.last_error = std::move(error);
  }

  // Waits up to `d`; false when stopping. Returns early on Wake() if `wakeable`.
  bool Wait(std::chrono::milliseconds d, bool wakeable) {
    std::unique_lock lock(mutex);
    wake.wait_for(lock, d, [&] { return stopping || (wakeable && woken); });
    woken = false;
    return !stopping;
  }

  void RecordErrorQuietly(const std::string& message) {
    try {
      pool.WithTransaction([&](pqxx::work& txn) { HubSyncStore(txn, options.region).RecordError(message); });
    } catch (const std::exception& e) {
      spdlog::debug("synchronisation : erreur non enregistrée ({})", e.what());
    }
  }

  CompactRange ReadHead() {
    return pool.WithTransaction(
        [&](pqxx::work& txn) { return LogStore(txn, options.region).ReadHead(/*lock=*/false); });
  }

  void LoadCachedReferential() {
    if (options.referential_cache_file.empty() || !options.on_referential) return;
    std::ifstream in(options.referential_cache_file);
    if (!in) return;
    try {
      std::stringstream s;
      s << in.rdbuf();
      auto ref = std::make_shared<const Referential>(Referential::FromJson(s.str()));
      referential_version = ref->version();
      options.on_referential(std::move(ref));
    } catch (const std::exception& e) {
      spdlog::warn("référentiel en cache illisible ({}) : {}", options.referential_cache_file, e.what());
    }
  }

  void RefreshReferentialIfDue() {
    if (options.referential_refresh.count() <= 0 || !options.on_referential) return;
    const auto now = std::chrono::steady_clock::now();
    if (next_referential && now < *next_referential) return;
    ReferentialFetch fetch = FetchReferential(channel, referential_version, std::chrono::seconds(60));
    if (!fetch.status.ok()) {
      // Try again at the next session, not before a full period.
      next_referential = now + std::min(options.referential_refresh, options.max_backoff);
      spdlog::debug("référentiel : hub injoignable ({})", fetch.status.error_message());
      return;
    }
    next_referential = now + options.referential_refresh;
    if (!fetch.error.empty()) {
      spdlog::error("référentiel reçu du hub illisible : {}", fetch.error);
      return;
    }
    if (fetch.unchanged || !fetch.referential) return;
    spdlog::info("référentiel {} reçu du hub", fetch.referential->version());
    referential_version = fetch.referential->version();
    if (!options.referential_cache_file.empty()) {
      const std::string tmp = options.referential_cache_file + ".tmp";
      {
        std::ofstream out(tmp, std::ios::trunc);
        out << fetch.referential->json();
      }
      std::error_code ec;
      std::filesystem::rename(tmp, options.referential_cache_file, ec);
      if (ec) spdlog::warn("référentiel : cache non écrit ({})", ec.message());
    }
    options.on_referential(fetch.referential);
  }

  // Reads records from `from` until the entry or byte limit, whichever first.
  std::vector<LogRecord> ReadForBatch(LogStore& store, std::uint64_t from, std::uint64_t upto,
                                      std::size_t max_bytes) {
    std::vector<LogRecord> out;
    std::size_t bytes = 0;
    for (std::uint64_t at = from; at < upto && bytes <= max_bytes;) {
      const std::uint64_t to = std::min<std::uint64_t>(upto, at + kReadChunk);
      for (auto& r : store.ReadRecords(at, to)) {
        bytes += RecordWireSize(r);
        out.push_back(std::move(r));
      }
      at = to;
    }
    return out;
  }

  // Entry `index` with its inclusion proof in the stored checkpoint of `size`; nullopt if the
  // node stored no such checkpoint.
  static std::optional<v1::RecordProof> ProvenRecord(LogStore& store, std::uint64_t index,
                                                     std::uint64_t size) {
    auto note = store.CheckpointNote(size);
    if (!note) return std::nullopt;
    auto records = store.ReadRecords(index, index + 1);
    if (records.empty()) return std::nullopt;
    v1::RecordProof out;
    const LogRecord& r = records.front();
    out.mutable_entry()->set_entry(AsString(r.entry_bytes));
    if (r.payload && r.salt) {
      out.mutable_entry()->set_payload(AsString(*r.payload));
      out.mutable_entry()->set_salt(AsString(*r.salt));
    }
    for (const Hash& h : store.InclusionProof(index, size)) {
      out.add_inclusion_proof(std::string(h.begin(), h.end()));
    }
    out.set_checkpoint_note(*note);
    return out;
  }

  // An erased revision travels with the proof of its tombstone, in the first checkpoint the
  // node stored that covers it.
  static void AddRecords(LogStore& store, v1::SyncBatch& batch,
                         std::span<const LogRecord> records) {
    std::optional<std::uint64_t> head;
    for (const auto& r : records) {
      auto* e = batch.add_entries();
      e->set_entry(AsString(r.entry_bytes));
      if (r.payload && r.salt) {
        e->set_payload(AsString(*r.payload));
        e->set_salt(AsString(*r.salt));
        continue;
      }
      auto tombstone = store.EraseIndexOf(r.entry.record_id);
      if (!tombstone) continue;  // the hub refuses it and says why
      if (!head) head = store.ReadHead(/*lock=*/false).size();
      auto sizes = store.CheckpointSizes(*tombstone, *head, 1);
      if (sizes.empty()) continue;
      if (auto proof = ProvenRecord(store, *tombstone, sizes.front())) {
        *e->mutable_erasure() = std::move(*proof);
      }
    }
  }

  // The checkpoint note of exactly `size`: the stored one, or one signed now and stored.
  std::string CheckpointAt(LogStore& store, std::uint64_t size, bool sign) {
    if (!sign) {
      if (auto note = store.CheckpointNote(size)) return *note;
    }
    Checkpoint cp{origin, size, store.RootAt(size), {}};
    std::string note = SignCheckpoint(cp, signer);
    store.StoreCheckpoint(cp, note);
    return store.CheckpointNote(size).value_or(note);
  }

  BuiltBatch BuildBatch(std::uint64_t from, std::uint64_t head, std::size_t max_entries,
                        std::size_t max_bytes) {
    return pool.WithTransaction([&](pqxx::work& txn) {
      LogStore store(txn, options.region);
      const std::uint64_t upto = std::min<std::uint64_t>(head, from + max_entries);
      std::vector<LogRecord> records = ReadForBatch(store, from, upto, max_bytes);
      if (records.empty()) throw std::runtime_error("aucune entrée à partir de " + std::to_string(from));
      auto sizes = store.CheckpointSizes(from, from + records.size(), max_entries);
      BatchEnd plan = PlanBatchEnd(from, records, sizes, max_entries, max_bytes);
      if (!plan.error.empty()) throw PlanningError(plan.error);
      BuiltBatch out;
      out.end = plan.end;
      auto* batch = out.message.mutable_batch();
      batch->set_checkpoint_note(CheckpointAt(store, plan.end, plan.sign_checkpoint));
      batch->set_from_tree_size(from);
      batch->set_node_tree_size(head);
      if (from > 0) {
        for (const auto& h : store.ConsistencyProof(from, plan.end)) {
          batch->add_consistency_proof(std::string(h.begin(), h.end()));
        }
      }
      AddRecords(store, *batch, std::span<const LogRecord>(records).first(plan.end - from));
      return out;
    });
  }

  // The hub's state does not extend the node's log: block the journal and say why.
  void Block(const std::string& reason) {
    spdlog::error("synchronisation {} : {} ; le journal refuse les écritures jusqu'à résolution "
                  "(docs/replication.md)", options.region, reason);
    pool.WithTransaction([&](pqxx::work& txn) {
      HubSyncStore store(txn, options.region);
      store.BlockAppends(reason);
      store.RecordError(reason);
    });
  }

  // Handles one hub message during the batch loop. False when the stream must stop.
  bool HandleReply(const v1::HubMessage& reply, std::deque<std::uint64_t>& in_flight,
                   bool& progress, bool& refused) {
    if (reply.has_accepted() && !in_flight.empty()) {
      const std::uint64_t size = in_flight.front();
      in_flight.pop_front();
      pool.WithTransaction([&](pqxx::work& txn) {
        HubSyncStore(txn, options.region).RecordReceipt(size, reply.accepted().cosigned_checkpoint());
      });
      progress = true;
      std::lock_guard lock(mutex);
      status.hub_tree_size = reply.accepted().tree_size();
      ++status.batches_accepted;
      status.last_contact = clock.Now();
      return true;
    }
    if (reply.has_rejected()) {
      const auto& r = reply.rejected();
      std::string message = "lot refusé par le hub (" + r.code() + ") : " + r.reason();
      spdlog::error("synchronisation {} : {}", options.region, message);
      RecordErrorQuietly(message);
      SetState("refused", message);
      refused = true;
      return false;
    }
    spdlog::warn("synchronisation {} : message inattendu du hub", options.region);
    return false;
  }

  SessionEnd Finish(grpc::ClientReaderWriter<v1::NodeMessage, v1::HubMessage>& stream,
                    std::deque<std::uint64_t>& in_flight, bool progress, bool refused,
                    bool caught_up) {
    stream.WritesDone();
    // Whatever the hub still sends (acks of batches in flight, a rejection) comes first.
    v1::HubMessage reply;
    while (stream.Read(&reply)) HandleReply(reply, in_flight, progress, refused);
    grpc::Status st = stream.Finish();
    {
      std::lock_guard lock(mutex);
      if (stopping) return SessionEnd::kStopped;
    }
    if (refused) return SessionEnd::kRefused;
    if (st.ok()) return caught_up ? SessionEnd::kCaughtUp : SessionEnd::kMoreToDo;
    std::string message = "hub : " + st.error_message();
    switch (st.error_code()) {
      case grpc::StatusCode::DEADLINE_EXCEEDED:
        if (progress) return SessionEnd::kMoreToDo;
        break;
      case grpc::StatusCode::FAILED_PRECONDITION:
      case grpc::StatusCode::NOT_FOUND:
      case grpc::StatusCode::PERMISSION_DENIED:
      case grpc::StatusCode::INVALID_ARGUMENT:
      case grpc::StatusCode::UNAUTHENTICATED:
        spdlog::error("synchronisation {} refusée : {}", options.region, st.error_message());
        RecordErrorQuietly(message);
        SetState("refused", message);
        return SessionEnd::kRefused;
      default:
        break;
    }
    spdlog::warn("synchronisation {} interrompue ({}) : {}", options.region,
                 static_cast<int>(st.error_code()), st.error_message());
    RecordErrorQuietly(message);
    SetState("retrying", message);
    if (progress) backoff.Reset();
    return SessionEnd::kRetry;
  }

  // When the node's latest key rotation is not at the hub yet, the hub does not know the key
  // that signs the challenge: the rotation record, proven in the checkpoint the old key
  // signed right after it, vouches for it.
  void AttachRotationProof(std::uint64_t hub_size, v1::SyncAuth& auth) {
    pool.WithTransaction([&](pqxx::work& txn) {
      LogStore store(txn, options.region);
      auto index = store.LatestIndexOfKind(RecordKind::kKeyRotation);
      if (!index || *index < hub_size) return;
      if (auto proof = ProvenRecord(store, *index, *index + 1)) {
        *auth.mutable_rotation() = std::move(*proof);
      }
    });
  }

  SessionEnd Session() {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + options.session_deadline);
    {
      std::lock_guard lock(mutex);
      if (stopping) return SessionEnd::kStopped;
      current = &context;
      ++status.sessions;
    }
    struct Release {
      Impl& impl;
      ~Release() {
        std::lock_guard lock(impl.mutex);
        impl.current = nullptr;
      }
    } release{*this};

    CompactRange head = ReadHead();
    {
      std::lock_guard lock(mutex);
      status.node_tree_size = head.size();
    }
    auto stream = stub->Sync(&context);
    std::deque<std::uint64_t> in_flight;
    bool progress = false, refused = false;
    v1::NodeMessage hello;
    hello.mutable_hello()->set_region(options.region);
    hello.mutable_hello()->set_tree_size(head.size());
    v1::HubMessage reply;
    if (!stream->Write(hello) || !stream->Read(&reply) || !reply.has_state() ||
        reply.state().root().size() != kHashSize) {
      return Finish(*stream, in_flight, progress, refused, false);
    }
    const v1::ReplicaState& state = reply.state();
    if (state.region_status() != "forked") {
      // Prove the stream speaks for the region (docs/protocol.md section 7.1).
      if (state.challenge().size() != kSyncChallengeSize || !IsValidKeyName(state.hub_name())) {
        spdlog::warn("synchronisation {} : défi du hub illisible", options.region);
        context.TryCancel();
        return Finish(*stream, in_flight, progress, refused, false);
      }
      SyncChallenge challenge;
      std::copy(state.challenge().begin(), state.challenge().end(), challenge.begin());
      const Bytes answer = SignSyncChallenge(RegionOrigin(options.federation, options.region),
                                             signer, state.hub_name(), challenge);
      v1::NodeMessage auth;
      auth.mutable_auth()->set_signature(std::string(answer.begin(), answer.end()));
      AttachRotationProof(state.tree_size(), *auth.mutable_auth());
      if (!stream->Write(auth)) return Finish(*stream, in_flight, progress, refused, false);
    }
    const std::uint64_t hub_size = state.tree_size();
    Hash hub_root;
    std::copy(state.root().begin(), state.root().end(), hub_root.begin());
    pool.WithTransaction([&](pqxx::work& txn) {
      HubSyncStore(txn, options.region).RecordHubState(hub_size, hub_root, state.region_status());
    });
    {
      std::lock_guard lock(mutex);
      status.hub_tree_size = hub_size;
      status.last_contact = clock.Now();
    }
    if (state.region_status() == "forked") {
      Finish(*stream, in_flight, progress, refused, false);
      std::string message = "le hub a arrêté la région sur une divergence (fork) : un "
                            "administrateur doit intervenir (essctl region ...)";
      RecordErrorQuietly(message);
      SetState("forked", message);
      return SessionEnd::kForked;
    }

    // Does the hub's copy extend the node's log? If not, the node must not write on.
    if (hub_size > head.size()) {
      Block("le hub détient " + std::to_string(hub_size) + " entrées de la région, ce nœud " +
            std::to_string(head.size()) + " : nœud restauré depuis une ancienne sauvegarde ?");
      Finish(*stream, in_flight, progress, refused, false);
      SetState("hub_ahead", "hub en avance sur le nœud");
      return SessionEnd::kHubAhead;
    }
    const Hash node_root = pool.WithTransaction(
        [&](pqxx::work& txn) { return LogStore(txn, options.region).RootAt(hub_size); });
    if (node_root != hub_root) {
      Block("le hub détient un autre journal de la région à la taille " +
            std::to_string(hub_size) + " (racines différentes)");
      // Show the hub the node's checkpoint at that size: its evidence of the fork.
      v1::NodeMessage evidence;
      auto* batch = evidence.mutable_batch();
      batch->set_from_tree_size(hub_size);
      batch->set_node_tree_size(head.size());
      batch->set_checkpoint_note(pool.WithTransaction([&](pqxx::work& txn) {
        LogStore store(txn, options.region);
        return CheckpointAt(store, hub_size, false);
      }));
      stream->Write(evidence);
      in_flight.push_back(hub_size);
      Finish(*stream, in_flight, progress, refused, false);
      SetState("hub_ahead", "journal du hub différent");
      return SessionEnd::kHubAhead;
    }
    bool unblocked = pool.WithTransaction(
        [&](pqxx::work& txn) { return HubSyncStore(txn, options.region).UnblockAppends(); });
    if (unblocked) spdlog::info("synchronisation {} : le hub est cohérent, journal débloqué", options.region);

    const std::size_t max_entries = std::max<std::size_t>(
        1, std::min<std::size_t>(options.max_batch_entries,
                                 state.max_batch_entries() ? state.max_batch_entries()
                                                           : kMaxBatchEntries));
    std::size_t max_bytes = options.max_batch_bytes;
    if (state.max_message_bytes() > 2 * kMessageMargin) {
      max_bytes = std::min<std::size_t>(max_bytes, state.max_message_bytes() - kMessageMargin);
    }
    const std::size_t window = std::max<std::size_t>(
        1, std::min<std::size_t>(options.max_batches_in_flight,
                                 state.max_batches_in_flight() ? state.max_batches_in_flight()
                                                               : options.max_batches_in_flight));
    SetState("syncing");
    std::uint64_t next = hub_size;
    bool caught_up = false;
    try {
      for (;;) {
        bool write_failed = false;
        while (in_flight.size() < window && next < head.size()) {
          BuiltBatch built = BuildBatch(next, head.size(), max_entries, max_bytes);
          if (!stream->Write(built.message)) {
            write_failed = true;
            break;
          }
          in_flight.push_back(built.end);
          next = built.end;
        }
        if (write_failed) break;
        if (in_flight.empty()) {
          head = ReadHead();
          {
            std::lock_guard lock(mutex);
            status.node_tree_size = head.size();
          }
          if (head.size() > next) continue;
          caught_up = true;
          break;
        }
        if (!stream->Read(&reply)) break;
        if (!HandleReply(reply, in_flight, progress, refused)) break;
      }
    } catch (const PlanningError& e) {
      std::string message = std::string("lot impossible à former : ") + e.what();
      spdlog::error("synchronisation {} : {}", options.region, message);
      RecordErrorQuietly(message);
      SetState("refused", message);
      context.TryCancel();
      Finish(*stream, in_flight, progress, refused, false);
      return SessionEnd::kRefused;
    } catch (...) {
      context.TryCancel();
      Finish(*stream, in_flight, progress, refused, false);
      throw;
    }
    SessionEnd end = Finish(*stream, in_flight, progress, refused, caught_up);
    if (end == SessionEnd::kCaughtUp) {
      SetState("caught_up");
      pool.WithTransaction([&](pqxx::work& txn) { HubSyncStore(txn, options.region).ClearError(); });
      std::lock_guard lock(mutex);
      status.last_error.clear();
    }
    return end;
  }

  void Run() {
    LoadCachedReferential();
    auto last_session = std::chrono::steady_clock::now();
    std::uint64_t hub_size = 0;
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (stopping) break;
      }
      SessionEnd end;
      try {
        RefreshReferentialIfDue();
        end = Session();
      } catch (const std::exception& e) {
        // The node's database or a bug: log, back off, try again.
        spdlog::error("synchronisation {} : {}", options.region, e.what());
        SetState("retrying", e.what());
        end = SessionEnd::kRetry;
      }
      last_session = std::chrono::steady_clock::now();
      switch (end) {
        case SessionEnd::kStopped:
          break;
        case SessionEnd::kMoreToDo:
          backoff.Reset();
          continue;
        case SessionEnd::kRetry:
          if (!Wait(backoff.Next(), false)) break;
          continue;
        case SessionEnd::kRefused:
        case SessionEnd::kHubAhead:
        case SessionEnd::kForked:
          backoff.Reset();
          if (!Wait(options.refused_backoff, true)) break;
          continue;
        case SessionEnd::kCaughtUp: {
          backoff.Reset();
          {
            std::lock_guard lock(mutex);
            hub_size = status.hub_tree_size.value_or(0);
          }
          // Poll for new entries until one shows up or the heartbeat is due.
          bool again = true;
          while (again) {
            if (!Wait(options.poll_interval, true)) {
              again = false;
              break;
            }
            if (std::chrono::steady_clock::now() - last_session >= options.heartbeat_interval) break;
            try {
              if (ReadHead().size() > hub_size) break;
            } catch (const std::exception& e) {
              spdlog::warn("synchronisation {} : {}", options.region, e.what());
            }
          }
          if (!again) break;
          continue;
        }
      }
      break;  // stopping
    }
    SetState("stopped");
  }
};

HubUploader::HubUploader(HubUploaderOptions options, Ed25519Signer signer, const Clock& clock,
                         std::function<double()> random01)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(signer), clock,
                                   std::move(random01))) {
  impl_->channel = MakeHubChannel(impl_->options.channel);
  impl_->stub = v1::Replication::NewStub(impl_->channel);
}

HubUploader::~HubUploader() { Stop(); }

void HubUploader::Start() {
  impl_->thread = std::thread([this] { impl_->Run(); });
}

void HubUploader::Stop() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;
    if (impl_->current) impl_->current->TryCancel();
  }
  impl_->wake.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
}

void HubUploader::Wake() {
  {
    std::lock_guard lock(impl_->mutex);
    impl_->woken = true;
  }
  impl_->wake.notify_all();
}

UploaderStatus HubUploader::Status() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->status;
}

}  // namespace ess::node
