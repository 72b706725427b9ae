#pragma once
// The gRPC adapter of replication: one ServerBidiReactor per replication stream (callback API).
// Reactions never block: every message is handed to the WorkQueue, which calls
// RegionReplicas (database work) and queues the answer. Per stream, messages are processed
// one at a time and in order.
//
// A stream first proves it speaks for its region (hello, then ReplicationAuth answering the hub's
// challenge); until then it holds at most one message and may send no batch. What a stream
// may cost is bounded (ReplicationStreamLimits, docs/protocol.md section 7.3): streams still in
// their handshake and authenticated streams are counted separately (so strangers can never
// take the regions' places), each stream has a handshake, an idle and a total deadline, and
// an authenticated stream reads ahead at most kReadAhead messages, so a node that sends
// faster than the hub stores is held back by HTTP/2 flow control.
//
// Every status a stream ends with is in docs/protocol.md's error table.

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "core/metrics.h"
#include "core/work_queue.h"
#include "hub/store/region_replicas.h"
#include "proto/federation.grpc.pb.h"

namespace ess::hub {

struct ReplicationStreamLimits {
  std::size_t max_streams = 24;                   // authenticated streams at once, all regions
  std::size_t max_streams_per_region = 2;         // authenticated streams of one region at once
  std::size_t max_handshakes = 16;                // streams not yet authenticated at once
  std::size_t max_handshakes_per_connection = 2;  // of those, on one connection (one peer)
  std::chrono::milliseconds handshake_timeout{10'000};  // hello + ReplicationAuth within this
  std::chrono::milliseconds idle_timeout{60'000};       // no message and no work for this long
  std::chrono::milliseconds max_stream_duration{900'000};
};

// Messages an authenticated stream holds at once: one being processed and the next ones read.
inline constexpr std::size_t kReadAhead = 2;

// Who holds a stream place: a pure count, shared by the streams of one service.
class ReplicationStreamPlaces {
 public:
  explicit ReplicationStreamPlaces(const ReplicationStreamLimits& limits) : limits_(limits) {}
  // A handshake place for a stream of connection `peer`, or false if they are all taken, or
  // the connection's share is.
  bool TakeHandshake(const std::string& peer);
  // Trades the handshake place of `peer` for an authenticated place of `region`, or false
  // (and keeps the handshake place) when the region or the hub has no place left.
  bool Authenticate(const std::string& peer, const std::string& region);
  // Gives back what a stream of `peer` held: its handshake place, or its region's place.
  void Release(const std::string& peer, const std::optional<std::string>& authenticated_region);
  // Streams in their handshake and authenticated streams, now.
  std::pair<std::size_t, std::size_t> Counts() const;

 private:
  void ReleaseHandshakeLocked(const std::string& peer);

  const ReplicationStreamLimits limits_;
  mutable std::mutex mutex_;
  std::size_t handshakes_ = 0;
  std::size_t authenticated_ = 0;
  std::map<std::string, std::size_t> per_region_;
  std::map<std::string, std::size_t> handshakes_per_peer_;
};

class ReplicationReactor;

// The replication series (docs/operations.md, "Metrics, readiness and logs"); region labels
// are enrolled regions' codes (a batch comes only from an authenticated stream).
struct ReplicationMetrics {
  explicit ReplicationMetrics(MetricsRegistry& registry);
  HistogramFamily& batch_apply;  // ess_hub_batch_apply_seconds{outcome}
  CounterFamily& ingested;       // ess_hub_entries_ingested_total{region}
  CounterFamily& refused;        // ess_hub_entries_refused_total{region, reason}
  GaugeFamily& tree_size;        // ess_hub_region_tree_size{region}
  GaugeFamily& streams;          // ess_hub_replication_streams{state}
};

class ReplicationService final : public federation::v1::Replication::CallbackService {
 public:
  // With `require_region_certificate` (mutual TLS), a stream is accepted only from a client
  // certificate naming the region (RegionPeerName). Both references must outlive the server.
  // Starts the thread that enforces the deadlines; the destructor stops it.
  // With `metrics`, registers ReplicationMetrics there (the registry must outlive the service).
  ReplicationService(RegionReplicas& replicas, WorkQueue& workers, bool require_region_certificate,
                     ReplicationStreamLimits limits = {}, MetricsRegistry* metrics = nullptr);
  ~ReplicationService() override;

  grpc::ServerBidiReactor<federation::v1::NodeMessage, federation::v1::HubMessage>* Replicate(
      grpc::CallbackServerContext* context) override;

  const ReplicationStreamLimits& limits() const { return limits_; }
  ReplicationStreamPlaces& places() { return places_; }
  ReplicationMetrics* metrics() const { return metrics_.get(); }

  // Called by a stream when it is done.
  void Forget(ReplicationReactor* reactor);

 private:
  void WatchDeadlines();

  RegionReplicas& replicas_;
  WorkQueue& workers_;
  bool require_region_certificate_;
  ReplicationStreamLimits limits_;
  ReplicationStreamPlaces places_;
  std::unique_ptr<ReplicationMetrics> metrics_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::map<ReplicationReactor*, std::weak_ptr<ReplicationReactor>> streams_;
  std::thread watchdog_;
};

// The names of the peer's client certificate (common name and subject alternative names) as
// gRPC's auth context reports them; empty without a verified certificate.
std::vector<std::string> PeerCertificateNames(const grpc::ServerContextBase& context);

}  // namespace ess::hub
