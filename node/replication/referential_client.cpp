#include "node/replication/referential_client.h"

#include "proto/federation.grpc.pb.h"

namespace ess::node {

namespace v1 = federation::v1;

ReferentialFetch FetchReferential(v1::ReferentialService::StubInterface& stub,
                                  const std::string& known_version,
                                  std::chrono::milliseconds deadline) {
  ReferentialFetch out;
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + deadline);
  v1::ReferentialRequest request;
  request.set_known_version(known_version);
  auto reader = stub.GetReferential(&context, request);
  v1::ReferentialChunk chunk;
  std::string json, version;
  bool unchanged = false;
  while (reader->Read(&chunk)) {
    version = chunk.version();
    unchanged = chunk.unchanged();
    if (chunk.total_size() > kMaxReferentialBytes ||
        json.size() + chunk.data().size() > kMaxReferentialBytes) {
      context.TryCancel();
      out.error = "référentiel trop volumineux";
      break;
    }
    json += chunk.data();
  }
  out.status = reader->Finish();
  if (!out.status.ok() || !out.error.empty()) return out;
  if (unchanged) {
    out.unchanged = true;
    return out;
  }
  try {
    out.referential = std::make_shared<const Referential>(Referential::FromJson(json));
  } catch (const std::exception& e) {
    out.error = e.what();
  }
  return out;
}

ReferentialFetch FetchReferential(const std::shared_ptr<grpc::Channel>& channel,
                                  const std::string& known_version,
                                  std::chrono::milliseconds deadline) {
  auto stub = v1::ReferentialService::NewStub(channel);
  return FetchReferential(*stub, known_version, deadline);
}

}  // namespace ess::node
