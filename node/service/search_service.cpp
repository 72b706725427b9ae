#include "node/service/search_service.h"

#include <cmath>
#include <sstream>

#include "core/csv.h"
#include "core/geo.h"
#include "core/search_params.h"
#include "node/domain/freshness.h"
#include "node/domain/initiative_json.h"
#include "node/service/journal.h"
#include "node/store/search_store.h"

namespace ess::node {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxPerPage = 100;
constexpr std::size_t kDefaultPerPage = 20;

std::optional<std::string> Param(const QueryParams& query, std::string_view key) {
  auto it = query.find(std::string(key));
  if (it == query.end() || it->second.empty()) return std::nullopt;
  return it->second;
}

QueryLookup LookupIn(const QueryParams& query) {
  return [&query](std::string_view name) { return Param(query, name); };
}

Failure Invalid(const SearchParamError& e) { return Failure::Invalid(e.code, e.message, e.field); }

// Reads the filter parameters: core's (core/search_params.h), then the node's own: status
// (staff only) and the staff's freshness values (hidden, and no freshness filter by default).
Result<SearchFilter> ReadFilter(const QueryParams& query, bool staff) {
  SearchFilter f;
  if (Param(query, "freshness") == "hidden" && !staff) {
    return Failure::Of(FailureKind::kForbidden, "forbidden",
                       "Les fiches masquées sont réservées à l'équipe du nœud.");
  }
  const SearchParamsRules rules{.region_and_legal_form = false,
                                .freshness_values = {"fresh", "to_confirm", "hidden", "visible"}};
  if (auto error = ReadSearchFilters(LookupIn(query), rules, f.where)) return Invalid(*error);
  const bool freshness_given = f.where.freshness.has_value();
  if (!freshness_given) f.where.freshness = "visible";
  if (auto status = Param(query, "status")) {
    if (!staff) {
      return Failure::Of(FailureKind::kForbidden, "forbidden",
                         "Le filtre par statut est réservé à l'équipe du nœud ; la carte publique "
                         "ne montre que les initiatives admises.");
    }
    f.statuses.clear();
    std::stringstream s(*status);
    std::string item;
    while (std::getline(s, item, ',')) {
      if (!InitiativeStatusFromName(item)) {
        return Failure::Invalid("invalid_parameter",
                                "Statut inconnu : « " + item.substr(0, 40) + " ».", "status");
      }
      f.statuses.push_back(item);
    }
    if (!freshness_given) f.where.freshness.reset();
  } else if (staff) {
    f.statuses = {"pending", "changes_requested", "admitted", "rejected", "suspended", "withdrawn"};
    if (!freshness_given) f.where.freshness.reset();
  }
  return f;
}

json PublicView(const Initiative& i, UnixSeconds now) {
  json j = InitiativePublicJson(i);
  j["id"] = i.id;
  j["commune_name"] = i.commune_name;
  j["freshness"] = std::string(FreshnessName(FreshnessAt(i, now)));
  return j;
}

}  // namespace

Result<json> SearchService::Search(const QueryParams& query, bool staff) {
  auto filter = ReadFilter(query, staff);
  if (!filter.ok()) return filter.failure();
  PageRequest page;
  if (auto error = ReadPageRequest(LookupIn(query), kMaxPerPage, kDefaultPerPage, page)) {
    return Invalid(*error);
  }
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  auto result = context_.pool.WithTransaction([&](pqxx::work& txn) {
    return SearchStore(txn).Search(filter.value(), now_millis, page.per_page, page.offset());
  });
  json items = json::array();
  for (const auto& hit : result.hits) {
    json item = PublicView(hit.initiative, now);
    if (staff) item["status"] = std::string(InitiativeStatusName(hit.initiative.status));
    if (hit.distance_m) item["distance_m"] = std::round(*hit.distance_m);
    items.push_back(std::move(item));
  }
  return json{
      {"total", result.total}, {"page", page.page}, {"per_page", page.per_page}, {"items", items}};
}

Result<json> SearchService::Clusters(const QueryParams& query) {
  auto filter = ReadFilter(query, false);
  if (!filter.ok()) return filter.failure();
  if (!filter.value().where.box) {
    return Failure::Invalid("required", "bbox est obligatoire pour les regroupements.", "bbox");
  }
  int zoom = 0;
  if (auto error = ReadZoom(LookupIn(query), std::nullopt, zoom)) return Invalid(*error);
  const UnixMillis now = context_.clock.NowMillis();
  auto clusters = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return SearchStore(txn).Clusters(filter.value(), now, zoom); });
  json out = json::array();
  for (const auto& c : clusters) {
    json item = {{"count", c.count},
                 {"latitude", std::round(c.latitude * 1e5) / 1e5},
                 {"longitude", std::round(c.longitude * 1e5) / 1e5}};
    if (c.initiative) item["id"] = *c.initiative;
    if (c.name) item["name"] = *c.name;
    out.push_back(std::move(item));
  }
  return json{{"zoom", zoom}, {"cell_degrees", ClusterCellDegrees(zoom)}, {"clusters", out}};
}

std::string SearchService::ExportCsv() {
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  auto initiatives = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return SearchStore(txn).PublicMap(now_millis); });
  std::string out = CsvLine({"id", "name", "family", "legal_form", "activities", "description", "address",
                             "postcode", "commune", "commune_name", "department", "region", "latitude",
                             "longitude", "email", "phone", "website", "siret", "employer", "charter_version",
                             "confirmed_at", "valid_until", "freshness"});
  for (const auto& i : initiatives) {
    const auto& f = i.fields;
    out += CsvLine({i.id,
                    f.name,
                    f.family,
                    f.legal_form,
                    CsvList(f.activities),
                    f.description,
                    f.address,
                    f.postcode,
                    f.commune,
                    i.commune_name,
                    f.department,
                    f.region,
                    FormatCoordinate(f.latitude),
                    FormatCoordinate(f.longitude),
                    f.email.value_or(""),
                    f.phone.value_or(""),
                    f.website.value_or(""),
                    f.siret.value_or(""),
                    CsvYesNo(f.employer),
                    std::to_string(i.charter_version),
                    FormatRfc3339(i.confirmed_at),
                    FormatRfc3339(i.valid_until),
                    std::string(FreshnessName(FreshnessAt(i, now)))});
  }
  return out;
}

json SearchService::ExportGeoJson() {
  const UnixMillis now_millis = context_.clock.NowMillis();
  const UnixSeconds now = now_millis / 1000;
  auto initiatives = context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return SearchStore(txn).PublicMap(now_millis); });
  json features = json::array();
  for (const auto& i : initiatives) {
    features.push_back({{"type", "Feature"},
                        {"id", i.id},
                        {"geometry", {{"type", "Point"}, {"coordinates", {i.fields.longitude, i.fields.latitude}}}},
                        {"properties", PublicView(i, now)}});
  }
  return json{{"type", "FeatureCollection"}, {"features", features}};
}

}  // namespace ess::node
