#include "http/web_site.h"

#include <spdlog/spdlog.h>

#include <algorithm>
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

// (X-Content-Type-Options: the server sets it on every response.) `framed`: the embed page,
// whose policy says who may frame it; X-Frame-Options could only deny them all.
void AddCommonHeaders(HttpResponse& res, const std::string& policy, bool framed = false) {
  res.headers.emplace_back("Referrer-Policy", "no-referrer");
  if (!framed) res.headers.emplace_back("X-Frame-Options", "DENY");
  res.headers.emplace_back("Content-Security-Policy", policy);
}

bool IsEmbedPath(const std::string& path) { return path == "/embed" || path == "/embed.html"; }

bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// "https:", "web+app:" (CSP's scheme-source, without the slashes).
bool IsSchemeName(std::string_view s) {
  if (s.empty() || !IsAlpha(s.front())) return false;
  for (char c : s) {
    if (!(IsAlnum(c) || c == '+' || c == '-' || c == '.')) return false;
  }
  return true;
}

// "example.org", "*.example.org", "localhost": labels of letters, digits and '-'.
bool IsHostName(std::string_view host) {
  if (host.starts_with("*.")) host.remove_prefix(2);
  if (host.empty()) return false;
  std::size_t label = 0;
  for (char c : host) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if (IsAlnum(c) || c == '-') {
      ++label;
    } else {
      return false;
    }
  }
  return label > 0;
}

// CSP's host-source without a path: [scheme "://"] host [":" port], port digits or "*".
bool IsHostSource(std::string_view s) {
  if (auto end = s.find("://"); end != std::string_view::npos) {
    if (!IsSchemeName(s.substr(0, end))) return false;
    s.remove_prefix(end + 3);
  }
  if (auto colon = s.find(':'); colon != std::string_view::npos) {
    std::string_view port = s.substr(colon + 1);
    const bool digits =
        !port.empty() && port.size() <= 5 &&
        std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (port != "*" && !(digits && std::stoi(std::string(port)) <= 65535)) return false;
    s = s.substr(0, colon);
  }
  return IsHostName(s);
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

std::optional<std::vector<std::string>> ParseFrameAncestors(std::string_view text,
                                                            std::string* error) {
  std::vector<std::string> sources;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = text.find_first_of(" \t,", at);
    std::string_view source =
        text.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    at = end == std::string_view::npos ? text.size() : end + 1;
    if (source.empty()) continue;
    const bool valid =
        source == "*" || source == "'self'" || source == "'none'" ||
        (source.back() == ':' && IsSchemeName(source.substr(0, source.size() - 1))) ||
        IsHostSource(source);
    if (!valid) {
      *error = "« " + std::string(source) +
               " » n'est pas une source permise (*, 'self', 'none', https:, https://exemple.org, "
               "https://*.exemple.org:8443)";
      return std::nullopt;
    }
    sources.emplace_back(source);
  }
  if (sources.empty()) {
    *error = "au moins une source ('none' : aucun site ne peut intégrer la carte)";
    return std::nullopt;
  }
  if (sources.size() > 1 && std::find(sources.begin(), sources.end(), "'none'") != sources.end()) {
    *error = "'none' s'emploie seul";
    return std::nullopt;
  }
  return sources;
}

std::string WebSite::PagePolicy(const std::string& tile_url, const std::string& frame_ancestors) {
  std::string tiles = TileOrigin(tile_url);
  return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:" +
         (tiles.empty() ? "" : " " + tiles) +
         "; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
         "form-action 'self'; frame-ancestors " +
         frame_ancestors;
}

WebSite::WebSite(HttpHandler api, WebSiteOptions options, nlohmann::json page_settings)
    : api_(std::move(api)), options_(std::move(options)), page_policy_(PagePolicy(options_.tile_url)) {
  // The options were checked when read (ParseFrameAncestors); a source that would not pass
  // is left out here rather than written into the policy.
  std::string ancestors;
  for (const auto& source : options_.embed_frame_ancestors) {
    std::string ignored;
    if (!ParseFrameAncestors(source, &ignored)) continue;
    ancestors += (ancestors.empty() ? "" : " ") + source;
  }
  // The site's own generator page previews the embed page in a frame: 'self' is always let in
  // ('*' already is), unless no site at all may frame it.
  const auto& listed = options_.embed_frame_ancestors;
  if (!ancestors.empty() && ancestors != "'none'" &&
      std::find(listed.begin(), listed.end(), "*") == listed.end() &&
      std::find(listed.begin(), listed.end(), "'self'") == listed.end()) {
    ancestors += " 'self'";
  }
  embed_policy_ = PagePolicy(options_.tile_url, ancestors.empty() ? "'none'" : ancestors);
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
  if (request.path == "/embed") {
    HttpRequest as_page = request;
    as_page.path = "/embed.html";
    auto res = mounts_.back().Serve(as_page);
    if (res && res->status == 404) return std::nullopt;
    return res;
  }
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
      const bool embed = IsEmbedPath(request.path);
      AddCommonHeaders(*page, embed ? embed_policy_ : page_policy_, embed);
      return *page;
    }
  }
  HttpResponse res = api_(request);
  AddCommonHeaders(res, kApiPolicy);
  return res;
}

}  // namespace ess
