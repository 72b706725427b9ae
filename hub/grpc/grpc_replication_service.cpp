#include "hub/grpc/grpc_replication_service.h"

#include <deque>
#include <memory>
#include <mutex>

#include <spdlog/spdlog.h>

#include "core/log_entry.h"
#include "core/sha256.h"
#include "core/verdict.h"

namespace ess::hub {

namespace v1 = federation::v1;
using SteadyClock = std::chrono::steady_clock;

namespace {

// An inclusion proof has one hash per level of the tree: 64 for the largest possible log.
constexpr int kMaxProofHashes = 64;

Bytes ToBytesOf(const std::string& s) { return Bytes(s.begin(), s.end()); }

// A record with its proof as received, or nullopt when it is not even shaped like one (hashes
// or salt of the wrong size, too long a proof or note): the check it was for then fails.
std::optional<RecordProof> RecordProofOf(const v1::RecordProof& r) {
  RecordProof proof;
  proof.entry = ToBytesOf(r.entry().entry());
  if (!r.entry().payload().empty() || !r.entry().salt().empty()) {
    if (r.entry().salt().size() != kSaltSize) return std::nullopt;
    proof.payload = ToBytesOf(r.entry().payload());
    proof.salt.emplace();
    std::copy(r.entry().salt().begin(), r.entry().salt().end(), proof.salt->begin());
  }
  if (r.inclusion_proof_size() > kMaxProofHashes ||
      r.checkpoint_note().size() > kMaxCheckpointNoteBytes) {
    return std::nullopt;
  }
  for (const auto& h : r.inclusion_proof()) {
    if (h.size() != kHashSize) return std::nullopt;
    Hash hash;
    std::copy(h.begin(), h.end(), hash.begin());
    proof.inclusion_proof.push_back(hash);
  }
  proof.checkpoint_note = r.checkpoint_note();
  return proof;
}

IncomingBatch ToIncomingBatch(const v1::NodeMessage& message) {
  const v1::ReplicationBatch& batch = message.batch();
  IncomingBatch out;
  out.from_tree_size = batch.from_tree_size();
  out.node_tree_size = batch.node_tree_size();
  out.checkpoint_note = batch.checkpoint_note();
  out.message_bytes = message.ByteSizeLong();
  out.message_sha256 = [&message] { return Sha256Of(message.SerializeAsString()); };
  out.consistency_proof.reserve(batch.consistency_proof_size());
  for (const auto& h : batch.consistency_proof()) out.consistency_proof.push_back(ToBytesOf(h));
  out.entries.reserve(batch.entries_size());
  for (const auto& e : batch.entries()) {
    out.entries.push_back({ToBytesOf(e.entry()), ToBytesOf(e.payload()), ToBytesOf(e.salt()),
                           e.has_erasure() ? RecordProofOf(e.erasure()) : std::nullopt});
  }
  return out;
}

grpc::Status StatusOf(grpc::StatusCode code, std::string message) {
  return grpc::Status(code, std::move(message));
}

}  // namespace

// --- Stream places ---

bool ReplicationStreamPlaces::TakeHandshake(const std::string& peer) {
  std::lock_guard lock(mutex_);
  std::size_t& of_peer = handshakes_per_peer_[peer];
  if (handshakes_ >= limits_.max_handshakes || of_peer >= limits_.max_handshakes_per_connection) {
    if (of_peer == 0) handshakes_per_peer_.erase(peer);
    return false;
  }
  ++handshakes_;
  ++of_peer;
  return true;
}

bool ReplicationStreamPlaces::Authenticate(const std::string& peer, const std::string& region) {
  std::lock_guard lock(mutex_);
  std::size_t& of_region = per_region_[region];
  if (authenticated_ >= limits_.max_streams || of_region >= limits_.max_streams_per_region) {
    if (of_region == 0) per_region_.erase(region);
    return false;
  }
  ReleaseHandshakeLocked(peer);
  ++authenticated_;
  ++of_region;
  return true;
}

void ReplicationStreamPlaces::Release(const std::string& peer,
                                      const std::optional<std::string>& authenticated_region) {
  std::lock_guard lock(mutex_);
  if (!authenticated_region) {
    ReleaseHandshakeLocked(peer);
    return;
  }
  --authenticated_;
  auto it = per_region_.find(*authenticated_region);
  if (it != per_region_.end() && --it->second == 0) per_region_.erase(it);
}

std::pair<std::size_t, std::size_t> ReplicationStreamPlaces::Counts() const {
  std::lock_guard lock(mutex_);
  return {handshakes_, authenticated_};
}

void ReplicationStreamPlaces::ReleaseHandshakeLocked(const std::string& peer) {
  --handshakes_;
  auto it = handshakes_per_peer_.find(peer);
  if (it != handshakes_per_peer_.end() && --it->second == 0) handshakes_per_peer_.erase(it);
}

// --- One stream ---

// Lifetime: owned by `self_` until OnDone, and by the worker tasks in flight, so a task that
// is still returning after Finish never touches freed memory.
//
// State changes happen under `mutex_`; the gRPC operations they call for (StartRead,
// StartWrite, Finish) and worker posts are collected as Actions and run after the lock is
// released, because gRPC may run a reaction inline in the thread that starts an operation.
class ReplicationReactor final : public grpc::ServerBidiReactor<v1::NodeMessage, v1::HubMessage> {
 public:
  ReplicationReactor(grpc::CallbackServerContext* context, ReplicationService& service,
                     RegionReplicas& replicas, WorkQueue& workers, bool require_region_certificate)
      : context_(context),
        service_(service),
        replicas_(replicas),
        workers_(workers),
        require_region_certificate_(require_region_certificate),
        peer_(context->peer()),
        started_(SteadyClock::now()),
        last_activity_(started_) {}

