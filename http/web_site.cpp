#include "http/web_site.h"

#include <spdlog/spdlog.h>

#include <cctype>
#include <filesystem>

namespace ess {

namespace fs = std::filesystem;

namespace {

constexpr const char* kApiPolicy = "default-src 'none'; frame-ancestors 'none'";

// "https://{s}.tile.example.org/{z}/{x}/{y}.png" -> "https://*.tile.example.org"; empty when
// the URL has no plain http(s) origin (nothing that could smuggle a directive in).
std::string TileOrigin(const std::string& tile_url) {
  auto scheme_end = tile_url.find("://");
  if (scheme_end == std::string::npos) return "";
  std::string scheme = tile_url.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") return "";
  auto host_end = tile_url.find('/', scheme_end + 3);
  std::string host =
      tile_url.substr(scheme_end + 3, host_end == std::string::npos ? std::string::npos : host_end - scheme_end - 3);
  if (auto s = host.find("{s}"); s != std::string::npos) host.replace(s, 3, "*");
  if (host.empty()) return "";
  for (char c : host) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' || c == '*')) return "";
  }
  return scheme + "://" + host;
}

// (X-Content-Type-Options: the server sets it on every response.)
void AddCommonHeaders(HttpResponse& res, const std::string& policy) {
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
  res.headers.emplace_back("X-Frame-Options", "DENY");
  res.headers.emplace_back("Content-Security-Policy", policy);
}

// A path of plain segments ("/comite", "/admin/import"): letters, digits, '-', '_', '/'.
bool IsPlainPath(const std::string& path) {
  if (path.size() < 2 || path.front() != '/' || path.back() == '/' || path.find("//") != std::string::npos) {
    return false;
  }
  for (char c : path) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '/')) return false;
  }
  return true;
}

}  // namespace

std::string WebSite::PagePolicy(const std::string& tile_url) {
  std::string tiles = TileOrigin(tile_url);
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" +
         (tiles.empty() ? "" : " " + tiles) +
         "; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
         "form-action 'self'; frame-ancestors 'none'";
}

WebSite::WebSite(HttpHandler api, WebSiteOptions options, nlohmann::json page_settings)
    : api_(std::move(api)), options_(std::move(options)), page_policy_(PagePolicy(options_.tile_url)) {
  nlohmann::json settings = {
      {"site", options_.site}, {"tile_url", options_.tile_url}, {"tile_attribution", options_.tile_attribution}};
  settings.update(page_settings);
  settings_json_ = settings.dump();
  if (options_.root.empty()) return;
  const fs::path root(options_.root);
  site_root_ = (root / "site" / options_.site).string();
  std::error_code ec;
  if (!fs::is_directory(site_root_, ec)) {
    spdlog::warn("pages web introuvables dans {} (--web-root) : seule l'API est servie", site_root_);
  }
  if (!fs::is_directory(root / "node_modules" / "leaflet" / "dist", ec)) {
    spdlog::warn("Leaflet introuvable dans {}/node_modules (lancer npm ci dans web/) : la carte ne s'affichera pas",
                 options_.root);
  }
  mounts_.emplace_back("/vendor/leaflet/", (root / "node_modules" / "leaflet" / "dist").string());
  mounts_.emplace_back("/common/", (root / "common").string());
  mounts_.emplace_back("/generated/", (root / "generated").string());
  mounts_.emplace_back("/", site_root_);
}

WebSite& WebSite::AddPageAlias(std::string url_prefix, std::string page) {
  aliases_.emplace_back(std::move(url_prefix), std::move(page));
  return *this;
}

std::optional<HttpResponse> WebSite::ServePage(const HttpRequest& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  if (request.path == "/site.json") return HttpResponse::Json(200, settings_json_);
  if (options_.root.empty()) return std::nullopt;
  for (const auto& [prefix, page] : aliases_) {
    if (request.path.starts_with(prefix)) {
      HttpRequest as_page = request;
      as_page.path = "/" + page;
      return mounts_.back().Serve(as_page);
    }
  }
  for (const auto& mount : mounts_) {
    auto res = mount.Serve(request);
    if (!res) continue;
    if (res->status == 404 && &mount == &mounts_.back() && IsPlainPath(request.path)) {
      // "/comite" names the folder of a page: send the browser to "/comite/".
      std::error_code ec;
      if (fs::is_regular_file(fs::path(site_root_) / request.path.substr(1) / "index.html", ec)) {
        HttpResponse redirect = HttpResponse::Text(308, "", "text/plain; charset=utf-8");
        redirect.headers.emplace_back("Location", request.path + "/");
        return redirect;
      }
    }
    if (res->status == 404) return std::nullopt;  // the API's 404 answers
    return res;
  }
  return std::nullopt;
}

HttpResponse WebSite::operator()(const HttpRequest& request) const {
  const bool api = request.path == "/healthz" || request.path.starts_with("/api/");
  if (!api) {
    if (auto page = ServePage(request)) {
      AddCommonHeaders(*page, page_policy_);
      return *page;
    }
  }
  HttpResponse res = api_(request);
  AddCommonHeaders(res, kApiPolicy);
  return res;
}

}  // namespace ess
