#include "node/api/api_json.h"

#include <cmath>

#include "node/domain/initiative_json.h"

namespace ess::node {

using nlohmann::json;

json ProposalJson(const EditProposal& proposal, const Initiative& admitted) {
  Initiative proposed = WithProposal(admitted, proposal);
  return {{"state", std::string(ProposalStateName(proposal.state))},
          {"proposed_at", FormatRfc3339(proposal.proposed_at)},
          {"proposed_by", proposal.proposed_by},
          {"payload", InitiativePublicJson(proposed)},
          {"commune_name", proposal.commune_name},
          {"private", PrivateFieldsJson(proposal.private_fields)}};
}

json ViewJson(const InitiativeView& view, bool full, bool with_proposal) {
  json j = full ? InitiativeFullJson(view.initiative) : InitiativePublicJson(view.initiative);
  j["id"] = view.initiative.id;
  j["commune_name"] = view.initiative.commune_name;
  j["freshness"] = std::string(FreshnessName(view.freshness));
  j["endorsements"] = view.endorsements;
  if (full) {
    j["open_reports"] = view.open_reports;
    j["readhesion_due"] = view.readhesion_due;
    j["record_version"] = view.initiative.record_version;
    if (with_proposal)
      j["proposal"] = view.proposal ? ProposalJson(*view.proposal, view.initiative) : json(nullptr);
  }
  return j;
}

json InitiativeJson(const Initiative& initiative, const Clock& clock) {
  return ViewJson({initiative, FreshnessAt(initiative, NowSeconds(clock)), 0, 0, false,
                   std::nullopt, std::nullopt, false},
                  true,
                  /*with_proposal=*/false);
}

HttpResponse EditResponse(const Result<EditOutcome>& result, const Clock& clock) {
  if (!result.ok()) return FailureResponse(result.failure());
  const EditOutcome& edit = result.value();
  InitiativeView view{edit.initiative,
                      FreshnessAt(edit.initiative, NowSeconds(clock)),
                      0,
                      0,
                      false,
                      edit.proposal,
                      std::nullopt,
                      false};
  json j = ViewJson(view, true);
  j["published_without_vote"] = edit.published_without_vote;
  return JsonResponse(edit.proposal ? 202 : 200, j);
}

json CharterJson(const CharterVersion& c) {
  return {{"version", c.version},
          {"text", c.text},
          {"published_at", FormatRfc3339(c.published_at)},
          {"readhesion_days", c.readhesion_days},
          {"record_id", c.record_id}};
}

json PrincipalJson(const Principal& p) {
  json j = {{"account",
             {{"id", p.account.account_id},
              {"email", p.account.email},
              {"name", p.account.display_name},
              {"role", p.account.role}}},
            {"csrf_token", p.csrf_token}};
  if (p.member) {
    j["member"] = {{"id", p.member->member_id},
                   {"college", p.member->college},
                   {"role", p.member->role},
                   {"active", p.member->active}};
  }
  return j;
}

json MemberJson(const CommitteeMember& m) {
  return {{"id", m.member_id},    {"name", m.name}, {"email", m.email},
          {"college", m.college}, {"role", m.role}, {"active", m.active}};
}

json AdmittedRevisionJson(const std::optional<AdmittedRevision>& admitted) {
  if (!admitted) return nullptr;
  const JournalledRevision& r = admitted->revision;
  return {{"record_version", r.record_version},
          {"log_index", r.log_index},
          {"payload", r.payload},
          {"commune_name", admitted->commune_name}};
}

json SearchItemJson(const SearchItem& item) {
  const Initiative& i = item.initiative;
  json j = InitiativePublicJson(i);
  j["id"] = i.id;
  j["commune_name"] = i.commune_name;
  j["freshness"] = std::string(FreshnessName(item.freshness));
  if (item.distance_m) j["distance_m"] = std::round(*item.distance_m);
  return j;
}

json SearchResultsJson(const SearchResults& results) {
  json items = json::array();
  for (const auto& item : results.items) items.push_back(SearchItemJson(item));
  return {{"total", results.total},
          {"page", results.page.page},
          {"per_page", results.page.per_page},
          {"items", std::move(items)}};
}

json ClusterListJson(const ClusterList& list) {
  json clusters = json::array();
  for (const auto& c : list.clusters) {
    json j = {{"count", c.count},
              {"latitude", std::round(c.latitude * 1e5) / 1e5},
              {"longitude", std::round(c.longitude * 1e5) / 1e5}};
    if (c.id) j["id"] = *c.id;
    if (c.name) j["name"] = *c.name;
    if (c.family) j["family"] = *c.family;
    if (c.commune_name) j["commune_name"] = *c.commune_name;
    if (c.freshness) j["freshness"] = *c.freshness;
    if (c.location_precision) j["location_precision"] = *c.location_precision;
    clusters.push_back(std::move(j));
  }
  return {
      {"zoom", list.zoom}, {"cell_degrees", list.cell_degrees}, {"clusters", std::move(clusters)}};
}

json SearchItemsGeoJson(const std::vector<SearchItem>& items) {
  json features = json::array();
  for (const auto& item : items) {
    const Initiative& i = item.initiative;
    features.push_back(
        {{"type", "Feature"},
         {"id", i.id},
         {"geometry",
          {{"type", "Point"}, {"coordinates", {i.fields.longitude, i.fields.latitude}}}},
         {"properties", SearchItemJson(item)}});
  }
  return {{"type", "FeatureCollection"}, {"features", std::move(features)}};
}

}  // namespace ess::node