  void Start(std::shared_ptr<ReplicationReactor> self) {
    self_ = std::move(self);
    if (!service_.places().TakeHandshake(peer_)) {
      // No place: refuse before reading anything, so the stream costs nothing.
      {
        std::lock_guard lock(mutex_);
        holds_place_ = false;
        finished_ = true;
      }
      Finish(StatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "trop de flux en cours d'ouverture au hub ; réessayer plus tard"));
      return;
    }
    {
      std::lock_guard lock(mutex_);
      holds_place_ = true;
      reading_ = true;
    }
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    Actions actions;
    {
      std::lock_guard lock(mutex_);
      reading_ = false;
      last_activity_ = SteadyClock::now();
      if (!ok) {
        read_closed_ = true;
        // Before any hello, a failed read is a message that did not parse (or a node that
        // hung up at once): say so rather than end with OK.
        if (!hello_seen_ && !finish_status_ && !cancelled_) {
          finish_status_ = StatusOf(grpc::StatusCode::INVALID_ARGUMENT,
                                    "flux fermé ou message illisible avant le ReplicationHello");
        }
      } else {
        if (incoming_.has_hello()) hello_seen_ = true;
        pending_.push_back(std::move(incoming_));
        incoming_.Clear();
        ReadMoreLocked(actions);
        ScheduleLocked(actions);
      }
      MaybeFinishLocked(actions);
    }
    Run(std::move(actions));
  }

  void OnWriteDone(bool ok) override {
    Actions actions;
    {
      std::lock_guard lock(mutex_);
      writes_.pop_front();
      if (!ok) {
        // The peer is gone: nothing more will be delivered.
        writes_.clear();
        if (!finish_status_) {
          finish_status_ = StatusOf(grpc::StatusCode::CANCELLED, "écriture impossible");
        }
      }
      if (!writes_.empty()) {
        actions.write = &writes_.front();
      } else {
        writing_ = false;
        MaybeFinishLocked(actions);
      }
    }
    Run(std::move(actions));
  }

  void OnCancel() override {
    Actions actions;
    {
      std::lock_guard lock(mutex_);
      cancelled_ = true;
      if (!finish_status_) finish_status_ = grpc::Status::CANCELLED;
      pending_.clear();
      MaybeFinishLocked(actions);
    }
    Run(std::move(actions));
  }

  void OnDone() override {
    {
      std::lock_guard lock(mutex_);
      if (holds_place_) service_.places().Release(peer_, authenticated_region_);
      holds_place_ = false;
    }
    service_.Forget(this);
    self_.reset();
  }

