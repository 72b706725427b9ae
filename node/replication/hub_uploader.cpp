#include "node/replication/hub_uploader.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/checkpoint.h"
#include "core/replication_auth.h"
#include "node/replication/backoff.h"
#include "node/replication/batch_builder.h"

namespace ess::node {

namespace v1 = federation::v1;

namespace {

enum class SessionEnd {
  kCaughtUp,  // nothing more to send: wait for news
  kMoreToDo,  // progress, stream ended early (deadline, hub state moved): go on at once
  kRetry,     // hub away or stream broken: backoff
  kRefused,   // refused batch or stream: an admin must act, wait long
  kHubAhead,  // the hub holds more or other: journal blocked, wait long
  kForked,    // the hub stopped the region on a fork
  kStopped,
};

using ReplicationStream = grpc::ClientReaderWriterInterface<v1::NodeMessage, v1::HubMessage>;

constexpr std::size_t kMessageMargin = 64 * 1024;  // note, proof and framing beside entries

}  // namespace

struct HubUploader::Impl {
  class ReplicationSession;

  HubUploaderOptions options;
  UploaderStore& store;
  v1::Replication::StubInterface& hub;
  Ed25519Signer signer;
  const Clock& clock;
  Backoff backoff;
  std::string origin;
  std::thread thread;

  mutable std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;
  bool woken = false;
  grpc::ClientContext* current = nullptr;
  UploaderStatus status;

  Impl(HubUploaderOptions opts, UploaderStore& s, v1::Replication::StubInterface& h,
       Ed25519Signer key, const Clock& c, std::function<double()> random01)
      : options(std::move(opts)),
        store(s),
        hub(h),
        signer(std::move(key)),
        clock(c),
        backoff(options.initial_backoff, options.max_backoff, std::move(random01)),
        origin(RegionOrigin(options.federation, options.region)) {}

  BatchSource Source() { return {store, origin, signer}; }

  void SetState(std::string state, std::string error = {}) {
    std::lock_guard lock(mutex);
    status.state = std::move(state);
    if (!error.empty()) status.last_error = std::move(error);
  }

  bool Stopping() const {
    std::lock_guard lock(mutex);
    return stopping;
  }

  // Waits up to `d`; false when stopping. Returns early on Wake() if `wakeable`.
  bool Wait(std::chrono::milliseconds d, bool wakeable) {
    std::unique_lock lock(mutex);
    wake.wait_for(lock, d, [&] { return stopping || (wakeable && woken); });
    woken = false;
    return !stopping;
  }

  // The session ended on `message` (French): the status shows it in `state`, and the node's
  // database keeps it for the admin's page when it can.
  void Fail(std::string state, const std::string& message) {
    try {
      store.RecordError(message);
    } catch (const std::exception& e) {
      spdlog::debug("synchronisation : erreur non enregistrée ({})", e.what());
    }
    SetState(std::move(state), message);
  }

  std::uint64_t ReadNodeSize() {
    const std::uint64_t size = store.LogSize();
    std::lock_guard lock(mutex);
    status.node_tree_size = size;
    return size;
  }

  // The hub's state does not extend the node's log: block the journal and say why.
  void Block(const std::string& reason) {
    spdlog::error(
        "synchronisation {} : {} ; le journal refuse les écritures jusqu'à résolution "
        "(docs/replication.md)",
        options.region, reason);
    store.BlockAppends(reason);
  }

  SessionEnd Session();
  // Caught up: looks for new entries every poll_interval (or on Wake()) until one shows up
  // or the heartbeat is due. False when stopping.
  bool WaitForNews(std::chrono::steady_clock::time_point last_session);
  void Run();
};

// One replication stream, from hello to close (docs/protocol.md section 7.1). Run() calls the steps
// in order; each step that ends the stream returns how it ended.
class HubUploader::Impl::ReplicationSession {
 public:
  explicit ReplicationSession(Impl& uploader) : up_(uploader) {
    // gRPC deadlines are real time, whatever the injected clock says.
    context_.set_deadline(std::chrono::system_clock::now() + up_.options.session_deadline);
  }
  grpc::ClientContext& context() { return context_; }

