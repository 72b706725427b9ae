#pragma once
// The gRPC adapter of replication: one ServerBidiReactor per Sync stream (callback API).
// Reactions never block: every message is handed to the WorkerPool, which calls
// RegionReplicas (database work) and queues the answer. Per stream, messages are processed
// one at a time and in order; the reactor reads ahead at most two messages, so a node that
// sends faster than the hub stores is held back by HTTP/2 flow control instead of growing
// the hub's memory.
//
// Errors: a rejected batch is answered with BatchRejected, then the stream ends with
// FAILED_PRECONDITION; an exception (database away) ends it with UNAVAILABLE. See
// proto/federation.proto for every status.

#include <grpcpp/grpcpp.h>

#include "hub/region_replicas.h"
#include "hub/worker_pool.h"
#include "proto/federation.grpc.pb.h"

namespace ess::hub {

class ReplicationService final : public federation::v1::Replication::CallbackService {
 public:
  // With `require_region_certificate` (mutual TLS), a stream is accepted only from a client
  // certificate naming the region (RegionPeerName). Both references must outlive the server.
  ReplicationService(RegionReplicas& replicas, WorkerPool& workers,
                     bool require_region_certificate);

  grpc::ServerBidiReactor<federation::v1::NodeMessage, federation::v1::HubMessage>* Sync(
      grpc::CallbackServerContext* context) override;

 private:
  RegionReplicas& replicas_;
  WorkerPool& workers_;
  bool require_region_certificate_;
};

// The names of the peer's client certificate (common name and subject alternative names) as
// gRPC's auth context reports them; empty without a verified certificate.
std::vector<std::string> PeerCertificateNames(const grpc::ServerContextBase& context);

}  // namespace ess::hub
