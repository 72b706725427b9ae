#include "hub/api/hub_http_api.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <map>

#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/csv.h"
#include "core/geo.h"
#include "core/map_clusters.h"
#include "core/merkle.h"
#include "core/search_params.h"
#include "hub/store/national_queries.h"
#include "hub/store/national_view_version.h"
#include "hub/store/record_proofs.h"
#include "hub/store/region_registry.h"
#include "hub/store/replication_status.h"

namespace ess::hub {

namespace {

using nlohmann::json;

constexpr std::size_t kDefaultPerPage = 20;
constexpr int kDefaultZoom = 6;

// As on the node (docs/node-api.yaml): a query parameter that is not valid is a 422 naming it.
HttpResponse Invalid(std::string_view field, std::string_view message) {
  return HttpResponse::Error(422, "invalid_parameter", message, field);
}

HttpResponse Invalid(const SearchParamError& e) {
  return HttpResponse::Error(422, e.code, e.message, e.field);
}

HttpResponse NotFound(std::string_view message) {
  return HttpResponse::Error(404, "not_found", message);
}

// core's filters (core/search_params.h) with the hub's region and legal_form.
std::optional<HttpResponse> ParseFilters(const HttpRequest& request, SearchFilters& filters) {
  const SearchParamsRules rules{.region_and_legal_form = true,
                                .freshness_values = {"fresh", "to_confirm"}};
  if (auto error = ReadSearchFilters(LookupIn(request.query), rules, filters))
    return Invalid(*error);
  return std::nullopt;
}

std::optional<HttpResponse> ParsePage(const HttpRequest& request, std::size_t max,
                                      std::size_t default_per_page, PageRequest& page) {
  if (auto error = ReadPageRequest(LookupIn(request.query), max, default_per_page, page)) {
    return Invalid(*error);
  }
  return std::nullopt;
}

json OptionalJson(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }

// One page of a list: {"total", "page", "per_page", "items"}.
HttpResponse PageResponse(std::uint64_t total, std::size_t page, std::size_t per_page, json items) {
  return HttpResponse::Json(
      200, json{{"total", total}, {"page", page}, {"per_page", per_page}, {"items", std::move(items)}}.dump());
}

json RecordJson(const NationalRecord& r) {
  json j = {{"region", r.region},
            {"id", r.record_id},
            {"record_version", r.record_version},
            {"log_index", r.log_index},
            {"name", r.name},
            {"family", r.family},
            {"legal_form", r.legal_form},
            {"activities", r.activities},
            {"description", r.description},
            {"address", OptionalJson(r.address)},
            {"postcode", OptionalJson(r.postcode)},
            {"commune", r.commune},
            {"commune_name", r.commune_name},
            {"department", r.department},
            {"latitude", r.latitude},
            {"longitude", r.longitude},
            {"location_precision", r.location_precision},
            {"email", OptionalJson(r.email)},
            {"phone", OptionalJson(r.phone)},
            {"website", OptionalJson(r.website)},
            {"siret", OptionalJson(r.siret)},
            {"employer", r.employer ? json(*r.employer) : json(nullptr)},
            {"offers", json::parse(r.offers_json)},
            {"charter_version", r.charter_version ? json(*r.charter_version) : json(nullptr)},
            {"charter_adhered_at", OptionalJson(r.charter_adhered_at)},
            {"created_at", OptionalJson(r.created_at)},
            {"updated_at", OptionalJson(r.updated_at)},
            {"confirmed_at", OptionalJson(r.confirmed_at)},
            {"valid_until", OptionalJson(r.valid_until)},
            {"hide_after", OptionalJson(r.hide_after)},
            {"admitted_at", r.admitted_at},
            {"freshness", r.to_confirm ? "to_confirm" : "fresh"},
            {"proof", "/api/initiatives/" + r.region + "/" + r.record_id + "/proof"}};
  if (r.distance_m) j["distance_m"] = std::round(*r.distance_m);
  return j;
}

// A record's JSON with "region_site_url", its page on its region's site, when the hub knows
// that site (`sites`: RegionRegistry::SiteUrls()).
json WithRegionSite(json record, const std::map<std::string, std::string>& sites) {
  auto site = sites.find(record["region"].get<std::string>());
  if (site != sites.end()) {
    record["region_site_url"] = RegionRecordPage(site->second, record["id"].get<std::string>());
  }
  return record;
}

}  // namespace

HubHttpApi::HubHttpApi(PgPool& pool, const Clock& clock, const Referential& referential,
                       std::string federation, Cosigner cosigner, PilotAccounts* pilots,
                       SessionCookieOptions cookie, NationalCacheOptions cache,
                       std::string public_url)
    : pool_(pool),
      clock_(clock),
      referential_(referential),
      federation_(std::move(federation)),
      public_url_(std::move(public_url)),
      cosigner_(std::move(cosigner)),
      pilots_(pilots),
      cookie_(std::move(cookie)),
      referential_full_(WithEtag(referential.json())),
      referential_without_communes_(WithEtag(referential.json_without_communes())),
      places_(PlaceFinder::Of(referential)),
      cache_(
          [this](std::int64_t now_ms) {
            return pool_.WithTransaction(
                [&](pqxx::work& txn) { return ReadNationalViewState(txn, now_ms); });
          },
          clock, cache) {
  router_
      .Add("GET", "/healthz",
           [](const HttpRequest&, const PathParams&) {
             return HttpResponse::Json(200, R"({"status":"ok"})");
           })
      .Add("GET", "/api/initiatives", Cached(&HubHttpApi::Search), RouteClass::kExpensive)
      .Add("GET", "/api/map/clusters", Cached(&HubHttpApi::Clusters), RouteClass::kExpensive)
      .Add("GET", "/api/initiatives/{region}/{id}", Cached(&HubHttpApi::Record))
      .Add("GET", "/api/initiatives/{region}/{id}/proof", Cached(&HubHttpApi::RecordProof))
      .Add("GET", "/api/indicators", Cached(&HubHttpApi::IndicatorsOf), RouteClass::kExpensive)
      .Add("GET", "/api/regions",
           [this](const HttpRequest&, const PathParams&) { return Regions(); })
      .Add("GET", "/api/regions/{region}",
           [this](const HttpRequest&, const PathParams& p) { return Region(p); })
      .Add(
          "GET", "/api/duplicates",
          [this](const HttpRequest& r, const PathParams&) { return DuplicatesOf(r); },
          RouteClass::kExpensive)
      .Add("GET", "/api/export/initiatives.csv", Cached(&HubHttpApi::ExportCsv),
           RouteClass::kExpensive)
      .Add("GET", "/api/export/initiatives.geojson", Cached(&HubHttpApi::ExportGeoJson),
           RouteClass::kExpensive)
      .Add("GET", "/api/changes", Cached(&HubHttpApi::Changes))
      .Add("GET", kJsonLdContextPath,
           [](const HttpRequest&, const PathParams&) {
             auto res = HttpResponse::Text(200, JsonLdContext().dump(),
                                           "application/ld+json; charset=utf-8");
             res.headers.emplace_back("Cache-Control", "public, max-age=3600");
             return res;
           })
      .Add("GET", "/api/feeds/initiatives.jsonld", Cached(&HubHttpApi::JsonLd),
           RouteClass::kExpensive)
      .Add("GET", "/api/feeds/gogocarto.json", Cached(&HubHttpApi::GoGoCarto),
           RouteClass::kExpensive)
      .Add("GET", "/api/feeds/murmurations", Cached(&HubHttpApi::MurmurationsIndexOf),
           RouteClass::kExpensive)
      .Add("GET", "/api/feeds/murmurations/{region}/{id}",
           Cached(&HubHttpApi::MurmurationsProfileOf))
      .Add("GET", "/api/referential",
           [this](const HttpRequest& r, const PathParams&) { return ReferentialDocument(r); })
      .Add("GET", "/api/places",
           [this](const HttpRequest& r, const PathParams&) { return Places(r); })
      .Add("GET", "/api/hub/key",
           [this](const HttpRequest&, const PathParams&) { return HubKey(); });
  if (pilots_) AddPilotRoutes();
}

HttpResponse HubHttpApi::HubKey() const {
  json body = {{"federation", federation_},
               {"name", cosigner_.name},
               {"verifier_key", FormatCosignerVerifierKey(cosigner_.name, cosigner_.public_key)},
               {"public_key", ToBase64(cosigner_.public_key)},
               {"fingerprint", KeyFingerprint(cosigner_.public_key)}};
  return HttpResponse::Json(200, body.dump());
}

HttpResponse HubHttpApi::Places(const HttpRequest& request) const {
  PlaceQuery query;
  if (auto error = ReadPlaceQuery(LookupIn(request.query), query)) return Invalid(*error);
  auto res = HttpResponse::Json(200, PlacesJson(places_.Find(query.text, query.limit)));
  res.headers.emplace_back("Cache-Control", "public, max-age=300");
  return res;
}

RouteClass HubHttpApi::ClassOf(const HttpRequest& request) const {
  const RouteClass route_class = router_.ClassOf(request);
  if (route_class == RouteClass::kExpensive && cache_.HoldsCurrent(request)) {
    return RouteClass::kCheap;
  }
  return route_class;
}

RouteHandler HubHttpApi::Cached(HttpResponse (HubHttpApi::*answer)(const HttpRequest&,
                                                                   const PathParams&) const) const {
  return [this, answer](const HttpRequest& r, const PathParams& p) {
    return cache_.Serve(r, [&] { return (this->*answer)(r, p); });
  };
}

HttpResponse HubHttpApi::Search(const HttpRequest& request, const PathParams&) const {
  SearchFilters filters;
  if (auto error = ParseFilters(request, filters)) return *error;
  filters.synonyms = referential_.synonyms();
  PageRequest page_request;
  if (auto error = ParsePage(request, kMaxSearchPage, kDefaultPerPage, page_request)) return *error;
  // As on the node: a radius search comes nearest first.
  SortOrder sort = filters.near   ? SortOrder::kDistance
                   : filters.text ? SortOrder::kRelevance
                                  : SortOrder::kName;
  std::optional<NameCursor> after;
  if (auto a = QueryParam(LookupIn(request.query), "after"); a && !a->empty()) {
    after = DecodeNameCursor(*a);
    if (!after) return Invalid("after", "« after » : la valeur « next » d'une page précédente.");
    sort = SortOrder::kName;  // a cursor walks by name
  }
  if (page_request.offset() + page_request.per_page > kSearchCountCap) {
    return Invalid("page",
                   "Au-delà des 10 000 premiers résultats, suivre « next » (paramètre after).");
  }
  if (auto s = QueryParam(LookupIn(request.query), "sort")) {
    if (after && *s != "name") return Invalid("sort", "« after » va avec le tri par nom.");
    if (*s == "distance") {
      if (!filters.near)
        return Invalid("sort", "Tri par distance : donner near=latitude,longitude.");
      sort = SortOrder::kDistance;
    } else if (*s == "name") {
      sort = SortOrder::kName;
    } else if (*s == "relevance") {
      sort = SortOrder::kRelevance;
    } else {
      return Invalid("sort", "« sort » vaut « relevance », « name » ou « distance ».");
    }
  }
  std::map<std::string, std::string> sites;
  SearchPage page = pool_.WithTransaction([&](pqxx::work& txn) {
    sites = RegionRegistry(txn, federation_, clock_).SiteUrls();
    return NationalQueries(txn, clock_)
        .Search(filters, sort, page_request.per_page, page_request.offset(), after);
  });
  json items = json::array();
  for (const auto& r : page.items) items.push_back(WithRegionSite(RecordJson(r), sites));
  json out = {{"total", page.total},
              {"total_capped", page.total_capped},
              {"page", page_request.page},
              {"per_page", page_request.per_page},
              {"sort", page.sort == SortOrder::kDistance    ? "distance"
                       : page.sort == SortOrder::kRelevance ? "relevance"
                                                            : "name"},
              {"next", page.next ? json(EncodeNameCursor(*page.next)) : json(nullptr)},
              {"items", std::move(items)}};
  return HttpResponse::Json(200, out.dump());
}

HttpResponse HubHttpApi::Clusters(const HttpRequest& request, const PathParams&) const {
  SearchFilters filters;
  if (auto error = ParseFilters(request, filters)) return *error;
  filters.synonyms = referential_.synonyms();
  int zoom = 0;
  if (auto error = ReadZoom(LookupIn(request.query), kDefaultZoom, zoom)) return Invalid(*error);
  auto cells = pool_.WithTransaction(
      [&](pqxx::work& txn) { return NationalQueries(txn, clock_).Clusters(filters, zoom); });
  auto clusters = SeparateClusters(std::move(cells), zoom);
  json out = json::array();
  for (const auto& c : clusters) {
    json j = {{"latitude", c.latitude},
              {"longitude", c.longitude},
              {"count", c.count},
              {"bounds",
               {c.bounds->min_longitude, c.bounds->min_latitude, c.bounds->max_longitude,
                c.bounds->max_latitude}}};
    if (c.id) {
      j["region"] = *c.region;
      j["id"] = *c.id;
      j["name"] = *c.name;
      j["family"] = c.family.value_or("");
      j["commune_name"] = c.commune_name.value_or("");
      j["freshness"] = c.freshness.value_or("fresh");
      j["location_precision"] = c.location_precision.value_or("placed");
    }
    out.push_back(std::move(j));
  }
  return HttpResponse::Json(
      200,
      json{{"zoom", zoom}, {"cell_degrees", ClusterCellDegrees(zoom)}, {"clusters", out}}.dump());
}

HttpResponse HubHttpApi::Record(const HttpRequest&, const PathParams& params) const {
  std::map<std::string, std::string> sites;
  auto record = pool_.WithTransaction([&](pqxx::work& txn) {
    sites = RegionRegistry(txn, federation_, clock_).SiteUrls();
    return NationalQueries(txn, clock_).Get(params.at("region"), params.at("id"));
  });
  if (!record) return NotFound("Initiative absente de la carte nationale.");
  return HttpResponse::Json(200, WithRegionSite(RecordJson(*record), sites).dump());
}

namespace {

json KeyJson(const EnrolledKey& k) {
  return {{"verifier_key", k.verifier_key},
          {"fingerprint", k.fingerprint},
          {"valid_from_index", k.valid_from_index},
          {"valid_until_index", k.valid_until_index ? json(*k.valid_until_index) : json(nullptr)},
          {"revoked", k.revoked_at.has_value()}};
}

json RecordProofJson(const NationalRecordProof& found) {
  const auto& p = found.proof;
  json hashes = json::array();
  for (const auto& h : p.inclusion_proof) hashes.push_back(ToHex(h));
  json keys = json::array();
  for (const auto& k : found.keys) keys.push_back(KeyJson(k));
  // The key that signed this checkpoint: the browser verifier checks with it.
  const auto& signer = found.signing_key;
  return {{"region", found.region},
          {"id", found.record_id},
          {"log_index", found.log_index},
          {"entry", ToHex(p.entry)},
          {"payload", p.payload ? json(AsString(*p.payload)) : json(nullptr)},
          {"salt", p.salt ? json(ToHex(*p.salt)) : json(nullptr)},
          {"leaf_hash", ToHex(LeafHash(p.entry))},
          {"tree_size", found.tree_size},
          {"inclusion_proof", hashes},
          {"checkpoint", p.checkpoint_note},
          {"key", signer ? json(signer->verifier_key) : json(nullptr)},
          {"key_fingerprint", signer ? json(signer->fingerprint) : json(nullptr)},
          {"keys", keys},
          {"how_to_verify",
           "docs/protocol.md : engagement = SHA-256(\"ess-federation/payload/v1\" || 0x00 || "
           "sel || contenu) ; feuille = SHA-256(0x00 || entrée) ; preuve d'inclusion "
           "(RFC 9162 2.1.3.2) vers la racine du point de contrôle ; point de contrôle "
           "signé par une clé de la région valide pour tree_size - 1 (comparer son "
           "empreinte hors ligne)."}};
}

}  // namespace

HttpResponse HubHttpApi::RecordProof(const HttpRequest&, const PathParams& params) const {
  auto found = pool_.WithTransaction([&](pqxx::work& txn) {
    return RecordProofs(txn, federation_, clock_).Find(params.at("region"), params.at("id"));
  });
  if (!found) return NotFound("Initiative absente de la carte nationale.");
  return HttpResponse::Json(200, RecordProofJson(*found).dump());
}

namespace {

// "2026-03-01" as the UnixMillis of that day's start (UTC); nullopt when not such a date.
std::optional<std::int64_t> DayStartMillis(const std::string& text) {
  int y = 0, m = 0, d = 0;
  char end = 0;
  if (text.size() != 10 || std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &end) != 3 ||
      text[4] != '-' || text[7] != '-' || y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 ||
      d > 31) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  const std::time_t t = timegm(&tm);
  std::tm back{};
  gmtime_r(&t, &back);
  if (back.tm_mday != d || back.tm_mon != m - 1) return std::nullopt;  // 31 April...
  return static_cast<std::int64_t>(t) * 1000;
}

}  // namespace

