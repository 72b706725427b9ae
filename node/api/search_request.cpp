#include "node/api/search_request.h"

#include <sstream>

#include "core/public_feeds.h"

namespace ess::node {

namespace {

constexpr std::size_t kMaxPerPage = 100;
constexpr std::size_t kDefaultPerPage = 20;

Failure Invalid(const SearchParamError& e) { return Failure::Invalid(e.code, e.message, e.field); }

// core's filters with the node's freshness values, then the node's status list.
Result<SearchQuery> ReadSearchQuery(const QueryLookup& lookup) {
  const SearchParamsRules rules{.region_and_legal_form = false,
                                .freshness_values = {"fresh", "to_confirm", "hidden", "visible"}};
  SearchQuery query;
  if (auto error = ReadSearchFilters(lookup, rules, query.where)) return Invalid(*error);
  if (auto status = QueryParam(lookup, "status")) {
    query.statuses.emplace();
    std::stringstream names(*status);
    std::string name;
    while (std::getline(names, name, ',')) {
      auto parsed = InitiativeStatusFromName(name);
      if (!parsed) {
        return Failure::Invalid("invalid_parameter",
                                "Statut inconnu : « " + name.substr(0, 40) + " ».", "status");
      }
      query.statuses->push_back(*parsed);
    }
  }
  return query;
}

Result<SearchRequest> ReadSearchPage(const QueryMap& query, std::size_t max_per_page,
                                     std::size_t default_per_page) {
  const QueryLookup lookup = LookupIn(query);
  auto filters = ReadSearchQuery(lookup);
  if (!filters.ok()) return filters.failure();
  SearchRequest request{std::move(filters.value()), {}};
  if (auto error = ReadPageRequest(lookup, max_per_page, default_per_page, request.page)) {
    return Invalid(*error);
  }
  return request;
}

}  // namespace

Result<SearchRequest> ReadSearchRequest(const QueryMap& query) {
  return ReadSearchPage(query, kMaxPerPage, kDefaultPerPage);
}

Result<SearchRequest> ReadExportRequest(const QueryMap& query) {
  return ReadSearchPage(query, kMaxExportRows, kDefaultExportRows);
}

Result<ClusterRequest> ReadClusterRequest(const QueryMap& query) {
  const QueryLookup lookup = LookupIn(query);
  auto filters = ReadSearchQuery(lookup);
  if (!filters.ok()) return filters.failure();
  ClusterRequest request{std::move(filters.value()), 0};
  if (!request.query.where.box) {
    return Failure::Invalid("required", "bbox est obligatoire pour les regroupements.", "bbox");
  }
  if (auto error = ReadZoom(lookup, std::nullopt, request.zoom)) return Invalid(*error);
  return request;
}

}  // namespace ess::node