  // From the deadline thread: ends the stream if one of its deadlines has passed.
  void CheckDeadlines(SteadyClock::time_point now, const ReplicationStreamLimits& limits) {
    Actions actions;
    bool cancel = false;
    {
      std::lock_guard lock(mutex_);
      if (finished_ || finish_status_) {
        // Finishing but stuck behind a write the peer never reads: cut it.
        cancel = !finished_ && writing_ && now - last_activity_ > limits.idle_timeout;
      } else {
        std::optional<std::string> why;
        if (!authenticated_region_ && now - started_ > limits.handshake_timeout) {
          why = "authentification non terminée à temps";
        } else if (now - started_ > limits.max_stream_duration) {
          why = "durée maximale du flux atteinte ; rouvrir un flux";
        } else if (!processing_ && now - last_activity_ > limits.idle_timeout) {
          why = "flux inactif trop longtemps";
        }
        if (why) {
          finish_status_ = StatusOf(grpc::StatusCode::DEADLINE_EXCEEDED, *why);
          pending_.clear();
          MaybeFinishLocked(actions);
          cancel = !actions.finish && writing_;
        }
      }
    }
    Run(std::move(actions));
    if (cancel) context_->TryCancel();
  }

 private:
  struct Actions {
    bool start_read = false;
    const v1::HubMessage* write = nullptr;
    std::optional<grpc::Status> finish;
    bool schedule = false;
  };

  void Run(Actions actions) {
    if (actions.write) StartWrite(actions.write);
    if (actions.start_read) StartRead(&incoming_);
    if (actions.schedule) workers_.Post([self = self_] { self->ProcessOne(); });
    if (actions.finish) Finish(std::move(*actions.finish));
  }

  // Reads ahead while the backlog is small and the stream goes on. Before authentication a
  // stream holds one message at a time.
  void ReadMoreLocked(Actions& actions) {
    if (reading_ || read_closed_ || finish_status_) return;
    const std::size_t held = pending_.size() + (processing_ ? 1 : 0);
    if (held >= (authenticated_region_ ? kReadAhead : 1)) return;
    reading_ = true;
    actions.start_read = true;
  }

  // Starts a worker task unless one is running for this stream.
  void ScheduleLocked(Actions& actions) {
    if (processing_ || pending_.empty() || finish_status_) return;
    processing_ = true;
    actions.schedule = true;
  }

  // Finishes once the outcome is known (or the node closed its side) and nothing is being
  // processed or written.
  void MaybeFinishLocked(Actions& actions) {
    if (finished_ || processing_ || writing_) return;
    if (!finish_status_ && (!read_closed_ || !pending_.empty())) return;
    finished_ = true;
    actions.finish = finish_status_.value_or(grpc::Status::OK);
  }

  void QueueWriteLocked(v1::HubMessage message, Actions& actions) {
    if (cancelled_) return;
    writes_.push_back(std::move(message));
    if (!writing_) {
      writing_ = true;
      actions.write = &writes_.front();
    }
  }

  // On a worker thread: one message, then the next task if more are waiting.
  void ProcessOne() {
    std::optional<v1::NodeMessage> message;
    {
      std::lock_guard lock(mutex_);
      if (!pending_.empty() && !finish_status_) {
        message = std::move(pending_.front());
        pending_.pop_front();
      }
    }
    std::vector<v1::HubMessage> replies;
    std::optional<grpc::Status> end;
    if (message) {
      try {
        Handle(*message, replies, end);
      } catch (const std::exception& e) {
        spdlog::error("réplication {} ({}) : {}", region_.empty() ? "?" : region_, peer_, e.what());
        end = StatusOf(grpc::StatusCode::UNAVAILABLE,
                       "le hub ne peut pas traiter le lot pour l'instant ; réessayer plus tard");
      }
    }
    Actions actions;
    {
      std::lock_guard lock(mutex_);
      processing_ = false;
      last_activity_ = SteadyClock::now();
      // Only one write can be started per Run(): queue them all, start the first.
      for (auto& r : replies) QueueWriteLocked(std::move(r), actions);
      if (end && !finish_status_) {
        finish_status_ = std::move(end);
        pending_.clear();
      }
      ReadMoreLocked(actions);
      ScheduleLocked(actions);
      MaybeFinishLocked(actions);
    }
    Run(std::move(actions));
  }