// The dashboard's filters: region and department codes of the referential (a department of
// that region), and a period of first admission, from and to as dates, both inclusive.
std::optional<HttpResponse> HubHttpApi::ParseIndicatorFilters(const HttpRequest& request,
                                                              IndicatorFilters& filters) const {
  const auto query = LookupIn(request.query);
  if (auto region = QueryParam(query, "region"); region && !region->empty()) {
    if (!referential_.Region(*region)) {
      return Invalid("region", "Région inconnue du référentiel : « " + *region + " ».");
    }
    filters.region = *region;
  }
  if (auto department = QueryParam(query, "department"); department && !department->empty()) {
    const ReferentialEntry* d = referential_.Department(*department);
    if (!d) {
      return Invalid("department", "Département inconnu du référentiel : « " + *department + " ».");
    }
    if (filters.region && d->parent != *filters.region) {
      return Invalid("department",
                     "Le département « " + d->label + " » n'appartient pas à la région choisie.");
    }
    filters.department = *department;
  }
  for (const char* name : {"from", "to"}) {
    auto value = QueryParam(query, name);
    if (!value || value->empty()) continue;
    auto day = DayStartMillis(*value);
    if (!day) {
      return Invalid(name,
                     std::string("« ") + name +
                         " » est une date sous la forme AAAA-MM-JJ (par exemple 2026-03-01).");
    }
    if (std::string_view(name) == "from") {
      filters.from_ms = *day;
    } else {
      filters.until_ms = *day + 86'400'000;  // the whole last day
    }
  }
  if (filters.from_ms && filters.until_ms && *filters.from_ms >= *filters.until_ms) {
    return Invalid("to", "La fin de la période précède son début.");
  }
  return std::nullopt;
}