  SessionEnd Run() {
    OpenStream();
    if (!Hello()) return Close(false);
    if (!Authenticate()) return Close(false);
    if (auto end = CheckHubState()) return *end;
    ReadLimits();
    up_.SetState("replicating");
    bool caught_up = false;
    try {
      caught_up = SendBatches();
    } catch (const PlanningError& e) {
      std::string message = std::string("lot impossible à former : ") + e.what();
      spdlog::error("synchronisation {} : {}", up_.options.region, message);
      up_.Fail("refused", message);
      context_.TryCancel();
      Close(false);
      return SessionEnd::kRefused;
    } catch (...) {
      context_.TryCancel();
      Close(false);
      throw;
    }
    SessionEnd end = Close(caught_up);
    if (end == SessionEnd::kCaughtUp) {
      up_.SetState("caught_up");
      up_.store.ClearError();
      std::lock_guard lock(up_.mutex);
      up_.status.last_error.clear();
    }
    return end;
  }

 private:
  // Reads the node's log size (for the hello) and opens the replication stream.
  void OpenStream() {
    node_size_ = up_.ReadNodeSize();
    stream_ = up_.hub.Replicate(&context_);
  }

  // ReplicationHello, answered by the hub's ReplicaState. False if none came.
  bool Hello() {
    v1::NodeMessage hello;
    hello.mutable_hello()->set_region(up_.options.region);
    hello.mutable_hello()->set_tree_size(node_size_);
    hello.mutable_hello()->set_site_url(up_.options.site_url);
    v1::HubMessage reply;
    if (!stream_->Write(hello) || !stream_->Read(&reply) || !reply.has_state() ||
        reply.state().root().size() != kHashSize) {
      return false;
    }
    state_ = reply.state();
    return true;
  }

  // Proves the stream speaks for the region (docs/protocol.md section 7.1, step 3); a forked
  // region is told nothing more. False if the stream must end.
  bool Authenticate() {
    if (state_.region_status() == "forked") return true;
    if (state_.challenge().size() != kReplicationChallengeSize ||
        !IsValidKeyName(state_.hub_name())) {
      spdlog::warn("synchronisation {} : défi du hub illisible", up_.options.region);
      context_.TryCancel();
      return false;
    }
    ReplicationChallenge challenge;
    std::copy(state_.challenge().begin(), state_.challenge().end(), challenge.begin());
    const Bytes answer =
        SignReplicationChallenge(up_.origin, up_.signer, state_.hub_name(), challenge);
    v1::NodeMessage auth;
    auth.mutable_auth()->set_signature(std::string(answer.begin(), answer.end()));
    AttachRotationProof(*auth.mutable_auth());
    return stream_->Write(auth);
  }

  // When the node's latest key rotation is not at the hub yet, the hub does not know the key
  // that signs the challenge: the rotation record, proven in the checkpoint the old key
  // signed right after it, vouches for it.
  void AttachRotationProof(v1::ReplicationAuth& auth) {
    auto index = up_.store.LatestIndexOfKind(RecordKind::kKeyRotation);
    if (!index || *index < state_.tree_size()) return;
    if (auto proof = ProvenRecord(up_.store, *index, *index + 1)) {
      *auth.mutable_rotation() = std::move(*proof);
    }
  }

  // Records the hub's state and checks that it is a prefix of the node's log; if not (or the
  // region is forked) the session ends here. Lifts the append block once it is.
  std::optional<SessionEnd> CheckHubState() {
    hub_size_ = state_.tree_size();
    Hash hub_root;
    std::copy(state_.root().begin(), state_.root().end(), hub_root.begin());
    up_.store.RecordHubState(hub_size_, hub_root, state_.region_status());
    {
      std::lock_guard lock(up_.mutex);
      up_.status.hub_tree_size = hub_size_;
      up_.status.last_contact = up_.clock.Now();
    }
    if (state_.region_status() == "forked") {
      Close(false);
      std::string message =
          "le hub a arrêté la région sur une divergence (fork) : un "
          "administrateur doit intervenir (essctl region ...)";
      up_.Fail("forked", message);
      return SessionEnd::kForked;
    }
    // Another process of this node on the same database may have sent the hub newer entries
    // since the hello read node_size_: the database, read again now, holds all of them.
    if (hub_size_ > node_size_) node_size_ = up_.ReadNodeSize();
    if (hub_size_ > node_size_) {
      up_.Block("le hub détient " + std::to_string(hub_size_) + " entrées de la région, ce nœud " +
                std::to_string(node_size_) + " : nœud restauré depuis une ancienne sauvegarde ?");
      Close(false);
      up_.SetState("hub_ahead", "hub en avance sur le nœud");
      return SessionEnd::kHubAhead;
    }
    if (up_.store.RootAt(hub_size_) != hub_root) {
      up_.Block("le hub détient un autre journal de la région à la taille " +
                std::to_string(hub_size_) + " (racines différentes)");
      SendForkEvidence();
      Close(false);
      up_.SetState("hub_ahead", "journal du hub différent");
      return SessionEnd::kHubAhead;
    }
    if (up_.store.UnblockAppends()) {
      spdlog::info("synchronisation {} : le hub est cohérent, journal débloqué",
                   up_.options.region);
    }
    return std::nullopt;
  }