  void Handle(v1::NodeMessage& message, std::vector<v1::HubMessage>& replies,
              std::optional<grpc::Status>& end) {
    if (message.has_hello()) return HandleHello(message.hello(), replies, end);
    if (message.has_auth()) return HandleAuth(message.auth(), end);
    if (message.has_batch()) return HandleBatch(message, replies, end);
    end = StatusOf(grpc::StatusCode::INVALID_ARGUMENT, "message vide");
  }

  void HandleHello(const v1::ReplicationHello& hello, std::vector<v1::HubMessage>& replies,
                   std::optional<grpc::Status>& end) {
    if (!region_.empty()) {
      end = StatusOf(grpc::StatusCode::INVALID_ARGUMENT, "ReplicationHello répété");
      return;
    }
    const std::string& region = hello.region();
    if (!IsWellFormedRegionCode(region)) {
      end = StatusOf(grpc::StatusCode::INVALID_ARGUMENT, "code de région illisible");
      return;
    }
    std::optional<std::vector<std::string>> names;
    if (require_region_certificate_) names = PeerCertificateNames(*context_);
    StreamStart start = replicas_.OpenStream(region, names);
    switch (start.refusal) {
      case StreamRefusal::kNotEnrolled:
        end = StatusOf(grpc::StatusCode::NOT_FOUND, start.reason);
        return;
      case StreamRefusal::kWrongPeer:
        spdlog::warn("réplication {} refusé ({}) : {}", region, peer_, start.reason);
        end = StatusOf(grpc::StatusCode::PERMISSION_DENIED, start.reason);
        return;
      case StreamRefusal::kForked:
      case StreamRefusal::kNone: break;
    }
    region_ = region;
    node_tree_size_ = hello.tree_size();
    site_url_ = hello.site_url();
    challenge_ = NewReplicationChallenge();
    v1::HubMessage reply;
    auto* state = reply.mutable_state();
    state->set_region(region);
    state->set_tree_size(start.state.tree_size);
    state->set_root(std::string(start.state.root.begin(), start.state.root.end()));
    state->set_checkpoint_note(start.state.checkpoint_note);
    state->set_region_status(start.state.region_status);
    state->set_max_batch_entries(replicas_.limits().max_batch_entries);
    state->set_max_message_bytes(replicas_.limits().max_message_bytes);
    state->set_max_batches_in_flight(replicas_.limits().max_batches_in_flight);
    state->set_challenge(std::string(challenge_.begin(), challenge_.end()));
    state->set_hub_name(replicas_.cosigner_name());
    replies.push_back(std::move(reply));
    if (start.refusal == StreamRefusal::kForked) {
      end = StatusOf(grpc::StatusCode::FAILED_PRECONDITION, start.reason);
    }
  }

