#include "hub/grpc/grpc_referential_service.h"

#include <algorithm>

namespace ess::hub {

namespace v1 = federation::v1;

namespace {

// Writes the chunks one after the other; deletes itself when done.
class ReferentialWriter final : public grpc::ServerWriteReactor<v1::ReferentialChunk> {
 public:
  ReferentialWriter(const Referential& referential, const std::string& known_version)
      : json_(referential.json()), version_(referential.version()) {
    if (known_version == version_) {
      unchanged_ = true;
      offset_ = json_.size();
    }
    Next();
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "écriture impossible"));
      return;
    }
    Next();
  }

  void OnDone() override { delete this; }

 private:
  void Next() {
    if (sent_first_ && offset_ >= json_.size()) {
      Finish(grpc::Status::OK);
      return;
    }
    chunk_.Clear();
    chunk_.set_version(version_);
    chunk_.set_unchanged(unchanged_);
    chunk_.set_total_size(json_.size());
    const std::size_t n = std::min(kReferentialChunkBytes, json_.size() - offset_);
    chunk_.set_data(json_.substr(offset_, n));
    offset_ += n;
    sent_first_ = true;
    StartWrite(&chunk_);
  }

  const std::string& json_;
  std::string version_;
  bool unchanged_ = false;
  bool sent_first_ = false;
  std::size_t offset_ = 0;
  v1::ReferentialChunk chunk_;
};

}  // namespace

grpc::ServerWriteReactor<v1::ReferentialChunk>* ReferentialService::GetReferential(
    grpc::CallbackServerContext* /*context*/, const v1::ReferentialRequest* request) {
  return new ReferentialWriter(referential_, request->known_version());
}

}  // namespace ess::hub