HttpResponse HubHttpApi::IndicatorsOf(const HttpRequest& request, const PathParams&) const {
  IndicatorFilters filters;
  if (auto error = ParseIndicatorFilters(request, filters)) return *error;
  Indicators ind = pool_.WithTransaction(
      [&](pqxx::work& txn) { return NationalQueries(txn, clock_).ComputeIndicators(filters); });
  auto counts = [](const std::vector<CountBy>& list, auto label_of) {
    json out = json::array();
    for (const auto& c : list) {
      const ReferentialEntry* e = label_of(c.code);
      out.push_back({{"code", c.code}, {"label", e ? e->label : ""}, {"count", c.count}});
    }
    return out;
  };
  json months = json::array();
  for (const auto& m : ind.monthly_growth) {
    months.push_back({{"month", m.month}, {"admitted", m.admitted}, {"cumulative", m.cumulative}});
  }
  json status = json::array();
  for (const auto& s : ind.by_status) status.push_back({{"status", s.code}, {"count", s.count}});
  json out = {
      {"on_map", ind.on_map},
      {"fresh", ind.fresh},
      {"to_confirm", ind.to_confirm},
      {"freshness_rate", ind.freshness_rate},
      {"by_region", counts(ind.by_region, [&](const std::string& c) { return referential_.Region(c); })},
      {"by_department",
       counts(ind.by_department, [&](const std::string& c) { return referential_.Department(c); })},
      {"by_family", counts(ind.by_family, [&](const std::string& c) { return referential_.Family(c); })},
      {"by_legal_form",
       counts(ind.by_legal_form, [&](const std::string& c) { return referential_.LegalForm(c); })},
      {"by_activity",
       counts(ind.by_activity, [&](const std::string& c) { return referential_.Activity(c); })},
      {"by_status", status},
      {"monthly_growth", months},
      {"computed_at", ToRfc3339(clock_.Now())}};
  out["filters"] = {{"region", OptionalJson(filters.region)},
                    {"department", OptionalJson(filters.department)},
                    {"from", OptionalJson(QueryParam(LookupIn(request.query), "from"))},
                    {"to", OptionalJson(QueryParam(LookupIn(request.query), "to"))}};
  return HttpResponse::Json(200, out.dump());
}