  void HandleAuth(const v1::ReplicationAuth& auth, std::optional<grpc::Status>& end) {
    if (region_.empty()) {
      end = StatusOf(grpc::StatusCode::INVALID_ARGUMENT, "un ReplicationHello doit ouvrir le flux");
      return;
    }
    if (authenticated_) {
      end = StatusOf(grpc::StatusCode::INVALID_ARGUMENT, "ReplicationAuth répété");
      return;
    }
    std::string reason;
    const std::optional<RecordProof> rotation =
        auth.has_rotation() ? RecordProofOf(auth.rotation()) : std::nullopt;
    switch (replicas_.Authenticate(region_, challenge_, AsBytes(auth.signature()),
                                   rotation ? &*rotation : nullptr, node_tree_size_, peer_, reason,
                                   site_url_)) {
      case AuthOutcome::kNotEnrolled: end = StatusOf(grpc::StatusCode::NOT_FOUND, reason); return;
      case AuthOutcome::kRefused:
        spdlog::warn("réplication {} ({}) : {}", region_, peer_, reason);
        end = StatusOf(grpc::StatusCode::UNAUTHENTICATED, reason);
        return;
      case AuthOutcome::kAuthenticated: break;
    }
    if (!service_.places().Authenticate(peer_, region_)) {
      end = StatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     "trop de flux ouverts pour la région " + region_ + " ou pour le hub");
      return;
    }
    authenticated_ = true;
    std::lock_guard lock(mutex_);
    authenticated_region_ = region_;  // the place OnDone gives back
  }

  void HandleBatch(const v1::NodeMessage& message, std::vector<v1::HubMessage>& replies,
                   std::optional<grpc::Status>& end) {
    if (region_.empty()) {
      end = StatusOf(grpc::StatusCode::INVALID_ARGUMENT, "un ReplicationHello doit ouvrir le flux");
      return;
    }
    if (!authenticated_) {
      end = StatusOf(grpc::StatusCode::UNAUTHENTICATED,
                     "le flux doit répondre au défi (ReplicationAuth) avant d'envoyer des lots");
      return;
    }
    const auto started = std::chrono::steady_clock::now();
    BatchOutcome outcome = replicas_.ApplyBatch(region_, ToIncomingBatch(message), peer_);
    if (ReplicationMetrics* m = service_.metrics()) {
      const char* name = outcome.kind == BatchOutcome::Kind::kAccepted   ? "accepted"
                         : outcome.kind == BatchOutcome::Kind::kRejected ? "rejected"
                                                                         : "region_stopped";
      m->batch_apply.With({name}).Observe(
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
      if (outcome.kind == BatchOutcome::Kind::kAccepted) {
        m->ingested.With({region_}).Inc(static_cast<double>(outcome.new_entries));
        m->tree_size.With({region_}).Set(static_cast<double>(outcome.tree_size));
      } else if (outcome.kind == BatchOutcome::Kind::kRejected) {
        m->refused.With({region_, std::string(VerdictCodeName(outcome.verdict.code))})
            .Inc(static_cast<double>(message.batch().entries_size()));
      }
    }
    switch (outcome.kind) {
      case BatchOutcome::Kind::kAccepted: {
        v1::HubMessage reply;
        auto* accepted = reply.mutable_accepted();
        accepted->set_tree_size(outcome.tree_size);
        accepted->set_cosigned_checkpoint(outcome.cosigned_checkpoint);
        accepted->set_resent_entries(outcome.resent_entries);
        replies.push_back(std::move(reply));
        return;
      }
      case BatchOutcome::Kind::kRejected: {
        spdlog::warn("réplication {} : lot refusé ({}) : {}", region_,
                     VerdictCodeName(outcome.verdict.code), outcome.verdict.reason);
        v1::HubMessage reply;
        auto* rejected = reply.mutable_rejected();
        rejected->set_code(std::string(VerdictCodeName(outcome.verdict.code)));
        rejected->set_reason(outcome.verdict.reason);
        if (outcome.failed_index) {
          rejected->set_index(*outcome.failed_index);
          rejected->set_has_index(true);
        }
        replies.push_back(std::move(reply));
        end = StatusOf(grpc::StatusCode::FAILED_PRECONDITION, outcome.verdict.reason);
        return;
      }
      case BatchOutcome::Kind::kRegionStopped:
        end = StatusOf(grpc::StatusCode::FAILED_PRECONDITION, outcome.verdict.reason);
        return;
    }
  }

  grpc::CallbackServerContext* context_;
  ReplicationService& service_;
  RegionReplicas& replicas_;
  WorkQueue& workers_;
  const bool require_region_certificate_;
  const std::string peer_;
  const SteadyClock::time_point started_;
  std::shared_ptr<ReplicationReactor> self_;

  std::mutex mutex_;
  v1::NodeMessage incoming_;             // the read buffer
  std::deque<v1::NodeMessage> pending_;  // read, not yet processed
  std::deque<v1::HubMessage> writes_;    // front() is being written
  bool reading_ = false;
  bool writing_ = false;
  bool processing_ = false;
  bool read_closed_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  bool hello_seen_ = false;  // a hello message has been read
  bool holds_place_ = false;
  SteadyClock::time_point last_activity_;
  std::optional<grpc::Status> finish_status_;
  std::optional<std::string> authenticated_region_;  // under mutex_: the place it holds

  // Touched by the worker only (one task at a time per stream).
  std::string region_;  // set by the hello
  std::uint64_t node_tree_size_ = 0;
  std::string site_url_;  // announced by the hello, stored once authenticated
  ReplicationChallenge challenge_{};
  bool authenticated_ = false;
};

