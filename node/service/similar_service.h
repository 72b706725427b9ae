#pragma once
// The duplicate warning of the registration form (node/domain/similar_records.h): checks
// the query, looks in the node's store (admitted, visible records), then asks the hub
// through the lookup main gives it (node/replication/hub_similar_client.h: gRPC with a short
// deadline).

#include <vector>

#include "node/domain/failure.h"
#include "node/domain/similar_records.h"
#include "node/service/node_context.h"

namespace ess::node {

// What the form is told: the region's matches, the hub's (other regions), and whether the
// hub answered.
struct SimilarFound {
  std::vector<SimilarRecord> region;
  std::vector<SimilarRecord> national;  // of other regions
  bool hub_checked = false;
};

// The entered query: SIRET (spaces allowed), name and commune, as the form sends them.
struct SimilarRequest {
  std::string siret, name, commune;
};

class SimilarService {
 public:
  // `context` must outlive the service; `hub` may be empty (no hub configured).
  SimilarService(const NodeContext& context, HubSimilarLookup hub)
      : context_(context), hub_(std::move(hub)) {}

  // kInvalid (fields "siret", "name", "commune") for a SIRET that is not one, a name that
  // breaks the text rule or exceeds 200 characters, a commune that is not of the region, or
  // neither a SIRET nor a name with its commune; kUnavailable without a referential.
  Result<SimilarFound> Find(const SimilarRequest& request) const;

 private:
  const NodeContext& context_;
  HubSimilarLookup hub_;
};

}  // namespace ess::node