namespace {

json ReplicationStatusJson(const RegionReplicationStatus& s) {
  json rejections = json::array();
  for (const auto& r : s.latest_rejections) {
    rejections.push_back(
        {{"at", r.rejected_at},
         {"code", r.code},
         {"reason", r.reason},
         {"log_index", r.log_index ? json(*r.log_index) : json(nullptr)},
         {"quarantined_entry", r.quarantined_entry},
         {"fork_evidence", r.fork_evidence},
         {"message_bytes", r.message_bytes ? json(*r.message_bytes) : json(nullptr)},
         {"message_sha256", r.message_sha256 ? json(*r.message_sha256) : json(nullptr)}});
  }
  return {{"region", s.region},
          {"name", s.name},
          {"status", s.status},
          {"status_reason", OptionalJson(s.status_reason)},
          {"tree_size", s.tree_size},
          {"root", s.root_hex},
          {"checkpoint", s.checkpoint_note},
          {"node_tree_size", s.node_tree_size ? json(*s.node_tree_size) : json(nullptr)},
          {"lag_entries", s.lag_entries},
          {"node_behind_entries", s.node_behind_entries},
          {"lag_seconds", s.lag_seconds},
          {"last_contact_at", OptionalJson(s.last_contact_at)},
          {"last_accepted_at", OptionalJson(s.last_accepted_at)},
          {"accepted_batches", s.accepted_batches},
          {"accepted_entries", s.accepted_entries},
          {"rejected_count", s.rejected_count},
          {"key_fingerprint", OptionalJson(s.key_fingerprint)},
          {"latest_rejections", rejections}};
}

}  // namespace

