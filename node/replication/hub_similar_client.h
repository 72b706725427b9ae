#pragma once
// The node's side of SimilarRecords.FindSimilar (proto/similar.proto): the hub asked on the
// replication's channel with a short deadline, for the registration form's duplicate warning.

#include <chrono>
#include <memory>

#include <grpcpp/grpcpp.h>

#include "node/domain/similar_records.h"
#include "proto/similar.grpc.pb.h"

namespace ess::node {

// Long enough for a hub under load, short enough for a form being filled in.
inline constexpr std::chrono::milliseconds kHubSimilarDeadline{1500};

// The lookup SimilarService calls: nullopt when the hub does not answer OK within
// `deadline` (unreachable, busy, too slow). Thread-safe (one stub shared by the calls).
HubSimilarLookup MakeHubSimilarLookup(
    std::shared_ptr<federation::v1::SimilarRecords::StubInterface> stub,
    std::chrono::milliseconds deadline);
HubSimilarLookup MakeHubSimilarLookup(const std::shared_ptr<grpc::Channel>& channel,
                                      std::chrono::milliseconds deadline);

}  // namespace ess::node
