#pragma once
// The query parameters of a search, read once for the node's and the hub's HTTP APIs into
// typed values (docs/node-api.yaml, docs/hub-api.yaml): q, department, commune, family,
// activity, freshness, bbox, near + radius_km, page + per_page, zoom, and the hub's region and
// legal_form. What really differs between the two sides is a rule (SearchParamsRules); the
// node's own parameters (status for its staff) and the hub's (sort) stay with their service.
//
// A bad parameter is a SearchParamError naming it, with a French message, that each side
// turns into its 422 {code, message, field}. An empty parameter counts as absent (QueryParam).

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/change_feed.h"
#include "core/geo.h"
#include "core/search_query.h"

namespace ess {

inline constexpr std::size_t kMaxSearchTextBytes = 200;
inline constexpr double kDefaultRadiusMetres = 10'000;
inline constexpr double kMaxRadiusMetres = 500'000;  // the APIs' radius_km: (0, 500]
inline constexpr std::size_t kMaxPageNumber = 100'000;

// What both searches filter on.
struct SearchFilters {
  std::optional<std::string> text;  // q: words, as core's PrefixTsQuery() reads them
  std::optional<std::string> region, department, commune, family, legal_form, activity;
  std::optional<std::string> freshness;  // one of SearchParamsRules::freshness_values
  std::optional<GeoBox> box;
  std::optional<GeoCircle> near;
  // The referential's synonyms that expand `text` (core/search_query.h), set by the service
  // from the referential in force (which must outlive the search); never read from a query.
  std::span<const SynonymGroup> synonyms;
};

// The box a store pre-filters on: `box`, narrowed to the bounding box of `near` when given.
std::optional<GeoBox> SearchBox(const SearchFilters& filters);

struct PageRequest {
  std::size_t page = 1;  // from 1
  std::size_t per_page = 20;
  std::size_t offset() const { return (page - 1) * per_page; }
};

struct SearchParamError {
  std::string field;
  std::string code;  // "invalid_parameter", or "too_long" for q
  std::string message;
};

struct SearchParamsRules {
  bool region_and_legal_form = false;  // the hub's filters; a node holds one region
  std::vector<std::string> freshness_values = {"fresh", "to_confirm"};
};

// A query parameter's value by name, nullopt when absent.
using QueryLookup = std::function<std::optional<std::string>(std::string_view name)>;

// Decoded query parameters, as an HTTP request holds them (http's HttpRequest::query).
using QueryMap = std::multimap<std::string, std::string>;

// The lookup over `query` (which must outlive it): the first value of a repeated name.
QueryLookup LookupIn(const QueryMap& query);
// The parameter `name`, nullopt when absent or given empty ("?q=" is no search text): the
// rule of every query parameter of both APIs.
std::optional<std::string> QueryParam(const QueryLookup& lookup, std::string_view name);

// The filters. Codes (region, department, commune, family, legal_form, activity) are letters,
// digits, '_' and '-', 64 at most; radius_km without near is an error (near alone: 10 km).
std::optional<SearchParamError> ReadSearchFilters(const QueryLookup& query,
                                                  const SearchParamsRules& rules,
                                                  SearchFilters& filters);
// page (1..kMaxPageNumber) and per_page (1..max_per_page, default `default_per_page`).
std::optional<SearchParamError> ReadPageRequest(const QueryLookup& query, std::size_t max_per_page,
                                                std::size_t default_per_page, PageRequest& page);
// The change feed's parameters (GET /api/changes, both APIs): after (a ChangeCursor's text),
// region (2 or 3 digits) and limit (1..max_limit, default 100).
struct ChangeFeedRequest {
  ChangeCursor after;
  std::optional<std::string> region;
  std::size_t limit = 100;
};
std::optional<SearchParamError> ReadChangeFeedRequest(const QueryLookup& query,
                                                      std::size_t max_limit,
                                                      ChangeFeedRequest& request);
// zoom (0..kMaxZoom); `default_zoom` when absent, an error when absent and no default.
std::optional<SearchParamError> ReadZoom(const QueryLookup& query, std::optional<int> default_zoom,
                                         int& zoom);

}  // namespace ess