HttpResponse HubHttpApi::Regions() const {
  std::map<std::string, std::string> sites;
  auto all = pool_.WithTransaction([&](pqxx::work& txn) {
    sites = RegionRegistry(txn, federation_, clock_).SiteUrls();
    return ReplicationStatusReader(txn, clock_).All();
  });
  json out = json::array();
  for (const auto& s : all) {
    json j = ReplicationStatusJson(s);
    auto site = sites.find(s.region);
    j["site_url"] = site != sites.end() ? json(site->second) : json(nullptr);
    out.push_back(std::move(j));
  }
  return HttpResponse::Json(200, json{{"regions", out}}.dump());
}

HttpResponse HubHttpApi::Region(const PathParams& params) const {
  const std::string& region = params.at("region");
  std::optional<json> out = pool_.WithTransaction([&](pqxx::work& txn) -> std::optional<json> {
    auto status = ReplicationStatusReader(txn, clock_).One(region);
    if (!status) return std::nullopt;
    json j = ReplicationStatusJson(*status);
    json keys = json::array();
    j["site_url"] = nullptr;
    if (auto rec = RegionRegistry(txn, federation_, clock_).Find(region)) {
      j["site_url"] = OptionalJson(rec->site_url);
      for (const auto& k : rec->keys) {
        keys.push_back({{"verifier_key", k.verifier_key},
                        {"fingerprint", k.fingerprint},
                        {"valid_from_index", k.valid_from_index},
                        {"valid_until_index",
                         k.valid_until_index ? json(*k.valid_until_index) : json(nullptr)},
                        {"added_by", k.added_by},
                        {"added_at", k.added_at},
                        {"revoked_at", OptionalJson(k.revoked_at)},
                        {"revoked_reason", OptionalJson(k.revoked_reason)}});
      }
    }
    j["keys"] = keys;
    return j;
  });
  if (!out) return NotFound("Région non inscrite au hub.");
  return HttpResponse::Json(200, out->dump());
}