  // Shows the hub the node's checkpoint at the hub's size: its evidence of the fork.
  void SendForkEvidence() {
    v1::NodeMessage evidence;
    auto* batch = evidence.mutable_batch();
    batch->set_from_tree_size(hub_size_);
    batch->set_node_tree_size(node_size_);
    batch->set_checkpoint_note(CheckpointAt(up_.Source(), hub_size_, false));
    stream_->Write(evidence);
    in_flight_.push_back(hub_size_);
  }

  // The batch limits: the node's options within the hub's (ReplicaState).
  void ReadLimits() {
    const auto& o = up_.options;
    max_entries_ = std::max<std::size_t>(
        1, std::min<std::size_t>(o.max_batch_entries, state_.max_batch_entries()
                                                          ? state_.max_batch_entries()
                                                          : kMaxBatchEntries));
    max_bytes_ = o.max_batch_bytes;
    if (state_.max_message_bytes() > 2 * kMessageMargin) {
      max_bytes_ = std::min<std::size_t>(max_bytes_, state_.max_message_bytes() - kMessageMargin);
    }
    window_ = std::max<std::size_t>(
        1, std::min<std::size_t>(o.max_batches_in_flight, state_.max_batches_in_flight()
                                                              ? state_.max_batches_in_flight()
                                                              : o.max_batches_in_flight));
  }

  // Sends batches from the hub's size on, at most `window_` unacknowledged, reading acks,
  // until the node's log is all acknowledged (true) or the stream fails or is refused (false).
  bool SendBatches() {
    std::uint64_t next = hub_size_;
    for (;;) {
      while (in_flight_.size() < window_ && next < node_size_) {
        BuiltBatch built = BuildBatch(up_.Source(), next, node_size_, max_entries_, max_bytes_);
        if (!stream_->Write(built.message)) return false;
        in_flight_.push_back(built.end);
        next = built.end;
      }
      if (in_flight_.empty()) {
        node_size_ = up_.ReadNodeSize();
        if (node_size_ > next) continue;
        return true;
      }
      v1::HubMessage reply;
      if (!stream_->Read(&reply) || !ReadAck(reply)) return false;
    }
  }

  // Handles one hub message after the handshake: an ack is stored as the hub's receipt. False
  // when the stream must stop (a refusal, an unexpected message).
  bool ReadAck(const v1::HubMessage& reply) {
    if (reply.has_accepted() && !in_flight_.empty()) {
      const std::uint64_t size = in_flight_.front();
      in_flight_.pop_front();
      up_.store.RecordReceipt(size, reply.accepted().cosigned_checkpoint());
      progress_ = true;
      std::lock_guard lock(up_.mutex);
      up_.status.hub_tree_size = reply.accepted().tree_size();
      ++up_.status.batches_accepted;
      up_.status.last_contact = up_.clock.Now();
      return true;
    }
    if (reply.has_rejected()) {
      const auto& r = reply.rejected();
      std::string message = "lot refusé par le hub (" + r.code() + ") : " + r.reason();
      spdlog::error("synchronisation {} : {}", up_.options.region, message);
      up_.Fail("refused", message);
      refused_ = true;
      return false;
    }
    spdlog::warn("synchronisation {} : message inattendu du hub", up_.options.region);
    return false;
  }

