#pragma once
// The node's replication to the national hub (docs/protocol.md section 7): one thread that
// keeps the hub's copy of the region's log up to date, whatever happens to either side.
//
// A sync session opens a Sync stream (deadline `session_deadline`), says hello, and reads the
// ReplicaState the hub holds: that is where it resumes, so a restart of the node or of the
// hub, or a broken stream, loses and duplicates nothing (the hub ignores re-sent entries).
// Then it sends batches from the node's database (node/replication/batch_planner.h), at most
// `max_batches_in_flight` unacknowledged (flow control: a slow hub holds the node back instead
// of growing its memory), and stores each ack's cosigned checkpoint as the hub's receipt.
// Caught up, it closes the stream and looks for new entries every `poll_interval` (or when
// Wake() is called), and says hello every `heartbeat_interval` even without news.
//
// Failures: the hub away or a broken stream -> exponential backoff with jitter (Backoff);
// a refused batch, a forked region or a refusal of the stream -> a long wait
// (`refused_backoff`): an admin must act, retrying at once would only repeat the refusal.
// The hub ahead of the node (a node restored from an old backup) or holding another history
// -> the journal's append block is set (node/replication/hub_sync_store.h) until the hub's
// state is consistent with the node's log again.
//
// The node keeps working while the hub is away: nothing here blocks the journal except the
// append block above. The uploader has its own database connection.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.h"
#include "core/ed25519.h"
#include "core/referential.h"
#include "core/region_log_verifier.h"
#include "node/replication/hub_channel.h"

namespace ess::node {

struct HubUploaderOptions {
  std::string region;      // INSEE code
  std::string federation;  // names the log origin
  std::string database;    // the node's PostgreSQL (libpq connection string)
  HubChannelOptions channel;
  std::chrono::milliseconds poll_interval{1'000};
  std::chrono::milliseconds heartbeat_interval{60'000};
  std::chrono::milliseconds session_deadline{120'000};
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{30'000};
  std::chrono::milliseconds refused_backoff{300'000};
  std::size_t max_batch_entries = kMaxBatchEntries;
  std::size_t max_batch_bytes = 4 * 1024 * 1024;
  std::size_t max_batches_in_flight = 4;
  // The common referential: fetched at start and every `referential_refresh` (0 = never);
  // each new version goes to `on_referential` and, if set, to `referential_cache_file`
  // (read back at start, so a node can start while the hub is away).
  std::chrono::milliseconds referential_refresh{0};
  std::string referential_cache_file;
  std::function<void(std::shared_ptr<const Referential>)> on_referential;
};

struct UploaderStatus {
  std::string state = "starting";  // "syncing", "caught_up", "retrying", "refused",
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
  // number in [0, 1) (backoff jitter). `clock` must outlive the uploader.
  HubUploader(HubUploaderOptions options, Ed25519Signer signer, const Clock& clock,
              std::function<double()> random01);
  ~HubUploader();  // Stop()s
  HubUploader(const HubUploader&) = delete;
  HubUploader& operator=(const HubUploader&) = delete;

  void Start();
  // Cancels the stream in progress and joins the thread. Idempotent.
  void Stop();
  // New entries were journalled: look now rather than at the next poll.
  void Wake();
  UploaderStatus Status() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ess::node
