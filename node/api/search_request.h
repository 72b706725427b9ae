#pragma once
// The query strings of the search routes read into the search service's typed inputs
// (docs/node-api.yaml): core's readers (core/search_params.h) with the node's rules, and the
// node's own parameter, status (comma-separated names). A parameter that is not valid is the
// Failure Invalid (422) naming it, with core's French message; an empty one counts as absent.
//
// GET /api/initiatives: q (words, prefix match on the last), department, commune, family,
// activity, freshness (fresh | to_confirm | hidden | visible), bbox=minLon,minLat,maxLon,maxLat,
// near=lat,lon with radius_km (default 10, at most 500), status, page (from 1), per_page
// (1..100, default 20). GET /api/map/clusters: the same filters, bbox and zoom (0..20)
// required. Who may use hidden and status is the service's rule, not read here.

#include "core/search_params.h"
#include "node/domain/failure.h"
#include "node/service/search_service.h"

namespace ess::node {

struct SearchRequest {
  SearchQuery query;
  PageRequest page;
};

struct ClusterRequest {
  SearchQuery query;  // query.where.box is set
  int zoom = 0;
};

// Filters first, then status, then page and per_page: the first fault is the one answered.
Result<SearchRequest> ReadSearchRequest(const QueryMap& query);
// The same filters and status for an export or a feed, with pages of up to kMaxExportRows
// (kDefaultExportRows by default: core/public_feeds.h).
Result<SearchRequest> ReadExportRequest(const QueryMap& query);
// Filters, status, bbox (required), zoom (required).
Result<ClusterRequest> ReadClusterRequest(const QueryMap& query);

}  // namespace ess::node
