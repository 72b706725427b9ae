#pragma once
// The hub's HTTP API (docs/hub-api.yaml): national search, map clusters, one record and the
// record with its proof, indicators, replication status per region, cross-region duplicates,
// exports (CSV, GeoJSON), the referential, places (core/place_finder.h) and the hub's cosigning
// key. Request -> Response, no
// socket: the Beast server (http/http_server.h) runs it on its worker pool. Errors are JSON {code,
// message, field}; database failures throw and become the server's 500.
//
// Every endpoint is a read of public data (public fields, reasons of refused batches without
// their content); there is nothing to write over HTTP at the hub yet.

#include <optional>
#include <string>

#include "core/clock.h"
#include "core/ed25519.h"
#include "core/pg_pool.h"
#include "core/place_finder.h"
#include "core/referential.h"
#include "http/cached_document.h"
#include "http/router.h"
#include "hub/store/national_queries.h"

namespace ess::hub {

class HubHttpApi {
 public:
  // The hub's cosigning key, published so that a region can check its receipts.
  struct Cosigner {
    std::string name;
    Ed25519PublicKey public_key{};
  };
  // All references must outlive the API. `pool` connections carry the hub statements.
  HubHttpApi(PgPool& pool, const Clock& clock, const Referential& referential,
             std::string federation, Cosigner cosigner);

  HttpResponse operator()(const HttpRequest& request) const { return router_(request); }
  HttpHandler AsHandler() const {
    return [this](const HttpRequest& r) { return router_(r); };
  }

 private:
  HttpResponse Search(const HttpRequest& request) const;
  HttpResponse Clusters(const HttpRequest& request) const;
  HttpResponse Record(const PathParams& params) const;
  HttpResponse RecordProof(const PathParams& params) const;
  HttpResponse IndicatorsOf() const;
  HttpResponse Regions() const;
  HttpResponse Region(const PathParams& params) const;
  HttpResponse DuplicatesOf(const HttpRequest& request) const;
  std::optional<HttpResponse> ExportPage(const HttpRequest& request, SearchPage& page) const;
  HttpResponse ExportCsv(const HttpRequest& request) const;
  HttpResponse ExportGeoJson(const HttpRequest& request) const;
  HttpResponse ReferentialDocument(const HttpRequest& request) const;
  HttpResponse Places(const HttpRequest& request) const;
  HttpResponse HubKey() const;

  PgPool& pool_;
  const Clock& clock_;
  const Referential& referential_;
  std::string federation_;
  Cosigner cosigner_;
  ServedDocument referential_full_;
  ServedDocument referential_without_communes_;
  PlaceFinder places_;  // all of France
  Router router_;
};

}  // namespace ess::hub
