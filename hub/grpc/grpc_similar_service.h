#pragma once
// Answers a node's question "does the hub already list this structure?" (SimilarRecords.
// FindSimilar, proto/similar.proto): the visible national records with the SIRET asked, or
// with the name asked (hub_name_key: accents, case and punctuation ignored) in the commune
// asked. Public fields only. The query runs on a small bounded queue of its own, never on
// gRPC's threads; a full queue answers RESOURCE_EXHAUSTED at once (the node then warns for
// its region alone).

#include <cstddef>
#include <cstdint>
#include <vector>

#include <grpcpp/grpcpp.h>

#include "core/clock.h"
#include "core/pg_pool.h"
#include "core/work_queue.h"
#include "proto/similar.grpc.pb.h"

namespace ess::hub {

inline constexpr std::size_t kSimilarDefaultLimit = 10, kSimilarMaxLimit = 20;

class SimilarRecordsService final : public federation::v1::SimilarRecords::CallbackService {
 public:
  // `pool`, `clock` and `workers` must outlive the server.
  SimilarRecordsService(PgPool& pool, const Clock& clock, WorkQueue& workers)
      : pool_(pool), clock_(clock), workers_(workers) {}

  grpc::ServerUnaryReactor* FindSimilar(grpc::CallbackServerContext* context,
                                        const federation::v1::SimilarQuery* request,
                                        federation::v1::SimilarList* response) override;

 private:
  PgPool& pool_;
  const Clock& clock_;
  WorkQueue& workers_;
};

// The query itself, for tests: INVALID_ARGUMENT for an oversized field.
grpc::Status FindSimilarRecords(pqxx::work& txn, const federation::v1::SimilarQuery& query,
                                std::int64_t now_millis, federation::v1::SimilarList& out);

}  // namespace ess::hub
