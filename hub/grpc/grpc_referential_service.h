#pragma once
// Serves the common referential to the nodes (ReferentialService.GetReferential): the JSON
// document the hub loaded at start, in chunks, or a single "unchanged" chunk when the node
// already holds that version. Nothing to compute per call, so it runs on gRPC's threads.

#include <grpcpp/grpcpp.h>

#include "core/referential.h"
#include "proto/federation.grpc.pb.h"

namespace ess::hub {

inline constexpr std::size_t kReferentialChunkBytes = 1024 * 1024;

class ReferentialService final : public federation::v1::ReferentialService::CallbackService {
 public:
  // `referential` must outlive the server.
  explicit ReferentialService(const Referential& referential) : referential_(referential) {}

  grpc::ServerWriteReactor<federation::v1::ReferentialChunk>* GetReferential(
      grpc::CallbackServerContext* context,
      const federation::v1::ReferentialRequest* request) override;

 private:
  const Referential& referential_;
};

}  // namespace ess::hub