  // Closes the node's side, reads what the hub still sends (acks of batches in flight, a
  // rejection), and turns the stream's status into how the session ended (docs/protocol.md
  // section 7.2, last paragraph).
  SessionEnd Close(bool caught_up) {
    stream_->WritesDone();
    v1::HubMessage reply;
    while (stream_->Read(&reply)) ReadAck(reply);
    grpc::Status st = stream_->Finish();
    if (up_.Stopping()) return SessionEnd::kStopped;
    if (refused_) return SessionEnd::kRefused;
    if (st.ok()) return caught_up ? SessionEnd::kCaughtUp : SessionEnd::kMoreToDo;
    // The admin's page shows this message: say in French what the node knows.
    std::string message =
        (st.error_code() == grpc::StatusCode::UNAVAILABLE ? "hub injoignable : " : "hub : ") +
        st.error_message();
    switch (st.error_code()) {
      case grpc::StatusCode::DEADLINE_EXCEEDED:
        if (progress_) return SessionEnd::kMoreToDo;
        break;
      case grpc::StatusCode::FAILED_PRECONDITION:
      case grpc::StatusCode::NOT_FOUND:
      case grpc::StatusCode::PERMISSION_DENIED:
      case grpc::StatusCode::INVALID_ARGUMENT:
      case grpc::StatusCode::UNAUTHENTICATED:
        spdlog::error("synchronisation {} refusée : {}", up_.options.region, st.error_message());
        up_.Fail("refused", message);
        return SessionEnd::kRefused;
      default: break;
    }
    spdlog::warn("synchronisation {} interrompue ({}) : {}", up_.options.region,
                 static_cast<int>(st.error_code()), st.error_message());
    up_.Fail("retrying", message);
    if (progress_) up_.backoff.Reset();
    return SessionEnd::kRetry;
  }

  Impl& up_;
  grpc::ClientContext context_;
  std::unique_ptr<ReplicationStream> stream_;
  std::uint64_t node_size_ = 0;
  std::uint64_t hub_size_ = 0;
  v1::ReplicaState state_;
  std::deque<std::uint64_t> in_flight_;  // the checkpoint sizes of batches not yet acked
  bool progress_ = false;
  bool refused_ = false;
  std::size_t max_entries_ = 1;
  std::size_t max_bytes_ = 0;
  std::size_t window_ = 1;
};

SessionEnd HubUploader::Impl::Session() {
  ReplicationSession session(*this);
  {
    std::lock_guard lock(mutex);
    if (stopping) return SessionEnd::kStopped;
    current = &session.context();
    ++status.sessions;
  }
  struct Release {
    Impl& impl;
    ~Release() {
      std::lock_guard lock(impl.mutex);
      impl.current = nullptr;
    }
  } release{*this};
  return session.Run();
}

bool HubUploader::Impl::WaitForNews(std::chrono::steady_clock::time_point last_session) {
  std::uint64_t hub_size = 0;
  {
    std::lock_guard lock(mutex);
    hub_size = status.hub_tree_size.value_or(0);
  }
  for (;;) {
    if (!Wait(options.poll_interval, true)) return false;
    if (clock.SteadyNow() - last_session >= options.heartbeat_interval) return true;
    try {
      if (store.LogSize() > hub_size) return true;
    } catch (const std::exception& e) {
      spdlog::warn("synchronisation {} : {}", options.region, e.what());
    }
  }
}

void HubUploader::Impl::Run() {
  for (;;) {
    if (Stopping()) break;
    SessionEnd end;
    try {
      end = Session();
    } catch (const std::exception& e) {
      // The node's database or a bug: log, back off, try again.
      spdlog::error("synchronisation {} : {}", options.region, e.what());
      SetState("retrying", e.what());
      end = SessionEnd::kRetry;
    }
    const auto last_session = clock.SteadyNow();
    bool go_on = false;
    switch (end) {
      case SessionEnd::kStopped: break;
      case SessionEnd::kMoreToDo:
        backoff.Reset();
        go_on = true;
        break;
      case SessionEnd::kRetry: go_on = Wait(backoff.Next(), false); break;
      case SessionEnd::kRefused:
      case SessionEnd::kHubAhead:
      case SessionEnd::kForked:
        backoff.Reset();
        go_on = Wait(options.refused_backoff, true);
        break;
      case SessionEnd::kCaughtUp:
        backoff.Reset();
        go_on = WaitForNews(last_session);
        break;
    }
    if (!go_on) break;
  }
  SetState("stopped");
}

HubUploader::HubUploader(HubUploaderOptions options, UploaderStore& store,
                         v1::Replication::StubInterface& hub, Ed25519Signer signer,
                         const Clock& clock, std::function<double()> random01)
    : impl_(std::make_unique<Impl>(std::move(options), store, hub, std::move(signer), clock,
                                   std::move(random01))) {}

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
