#pragma once
// Fetching the common referential from the hub (ReferentialService.GetReferential, chunked).

#include <chrono>
#include <memory>
#include <string>

#include <grpcpp/grpcpp.h>

#include "core/referential.h"
#include "proto/federation.grpc.pb.h"

namespace ess::node {

inline constexpr std::size_t kMaxReferentialBytes = 64 * 1024 * 1024;

struct ReferentialFetch {
  grpc::Status status;   // not ok: the hub could not be asked (unavailable...)
  bool unchanged = false;  // the hub's version is `known_version`
  std::shared_ptr<const Referential> referential;  // set for a new version
  std::string error;  // the document arrived but does not parse
};

// Asks the hub for its referential, telling it the version the node holds ("" for none).
ReferentialFetch FetchReferential(federation::v1::ReferentialService::StubInterface& stub,
                                  const std::string& known_version,
                                  std::chrono::milliseconds deadline);
// The same on a new stub of `channel`.
ReferentialFetch FetchReferential(const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& known_version,
                                  std::chrono::milliseconds deadline);

}  // namespace ess::node