HttpResponse HubHttpApi::DuplicatesOf(const HttpRequest& request) const {
  PageRequest page_request;
  if (auto error = ParsePage(request, kMaxSearchPage, kDefaultPerPage, page_request)) return *error;
  DuplicateMarkFilter marked = DuplicateMarkFilter::kAll;
  if (auto m = QueryParam(LookupIn(request.query), "marked"); m && !m->empty()) {
    if (*m == "yes") {
      marked = DuplicateMarkFilter::kMarked;
    } else if (*m == "no") {
      marked = DuplicateMarkFilter::kUnmarked;
    } else {
      return Invalid("marked", "« marked » vaut « yes » (paires marquées) ou « no » (à examiner).");
    }
  }
  DuplicatePage page = pool_.WithTransaction([&](pqxx::work& txn) {
    return NationalQueries(txn, clock_)
        .Duplicates(page_request.per_page, page_request.offset(), marked);
  });
  json items = json::array();
  for (const auto& p : page.items) {
    json mark = nullptr;
    if (p.mark) {
      mark = {{"mark", p.mark->mark},
              {"note", p.mark->note},
              {"marked_by", p.mark->marked_by},
              {"marked_at", p.mark->marked_at}};
    }
    items.push_back({{"reasons", p.reasons},
                     {"distance_m", std::round(p.distance_m)},
                     {"first", RecordJson(p.first)},
                     {"second", RecordJson(p.second)},
                     {"mark", mark}});
  }
  return PageResponse(page.total, page_request.page, page_request.per_page, std::move(items));
}

