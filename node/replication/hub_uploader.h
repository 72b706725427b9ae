#pragma once
// The node's replication to the national hub (docs/protocol.md section 7): one thread that
// keeps the hub's copy of the region's log up to date, whatever happens to either side.
//
// A replication session opens a replication stream (deadline `session_deadline`), says hello, and
// reads the ReplicaState the hub holds: that is where it resumes, so a restart of the node or of
// the hub, or a broken stream, loses and duplicates nothing (the hub ignores re-sent entries). Then
// it sends batches from the node's database (node/replication/batch_planner.h), at most
// `max_batches_in_flight` unacknowledged (flow control: a slow hub holds the node back instead
// of growing its memory), and stores each ack's cosigned checkpoint as the hub's receipt.
// Caught up, it closes the stream and looks for new entries every `poll_interval` (or when
// Wake() is called), and says hello every `heartbeat_interval` even without news.
//
// Failures: the hub away or a broken stream -> exponential backoff with jitter (Backoff);
// a refused batch, a forked region or a refusal of the stream -> a long wait
// (`refused_backoff`): an admin must act, retrying at once would only repeat the refusal.
// The hub ahead of the node (a node restored from an old backup) or holding another history
// -> the journal's append block is set (node/replication/hub_replication_store.h) until the hub's
// state is consistent with the node's log again.
//
// The node keeps working while the hub is away: nothing here blocks the journal except the
// append block above.
//
// Dependencies come in: the node's log and its record of the hub through an UploaderStore
// (node/replication/uploader_store.h; PgUploaderStore in the node), the hub through the
// generated Replication stub interface (a real stub on node/replication/hub_channel.h's
// channel, or a fake in tests), time through a Clock: the heartbeat is due by
// Clock::SteadyNow(), waits between looks are real time. The common referential has its own
// component (node/replication/referential_refresher.h).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/ed25519.h"
#include "core/region_log_verifier.h"
#include "node/replication/uploader_store.h"
#include "proto/federation.grpc.pb.h"

namespace ess::node {

struct HubUploaderOptions {
  std::string region;      // INSEE code
  std::string federation;  // names the log origin
  std::string site_url;    // the region's public site, announced in each hello (may be empty)
  std::chrono::milliseconds poll_interval{1'000};
  std::chrono::milliseconds heartbeat_interval{60'000};
  std::chrono::milliseconds session_deadline{120'000};
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  std::chrono::milliseconds refused_backoff{300'000};
  std::size_t max_batch_entries = kMaxBatchEntries;
  std::size_t max_batch_bytes = 4 * 1024 * 1024;
  std::size_t max_batches_in_flight = 4;
};

struct UploaderStatus {
  std::string state = "starting";  // "replicating", "caught_up", "retrying", "refused",
                                   // "hub_ahead", "forked", "stopped"
  std::optional<std::uint64_t> hub_tree_size;
  std::uint64_t node_tree_size = 0;
  std::uint64_t sessions = 0;
  std::uint64_t batches_accepted = 0;
  std::string last_error;  // French
  std::optional<std::chrono::system_clock::time_point> last_contact;
};

class HubUploader {
 public:
  // `signer` is the region's current key: it signs a checkpoint where a batch must end and
  // the node stored none (more than max_batch_entries without one). `random01` returns a
  // number in [0, 1) (backoff jitter). `store`, `hub` and `clock` must outlive the uploader;
  // the uploader's thread is the only one that uses `store` and `hub`.
  HubUploader(HubUploaderOptions options, UploaderStore& store,
              federation::v1::Replication::StubInterface& hub, Ed25519Signer signer,
              const Clock& clock, std::function<double()> random01);
  ~HubUploader();  // Stop()s
  HubUploader(const HubUploader&) = delete;
  HubUploader& operator=(const HubUploader&) = delete;

  void Start();
  // Cancels the stream in progress and joins the thread. Idempotent.
  void Stop();
  // New entries were journalled: look now rather than at the next poll (and, in the long
  // wait after a refusal, try again now). Thread-safe, never blocks.
  void Wake();
  UploaderStatus Status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ess::node
