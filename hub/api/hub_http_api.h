#pragma once
// The hub's HTTP API (docs/hub-api.yaml): national search, map clusters, one record and the
// record with its proof, indicators, replication status per region, cross-region duplicates,
// exports (CSV, GeoJSON), the referential, places (core/place_finder.h) and the hub's cosigning
// key. Request -> Response, no
// socket: the Beast server (http/http_server.h) runs it on its worker pool. Errors are JSON {code,
// message, field}; database failures throw and become the server's 500.
//
// Every read is public (public fields, reasons of refused batches without their content).
// The national pilot's accounts add the only writes (docs/decisions/0010-hub-pilot-accounts.md,
// hub/api/pilot_routes.cpp): a cookie session (POST/GET/DELETE /api/pilot/session) and the
// pilot's marks on duplicate pairs (PUT/DELETE /api/duplicates/.../mark), each with the
// session's CSRF token and the "pilot" role; they never change a region's data.

#include <map>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/ed25519.h"
#include "core/pg_pool.h"
#include "core/place_finder.h"
#include "core/public_feeds.h"
#include "core/referential.h"
#include "http/cached_document.h"
#include "http/router.h"
#include "http/session_cookie.h"
#include "hub/api/national_response_cache.h"
#include "hub/pilot/pilot_accounts.h"
#include "hub/store/national_queries.h"

namespace ess::hub {

// One page of an export or a feed with the regions' sites (RegionRegistry::SiteUrls()).
struct ExportRows {
  SearchPage page;
  PageRequest request;
  std::map<std::string, std::string> sites;
};

class HubHttpApi {
 public:
  // The hub's cosigning key, published so that a region can check its receipts.
  struct Cosigner {
    std::string name;
    Ed25519PublicKey public_key{};
  };
  // All references must outlive the API. `pool` connections carry the hub statements.
  // Without `pilots` the pilot's routes are absent (404): the API is read-only. `cache`: the
  // national read routes' ETags and response cache (hub/api/national_response_cache.h).
  // `public_url`: the national site's address, base of the feeds' links (empty: relative).
  HubHttpApi(PgPool& pool, const Clock& clock, const Referential& referential,
             std::string federation, Cosigner cosigner, PilotAccounts* pilots = nullptr,
             SessionCookieOptions cookie = {.name = "ess_pilot_session"},
             NationalCacheOptions cache = {}, std::string public_url = {});

  NationalResponseCache::Stats cache_stats() const { return cache_.stats(); }

  HttpResponse operator()(const HttpRequest& request) const { return router_(request); }
  HttpHandler AsHandler() const {
    return [this](const HttpRequest& r) { return router_(r); };
  }
  // The route class of `request` (http/route_class.h): the national queries are kExpensive,
  // except when the response cache holds their answer for the national view's state last read
  // (a kept answer or a 304 costs no query): kCheap, so that repeated map views are not queued
  // behind the queries they no longer run (NationalResponseCache::HoldsCurrent).
  RouteClass ClassOf(const HttpRequest& request) const;

 private:
  // A national read route: `answer` runs its queries; the route serves it through cache_
  // (ETag, 304, kept answers).
  RouteHandler Cached(HttpResponse (HubHttpApi::*answer)(const HttpRequest&, const PathParams&)
                          const) const;
  HttpResponse Search(const HttpRequest& request, const PathParams&) const;
  HttpResponse Clusters(const HttpRequest& request, const PathParams&) const;
  HttpResponse Record(const HttpRequest&, const PathParams& params) const;
  HttpResponse RecordProof(const HttpRequest&, const PathParams& params) const;
  std::optional<HttpResponse> ParseIndicatorFilters(const HttpRequest& request,
                                                    IndicatorFilters& filters) const;
  HttpResponse IndicatorsOf(const HttpRequest& request, const PathParams&) const;
  // hub/api/pilot_routes.cpp
  void AddPilotRoutes();
  // The signed-in pilot of a state-changing request carrying its CSRF token, or the 401/403.
  std::optional<HttpResponse> RequirePilot(const HttpRequest& request,
                                           std::optional<PilotSession>& who) const;
  HttpResponse Regions() const;
  HttpResponse Region(const PathParams& params) const;
  HttpResponse DuplicatesOf(const HttpRequest& request) const;
  // The records an export or a feed asks for (search filters, by name, pages of up to
  // kMaxExportRows) with the regions' sites, or the 422 of a bad parameter.
  std::optional<HttpResponse> ExportPage(const HttpRequest& request, ExportRows& rows) const;
  HttpResponse ExportCsv(const HttpRequest& request, const PathParams&) const;
  HttpResponse ExportGeoJson(const HttpRequest& request, const PathParams&) const;
  // The feeds other maps import (core/public_feeds.h, docs/interop.md).
  HttpResponse JsonLd(const HttpRequest& request, const PathParams&) const;
  HttpResponse GoGoCarto(const HttpRequest& request, const PathParams&) const;
  HttpResponse MurmurationsIndexOf(const HttpRequest& request, const PathParams&) const;
  HttpResponse MurmurationsProfileOf(const HttpRequest&, const PathParams& params) const;
  // GET /api/changes?after=&region=&limit= : the national change feed (docs/interop.md).
  HttpResponse Changes(const HttpRequest& request, const PathParams&) const;
  HttpResponse ReferentialDocument(const HttpRequest& request) const;
  HttpResponse Places(const HttpRequest& request) const;
  HttpResponse HubKey() const;

  PgPool& pool_;
  const Clock& clock_;
  const Referential& referential_;
  std::string federation_;
  std::string public_url_;
  Cosigner cosigner_;
  PilotAccounts* pilots_;
  SessionCookieOptions cookie_;
  ServedDocument referential_full_;
  ServedDocument referential_without_communes_;
  PlaceFinder places_;  // all of France
  mutable NationalResponseCache cache_;
  Router router_;
};

}  // namespace ess::hub