std::optional<HttpResponse> HubHttpApi::ExportPage(const HttpRequest& request,
                                                   ExportRows& rows) const {
  SearchFilters filters;
  if (auto error = ParseFilters(request, filters)) return error;
  filters.synonyms = referential_.synonyms();
  if (auto error = ParsePage(request, kMaxExportRows, kDefaultExportRows, rows.request))
    return error;
  rows.page = pool_.WithTransaction([&](pqxx::work& txn) {
    rows.sites = RegionRegistry(txn, federation_, clock_).SiteUrls();
    return NationalQueries(txn, clock_)
        .Search(filters, SortOrder::kName, rows.request.per_page, rows.request.offset());
  });
  return std::nullopt;
}

namespace {

// A national record as the feeds carry it: its page on its region's site when the hub knows
// that site, else on the national site; its proof and profile on the hub (`base`: the hub's
// public address, or empty for links relative to it).
PublicRecord PublicRecordOf(const NationalRecord& r,
                            const std::map<std::string, std::string>& sites,
                            const std::string& base) {
  const std::string path = r.region + "/" + r.record_id;
  auto site = sites.find(r.region);
  return {.region = r.region,
          .record_id = r.record_id,
          .record_version = r.record_version,
          .log_index = r.log_index,
          .name = r.name,
          .family = r.family,
          .legal_form = r.legal_form,
          .activities = r.activities,
          .description = r.description,
          .address = r.address.value_or(""),
          .postcode = r.postcode.value_or(""),
          .commune = r.commune,
          .commune_name = r.commune_name,
          .department = r.department,
          .latitude = r.latitude,
          .longitude = r.longitude,
          .location_precision = r.location_precision,
          .email = r.email,
          .phone = r.phone,
          .website = r.website,
          .siret = r.siret,
          .employer = r.employer,
          .valid_until = r.valid_until,
          .updated_at = r.updated_at,
          .to_confirm = r.to_confirm,
          .page_url = site != sites.end()
                          ? RegionRecordPage(site->second, r.record_id)
                          : base + "/initiative.html?region=" + r.region + "&id=" + r.record_id,
          .proof_url = base + "/api/initiatives/" + path + "/proof",
          .profile_url = base + "/api/feeds/murmurations/" + path};
}

std::vector<PublicRecord> PublicRecordsOf(const ExportRows& rows, const std::string& base) {
  std::vector<PublicRecord> out;
  out.reserve(rows.page.items.size());
  for (const auto& r : rows.page.items) out.push_back(PublicRecordOf(r, rows.sites, base));
  return out;
}

HttpResponse WithTotal(HttpResponse res, const SearchPage& page) {
  res.headers.emplace_back("X-Total-Count", std::to_string(page.total));
  if (page.total_capped) res.headers.emplace_back("X-Total-Capped", "true");
  return res;
}

}  // namespace

HttpResponse HubHttpApi::ExportCsv(const HttpRequest& request, const PathParams&) const {
  CsvDialect dialect;
  if (auto error = ReadCsvDialect(LookupIn(request.query), dialect)) return Invalid(*error);
  ExportRows rows;
  if (auto error = ExportPage(request, rows)) return *error;
  auto res = HttpResponse::Text(200, PublicRecordsCsv(PublicRecordsOf(rows, public_url_), dialect),
                                "text/csv; charset=utf-8");
  res.headers.emplace_back("Content-Disposition", "attachment; filename=\"initiatives.csv\"");
  return WithTotal(std::move(res), rows.page);
}

