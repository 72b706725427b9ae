#pragma once
// A service's web site in front of its JSON API (docs/web.md). Requests for "/api/..." and
// "/healthz" always go to the API. Other GET/HEAD requests are served from the web
// directory (web/ in the repository):
//   /                 <root>/site/<site>/      the site's pages ("node" or "hub")
//   /common/          <root>/common/           modules shared by both sites
//   /vendor/leaflet/  <root>/node_modules/leaflet/dist/   Leaflet, installed by npm
//   /generated/       <root>/generated/        region/department outlines (deploy/build.sh)
//   /site.json        the page settings: tile server, plus what the service adds
//   /embed            <root>/site/<site>/embed.html, the embeddable map (also /embed.html)
// plus page aliases (a URL prefix served by one page, e.g. "/modifier/" -> modifier.html).
// Whatever no file matches goes to the API, whose JSON 404 answers it.
//
// Every response carries X-Content-Type-Options, Referrer-Policy: no-referrer and
// X-Frame-Options: DENY; pages carry a Content-Security-Policy without inline scripts or
// styles ('self' only, plus the tile server's origin for images) and `frame-ancestors
// 'none'`; API responses carry "default-src 'none'". The one exception is the embed page:
// its policy's frame-ancestors are `embed_frame_ancestors` (other sites may frame it), plus
// 'self' for the generator page's preview unless that is "'none'", and it
// has no X-Frame-Options (which cannot name origins; the server adds none when a policy
// names its frame-ancestors: http_server.h).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
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
  // Who may frame the embed page: CSP sources ("*", "'self'", "https://example.org",
  // "https://*.example.org", "https:"), as ParseFrameAncestors() accepts them.
  std::vector<std::string> embed_frame_ancestors = {"*"};
};

// The sources of --embed-frame-ancestors, separated by spaces or commas: "*", "'self'",
// "'none'" (alone), a scheme ("https:"), or a host with an optional scheme, a leading "*."
// and a port ("https://*.example.org:8443", "example.org"). Anything else (a quote, a ';',
// a path, a query) could change the policy and is refused: nullopt, with the French reason
// in `error`. An empty text is refused too ("'none'" says no site may frame the page).
std::optional<std::vector<std::string>> ParseFrameAncestors(std::string_view text,
                                                            std::string* error);

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

  // The Content-Security-Policy of pages for a tile server URL (its origin may serve images);
  // `frame_ancestors` is the directive's value ("'none'" for every page but the embed page).
  static std::string PagePolicy(const std::string& tile_url,
                                const std::string& frame_ancestors = "'none'");

 private:
  std::optional<HttpResponse> ServePage(const HttpRequest& request) const;

  HttpHandler api_;
  WebSiteOptions options_;
  std::string site_root_;
  std::string settings_json_;
  std::string page_policy_;
  std::string embed_policy_;
  std::vector<StaticFiles> mounts_;                           // most specific first
  std::vector<std::pair<std::string, std::string>> aliases_;  // prefix -> page
};

}  // namespace ess
