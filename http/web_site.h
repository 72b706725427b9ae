#pragma once
// A service's web site in front of its JSON API (docs/web.md). Requests for "/api/..." and
// "/healthz" always go to the API. Other GET/HEAD requests are served from the web
// directory (web/ in the repository):
//   /                 <root>/site/<site>/      the site's pages ("node" or "hub")
//   /common/          <root>/common/           modules shared by both sites
//   /vendor/leaflet/  <root>/node_modules/leaflet/dist/   Leaflet, installed by npm
//   /generated/       <root>/generated/        region/department outlines (deploy/build.sh)
//   /site.json        the page settings: tile server, plus what the service adds
// plus page aliases (a URL prefix served by one page, e.g. "/modifier/" -> modifier.html).
// Whatever no file matches goes to the API, whose JSON 404 answers it.
//
// Every response carries X-Content-Type-Options, Referrer-Policy: no-referrer and
// X-Frame-Options: DENY; pages carry a Content-Security-Policy without inline scripts or
// styles ('self' only, plus the tile server's origin for images); API responses carry
// "default-src 'none'".

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "http/http_types.h"
#include "http/static_files.h"

namespace ess {

struct WebSiteOptions {
  std::string root;              // the web directory; empty = no pages, API only
  std::string site;              // "node" or "hub": pages come from <root>/site/<site>/
  std::string tile_url;          // "https://tile.example/{z}/{x}/{y}.png"; empty = no tiles
  std::string tile_attribution;  // shown on the map when tiles are drawn
};

class WebSite {
 public:
  // `api` handles what is not a file. `page_settings` are merged into /site.json.
  WebSite(HttpHandler api, WebSiteOptions options, nlohmann::json page_settings = nlohmann::json::object());

  // Requests whose path starts with `url_prefix` (e.g. "/modifier/") get `<site>/<page>`.
  WebSite& AddPageAlias(std::string url_prefix, std::string page);

  HttpResponse operator()(const HttpRequest& request) const;
  HttpHandler AsHandler() const {
    return [this](const HttpRequest& r) { return (*this)(r); };
  }

  // The Content-Security-Policy of pages for a tile server URL (its origin may serve images).
  static std::string PagePolicy(const std::string& tile_url);

 private:
  std::optional<HttpResponse> ServePage(const HttpRequest& request) const;

  HttpHandler api_;
  WebSiteOptions options_;
  std::string site_root_;
  std::string settings_json_;
  std::string page_policy_;
  std::vector<StaticFiles> mounts_;                           // most specific first
  std::vector<std::pair<std::string, std::string>> aliases_;  // prefix -> page
};

}  // namespace ess