HttpResponse HubHttpApi::ExportGeoJson(const HttpRequest& request, const PathParams&) const {
  ExportRows rows;
  if (auto error = ExportPage(request, rows)) return *error;
  json features = json::array();
  for (const auto& r : rows.page.items) {
    json properties = RecordJson(r);
    properties.erase("latitude");
    properties.erase("longitude");
    features.push_back({{"type", "Feature"},
                        {"id", r.region + "/" + r.record_id},
                        {"geometry", {{"type", "Point"}, {"coordinates", {r.longitude, r.latitude}}}},
                        {"properties", properties}});
  }
  return WithTotal(
      HttpResponse::Text(200, json{{"type", "FeatureCollection"}, {"features", features}}.dump(),
                         "application/geo+json; charset=utf-8"),
      rows.page);
}

HttpResponse HubHttpApi::JsonLd(const HttpRequest& request, const PathParams&) const {
  ExportRows rows;
  if (auto error = ExportPage(request, rows)) return *error;
  const FeedPage page{rows.page.total, rows.request};
  return WithTotal(HttpResponse::Text(200,
                                      JsonLdFeed(PublicRecordsOf(rows, public_url_), page,
                                                 referential_, public_url_ + kJsonLdContextPath)
                                          .dump(),
                                      "application/ld+json; charset=utf-8"),
                   rows.page);
}

HttpResponse HubHttpApi::GoGoCarto(const HttpRequest& request, const PathParams&) const {
  ExportRows rows;
  if (auto error = ExportPage(request, rows)) return *error;
  return WithTotal(HttpResponse::Json(
                       200, GoGoCartoFeed(PublicRecordsOf(rows, public_url_), referential_).dump()),
                   rows.page);
}

HttpResponse HubHttpApi::MurmurationsIndexOf(const HttpRequest& request, const PathParams&) const {
  ExportRows rows;
  if (auto error = ExportPage(request, rows)) return *error;
  const FeedPage page{rows.page.total, rows.request};
  return WithTotal(
      HttpResponse::Json(200, MurmurationsIndex(PublicRecordsOf(rows, public_url_), page).dump()),
      rows.page);
}

HttpResponse HubHttpApi::MurmurationsProfileOf(const HttpRequest&, const PathParams& params) const {
  std::map<std::string, std::string> sites;
  auto record = pool_.WithTransaction([&](pqxx::work& txn) {
    sites = RegionRegistry(txn, federation_, clock_).SiteUrls();
    return NationalQueries(txn, clock_).Get(params.at("region"), params.at("id"));
  });
  // Gone from the map: 404, which is how the Murmurations index learns of a deletion.
  if (!record) return NotFound("Initiative absente de la carte nationale.");
  return HttpResponse::Json(
      200, MurmurationsProfile(PublicRecordOf(*record, sites, public_url_), referential_).dump());
}

HttpResponse HubHttpApi::Changes(const HttpRequest& request, const PathParams&) const {
  ChangeFeedRequest read;
  if (auto error = ReadChangeFeedRequest(LookupIn(request.query), kMaxChangesPage, read)) {
    return Invalid(*error);
  }
  auto page = pool_.WithTransaction([&](pqxx::work& txn) {
    return NationalQueries(txn, clock_).Changes(read.after, read.region, read.limit);
  });
  json changes = json::array();
  for (const NationalChange& c : page.changes) {
    changes.push_back(
        ChangeJson({c.region, c.record_id, c.record_version, c.log_index, c.status, c.changed_at,
                    c.record ? std::optional(RecordJson(*c.record)) : std::nullopt}));
  }
  return HttpResponse::Json(200, ChangesPageJson(std::move(changes), page.next, page.more).dump());
}

// As on the node: whole or without its communes (?without=communes), with an ETag.
HttpResponse HubHttpApi::ReferentialDocument(const HttpRequest& request) const {
  auto without = QueryParam(LookupIn(request.query), "without");
  if (without && *without != "communes") {
    return HttpResponse::Error(422, "invalid_parameter", "« without » ne peut valoir que « communes ».", "without");
  }
  return CachedDocument(request, without ? referential_without_communes_ : referential_full_);
}

}  // namespace ess::hub
