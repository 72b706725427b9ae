#include "hub/grpc/grpc_similar_service.h"

#include <string>

#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

#include "core/freshness.h"

namespace ess::hub {

namespace v1 = federation::v1;

grpc::Status FindSimilarRecords(pqxx::work& txn, const v1::SimilarQuery& query,
                                std::int64_t now_millis, v1::SimilarList& out) {
  if (query.siret().size() > 20 || query.name().size() > 800 || query.commune().size() > 5 ||
      query.limit() > kSimilarMaxLimit) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "question trop longue");
  }
  const std::size_t limit = query.limit() == 0 ? kSimilarDefaultLimit : query.limit();
  // Unprepared: one statement the hub runs rarely (a registration being typed).
  const std::string sql =
      "SELECT region, record_id::text, name, commune, coalesce(commune_name, ''), "
      "CASE WHEN $1 <> '' AND siret = $1 THEN 'siret' ELSE 'name_commune' END AS reason "
      "FROM national_initiative WHERE " +
      SqlVisible("hide_after", "$4") +
      " AND (($1 <> '' AND siret = $1) OR ($2 <> '' AND $3 <> '' AND commune = $3 AND "
      "name_key = hub_name_key($2))) "
      "ORDER BY reason DESC, name, region, record_id LIMIT $5";
  for (const auto& row : txn.exec_params(sql, query.siret(), query.name(), query.commune(),
                                         now_millis, static_cast<long>(limit))) {
    v1::SimilarRecord* r = out.add_records();
    r->set_region(row[0].c_str());
    r->set_record_id(row[1].c_str());
    r->set_name(row[2].c_str());
    r->set_commune(row[3].c_str());
    r->set_commune_name(row[4].c_str());
    r->set_reason(row[5].c_str());
  }
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* SimilarRecordsService::FindSimilar(grpc::CallbackServerContext* context,
                                                             const v1::SimilarQuery* request,
                                                             v1::SimilarList* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool posted = workers_.Post([this, context, request, response, reactor] {
    grpc::Status status;
    if (context->IsCancelled()) {
      status = grpc::Status(grpc::StatusCode::CANCELLED, "question abandonnée");
    } else {
      try {
        status = pool_.WithTransaction([&](pqxx::work& txn) {
          return FindSimilarRecords(txn, *request, clock_.NowMillis(), *response);
        });
      } catch (const std::exception& e) {
        spdlog::warn("FindSimilar : {}", e.what());
        status = grpc::Status(grpc::StatusCode::UNAVAILABLE, "base nationale indisponible");
      }
    }
    reactor->Finish(status);
  });
  if (!posted) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "hub occupé"));
  }
  return reactor;
}

}  // namespace ess::hub