std::vector<std::string> PeerCertificateNames(const grpc::ServerContextBase& context) {
  std::vector<std::string> out;
  auto auth = context.auth_context();
  if (!auth || !auth->IsPeerAuthenticated()) return out;
  for (const char* property : {"x509_common_name", "x509_subject_alternative_name"}) {
    for (const auto& value : auth->FindPropertyValues(property)) {
      out.emplace_back(value.data(), value.size());
    }
  }
  return out;
}

ReplicationService::ReplicationService(RegionReplicas& replicas, WorkQueue& workers,
                                       bool require_region_certificate,
                                       ReplicationStreamLimits limits, MetricsRegistry* metrics)
    : replicas_(replicas),
      workers_(workers),
      require_region_certificate_(require_region_certificate),
      limits_(limits),
      places_(limits_),
      metrics_(metrics ? std::make_unique<ReplicationMetrics>(*metrics) : nullptr),
      watchdog_([this] { WatchDeadlines(); }) {
  if (metrics) {
    Gauge& handshakes = metrics_->streams.With({"handshake"});
    Gauge& authenticated = metrics_->streams.With({"authenticated"});
    metrics->OnScrape([this, &handshakes, &authenticated] {
      const auto [h, a] = places_.Counts();
      handshakes.Set(static_cast<double>(h));
      authenticated.Set(static_cast<double>(a));
    });
  }
}

ReplicationMetrics::ReplicationMetrics(MetricsRegistry& registry)
    : batch_apply(registry.AddHistogram(
          "ess_hub_batch_apply_seconds",
          "Durée de vérification et d'enregistrement d'un lot reçu d'une région, par issue",
          {"outcome"}, DurationBuckets())),
      ingested(registry.AddCounter("ess_hub_entries_ingested_total",
                                   "Entrées nouvelles reçues et enregistrées, par région",
                                   {"region"})),
      refused(registry.AddCounter("ess_hub_entries_refused_total",
                                  "Entrées des lots refusés, par région et motif (code du verdict)",
                                  {"region", "reason"})),
      tree_size(registry.AddGauge("ess_hub_region_tree_size",
                                  "Taille de la copie du journal de la région au hub, au dernier "
                                  "lot accepté par ce processus",
                                  {"region"})),
      streams(registry.AddGauge("ess_hub_replication_streams",
                                "Flux de réplication ouverts : en poignée de main ou authentifiés",
                                {"state"})) {}

ReplicationService::~ReplicationService() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watchdog_.join();
}

grpc::ServerBidiReactor<v1::NodeMessage, v1::HubMessage>* ReplicationService::Replicate(
    grpc::CallbackServerContext* context) {
  auto reactor = std::make_shared<ReplicationReactor>(context, *this, replicas_, workers_,
                                                      require_region_certificate_);
  ReplicationReactor* raw = reactor.get();
  {
    std::lock_guard lock(mutex_);
    streams_[raw] = reactor;
  }
  raw->Start(std::move(reactor));
  return raw;
}

void ReplicationService::Forget(ReplicationReactor* reactor) {
  std::lock_guard lock(mutex_);
  streams_.erase(reactor);
}

void ReplicationService::WatchDeadlines() {
  // A tenth of the shortest deadline, between 50 ms and 1 s: precise enough for every limit.
  auto shortest =
      std::min({limits_.handshake_timeout, limits_.idle_timeout, limits_.max_stream_duration});
  auto period = std::clamp<std::chrono::milliseconds>(shortest / 10, std::chrono::milliseconds(50),
                                                      std::chrono::milliseconds(1000));
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
    std::vector<std::shared_ptr<ReplicationReactor>> live;
    live.reserve(streams_.size());
    for (auto& [raw, weak] : streams_) {
      if (auto s = weak.lock()) live.push_back(std::move(s));
    }
    lock.unlock();
    const auto now = SteadyClock::now();
    for (auto& s : live) s->CheckDeadlines(now, limits_);
    live.clear();
    lock.lock();
  }
}

}  // namespace ess::hub
