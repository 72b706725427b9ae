#include "hub/grpc_replication_service.h"

#include <deque>
#include <memory>
#include <mutex>

#include <spdlog/spdlog.h>

#include "core/log_entry.h"
#include "core/verdict.h"

namespace ess::hub {

namespace v1 = federation::v1;

namespace {

// Messages read but not yet processed, per stream: one waits while the previous one is being
// stored, so the database never idles, and a node sending faster is held back by HTTP/2 flow
// control rather than by the hub's memory (each message is at most twice the size limit).
constexpr std::size_t kReadAhead = 2;

Bytes ToBytesOf(const std::string& s) { return Bytes(s.begin(), s.end()); }

IncomingBatch ToIncomingBatch(const v1::SyncBatch& batch, std::size_t message_bytes) {
  IncomingBatch out;
  out.from_tree_size = batch.from_tree_size();
  out.node_tree_size = batch.node_tree_size();
  out.checkpoint_note = batch.checkpoint_note();
  out.message_bytes = message_bytes;
  out.consistency_proof.reserve(batch.consistency_proof_size());
  for (const auto& h : batch.consistency_proof()) out.consistency_proof.push_back(ToBytesOf(h));
  out.entries.reserve(batch.entries_size());
  for (const auto& e : batch.entries()) {
    out.entries.push_back({ToBytesOf(e.entry()), ToBytesOf(e.payload()), ToBytesOf(e.salt())});
  }
  return out;
}

// One Sync stream. Lifetime: owned by `self_` until OnDone, and by the worker tasks in flight,
// so a task that is still returning after Finish never touches freed memory.
//
// State changes happen under `mutex_`; the gRPC operations they call for (StartRead,
// StartWrite, Finish) and worker posts are collected as Actions and run after the lock is
// released, because gRPC may run a reaction inline in the thread that starts an operation.
class SyncReactor final : public grpc::ServerBidiReactor<v1::NodeMessage, v1::HubMessage> {
 public:
  SyncReactor(grpc::CallbackServerContext* context, RegionReplicas& replicas,
              WorkerPool& workers, bool require_region_certificate)
      : context_(context),
        replicas_(replicas),
        workers_(workers),
        require_region_certificate_(require_region_certificate),
        peer_(context->peer()),
        max_pending_(kReadAhead) {}

  void Start(std::shared_ptr<SyncReactor> self) {
    self_ = std::move(self);
    {
      std::lock_guard lock(mutex_);
      reading_ = true;
    }
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    Actions actions;
    {
      std::lock_guard lock(mutex_);
      reading_ = false;
      if (!ok) {
        read_closed_ = true;
        // Before any hello, a failed read is a message that did not parse (or a node that
        // hung up at once): say so rather than end with OK.
        if (!hello_seen_ && !finish_status_ && !cancelled_) {
          finish_status_ = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                        "flux fermé ou message illisible avant le SyncHello");
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
        if (!finish_status_) finish_status_ = grpc::Status(grpc::StatusCode::CANCELLED, "écriture impossible");
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

  void OnDone() override { self_.reset(); }

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

  // Reads ahead while the backlog is small and the stream goes on.
  void ReadMoreLocked(Actions& actions) {
    if (reading_ || read_closed_ || finish_status_ || pending_.size() >= max_pending_) return;
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
        spdlog::error("sync {} ({}) : {}", region_.empty() ? "?" : region_, peer_, e.what());
        end = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                           "le hub ne peut pas traiter le lot pour l'instant ; réessayer plus tard");
      }
    }
    Actions actions;
    {
      std::lock_guard lock(mutex_);
      processing_ = false;
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
    if (message.has_hello()) {
      if (!region_.empty()) {
        end = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "SyncHello répété");
        return;
      }
      const std::string& region = message.hello().region();
      if (!IsWellFormedRegionCode(region)) {
        end = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "code de région illisible");
        return;
      }
      std::optional<std::vector<std::string>> names;
      if (require_region_certificate_) names = PeerCertificateNames(*context_);
      StreamStart start =
          replicas_.OpenStream(region, message.hello().tree_size(), peer_, names);
      switch (start.refusal) {
        case StreamRefusal::kNotEnrolled:
          end = grpc::Status(grpc::StatusCode::NOT_FOUND, start.reason);
          return;
        case StreamRefusal::kWrongPeer:
          spdlog::warn("sync {} refusé ({}) : {}", region, peer_, start.reason);
          end = grpc::Status(grpc::StatusCode::PERMISSION_DENIED, start.reason);
          return;
        case StreamRefusal::kForked:
        case StreamRefusal::kNone:
          break;
      }
      region_ = region;
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
      replies.push_back(std::move(reply));
      if (start.refusal == StreamRefusal::kForked) {
        end = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, start.reason);
      }
      return;
    }
    if (message.has_batch()) {
      if (region_.empty()) {
        end = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "un SyncHello doit ouvrir le flux");
        return;
      }
      const std::size_t size = message.ByteSizeLong();
      BatchOutcome outcome =
          replicas_.ApplyBatch(region_, ToIncomingBatch(message.batch(), size), peer_);
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
          spdlog::warn("sync {} : lot refusé ({}) : {}", region_,
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
          end = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, outcome.verdict.reason);
          return;
        }
        case BatchOutcome::Kind::kStateMoved:
          end = grpc::Status(grpc::StatusCode::ABORTED,
                             "l'état du hub a changé (taille " + std::to_string(outcome.tree_size) +
                                 ") : reprendre depuis un nouvel état");
          return;
        case BatchOutcome::Kind::kRegionStopped:
          end = grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, outcome.verdict.reason);
          return;
      }
      return;
    }
    end = grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "message vide");
  }

  grpc::CallbackServerContext* context_;
  RegionReplicas& replicas_;
  WorkerPool& workers_;
  const bool require_region_certificate_;
  const std::string peer_;
  const std::size_t max_pending_;
  std::shared_ptr<SyncReactor> self_;

  std::mutex mutex_;
  v1::NodeMessage incoming_;            // the read buffer
  std::deque<v1::NodeMessage> pending_;  // read, not yet processed
  std::deque<v1::HubMessage> writes_;    // front() is being written
  bool reading_ = false;
  bool writing_ = false;
  bool processing_ = false;
  bool read_closed_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  bool hello_seen_ = false;  // a hello message has been read
  std::optional<grpc::Status> finish_status_;
  std::string region_;  // set by the hello; touched by the worker only
};

}  // namespace

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

ReplicationService::ReplicationService(RegionReplicas& replicas, WorkerPool& workers,
                                       bool require_region_certificate)
    : replicas_(replicas),
      workers_(workers),
      require_region_certificate_(require_region_certificate) {}

grpc::ServerBidiReactor<v1::NodeMessage, v1::HubMessage>* ReplicationService::Sync(
    grpc::CallbackServerContext* context) {
  auto reactor =
      std::make_shared<SyncReactor>(context, replicas_, workers_, require_region_certificate_);
  SyncReactor* raw = reactor.get();
  raw->Start(std::move(reactor));
  return raw;
}

}  // namespace ess::hub
