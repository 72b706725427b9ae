#pragma once
// The JSON forms the node's API answers with, shared by the route files: the service's typed
// values in, JSON out (docs/node-api.yaml).

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "http/http_types.h"
#include "node/api/api_support.h"
#include "node/domain/account.h"
#include "node/domain/charter.h"
#include "node/domain/edit_proposal.h"
#include "node/service/committee_service.h"
#include "node/service/initiative_service.h"
#include "node/service/search_service.h"

namespace ess::node {

// The edit proposal as the owner and the committee see it: `payload` has the form of a
// journalled revision (what would be journalled if the committee admitted it), so that it
// compares field by field with the admitted revision.
nlohmann::json ProposalJson(const EditProposal& proposal, const Initiative& admitted);
// `full`: private fields and staff counters. `with_proposal`: the view knows the edit
// proposal (reads, edits); after other changes (confirm, adhere, withdraw) the key is left
// out rather than given wrong.
nlohmann::json ViewJson(const InitiativeView& view, bool full, bool with_proposal = true);
// The full view of an initiative just changed (no proposal key).
nlohmann::json InitiativeJson(const Initiative& initiative, const Clock& clock);
// An edit's answer: the initiative as it now stands (full view) with its edit proposal when
// the edit became one (202: accepted for the committee) or none (200: applied), and whether
// it changed only contact fields published without a vote ("published_without_vote").
HttpResponse EditResponse(const Result<EditOutcome>& result, const Clock& clock);
nlohmann::json CharterJson(const CharterVersion& charter);
nlohmann::json PrincipalJson(const Principal& principal);
nlohmann::json MemberJson(const CommitteeMember& member);
// {"version", "log_index", "payload", "commune_name"}, or null.
nlohmann::json AdmittedRevisionJson(const std::optional<AdmittedRevision>& revision);

// A search's item: the public payload (with its status) plus id, commune_name and freshness;
// distance_m (whole metres) when the search had near.
nlohmann::json SearchItemJson(const SearchItem& item);
// {"total", "page", "per_page", "items": [SearchItemJson]}.
nlohmann::json SearchResultsJson(const SearchResults& results);
// {"zoom", "cell_degrees", "clusters": [{"count", "latitude", "longitude" (5 decimals), "id"?,
// "name"?, "family"?, "commune_name"?, "freshness"?, "location_precision"?}]}: the initiative's
// id, name and preview fields when the cell holds one.
nlohmann::json ClusterListJson(const ClusterList& list);
// Initiatives found as a GeoJSON FeatureCollection: one Point feature per item, its properties
// SearchItemJson.
nlohmann::json SearchItemsGeoJson(const std::vector<SearchItem>& items);

// The failure's response, or `status` with to_json(value).
template <typename T, typename ToJson>
HttpResponse Respond(const Result<T>& result, int status, ToJson to_json) {
  if (!result.ok()) return FailureResponse(result.failure());
  return JsonResponse(status, to_json(result.value()));
}

}  // namespace ess::node
