#include "node/replication/hub_similar_client.h"

#include <spdlog/spdlog.h>

namespace ess::node {

namespace v1 = federation::v1;

HubSimilarLookup MakeHubSimilarLookup(std::shared_ptr<v1::SimilarRecords::StubInterface> stub,
                                      std::chrono::milliseconds deadline) {
  return [stub = std::move(stub),
          deadline](const SimilarQuery& query) -> std::optional<std::vector<SimilarRecord>> {
    v1::SimilarQuery request;
    request.set_siret(query.siret);
    request.set_name(query.name);
    request.set_commune(query.commune);
    request.set_limit(static_cast<std::uint32_t>(kSimilarMax) + 1);
    v1::SimilarList response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + deadline);
    const grpc::Status status = stub->FindSimilar(&context, request, &response);
    if (!status.ok()) {
      spdlog::info("doublons : le hub n'a pas répondu ({})", status.error_message());
      return std::nullopt;
    }
    std::vector<SimilarRecord> out;
    for (const v1::SimilarRecord& r : response.records()) {
      out.push_back(
          {r.region(), r.record_id(), r.name(), r.commune(), r.commune_name(), r.reason()});
    }
    return out;
  };
}

HubSimilarLookup MakeHubSimilarLookup(const std::shared_ptr<grpc::Channel>& channel,
                                      std::chrono::milliseconds deadline) {
  return MakeHubSimilarLookup(
      std::shared_ptr<v1::SimilarRecords::StubInterface>(v1::SimilarRecords::NewStub(channel)),
      deadline);
}

}  // namespace ess::node
