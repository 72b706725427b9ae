// Fuzz target: the HTTP request path, from the bytes a client sends on one connection to the
// handler: Beast's request parser with the server's limits, ToHttpRequest (http/beast_request.h:
// path decoding, query, headers, client address behind a trusted proxy), the web site's
// static files and page aliases (http/web_site.h) and the router's path matching
// (http/router.h), as http_server.cpp chains them; requests follow each other while the
// connection stays open. Properties:
//   - a handler runs only for a path that its pattern matches, segment by segment, with each
//     parameter the (non-empty, slash-free) segment at its place;
//   - no answer ever carries a file from outside the web root (a secret file beside the root,
//     and a symbolic link from the root to it, are there to be reached);
//   - a page answered 200 is one of the web root's files (or the page settings), and every
//     answer carries the security headers;
//   - the client address is the peer's unless the peer is a trusted proxy, and then an address;
//   - the session cookie and the CSRF header are read as sent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "http/beast_request.h"
#include "http/router.h"
#include "http/session_cookie.h"
#include "http/web_site.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace ess;
using fuzz::Check;
namespace fs = std::filesystem;
namespace http = beast::http;

constexpr const char* kSecret = "SECRET-OUTSIDE-THE-WEB-ROOT";
constexpr const char* kTrustedProxy = "10.0.0.1";
constexpr const char* kPeer = "203.0.113.5";

std::vector<std::string> Segments(std::string_view path) {
  std::vector<std::string> out;
  for (std::size_t at = 0; at < path.size();) {
    if (path[at] == '/') {
      ++at;
      continue;
    }
    auto next = path.find('/', at);
    out.emplace_back(path.substr(at, next - at));
    at = next == std::string_view::npos ? path.size() : next;
  }
  return out;
}

struct Site {
  fs::path base;
  std::vector<std::string> files;  // the contents of every file under the web root
  Router router;
  std::unique_ptr<WebSite> site;

  Site() {
    char dir[] = "/tmp/ess-fuzz-web.XXXXXX";
    Check(mkdtemp(dir) != nullptr, "cannot make the web root");
    base = dir;
    const fs::path web = base / "web";
    auto file = [this](const fs::path& path, const std::string& text) {
      fs::create_directories(path.parent_path());
      std::ofstream(path) << text;
      files.push_back(text);
    };
    file(web / "site/node/index.html", "<p>accueil</p>");
    file(web / "site/node/comite/index.html", "<p>comité</p>");
    file(web / "site/node/modifier.html", "<p>modifier</p>");
    file(web / "common/app.js", "export const app = 1;");
    file(web / "generated/regions.geojson", "{\"type\":\"FeatureCollection\"}");
    file(web / "node_modules/leaflet/dist/leaflet.js", "/* leaflet */");
    std::ofstream(base / "secret.txt") << kSecret;
    fs::create_directory_symlink(base, web / "site/node/escape");
    for (const char* pattern :
         {"/healthz", "/api/initiatives", "/api/initiatives/{id}", "/api/initiatives/{id}/reports",
          "/api/sessions", "/api/admin/rules", "/api/sessions/current",
          "/api/{region}/{id}/proof"}) {
      for (const char* method : {"GET", "POST", "PUT", "DELETE"}) {
        if ((std::string_view(method) == "PUT") !=
            (std::string_view(pattern) == "/api/admin/rules")) {
          continue;
        }
        router.Add(method, pattern, [pattern](const HttpRequest& r, const PathParams& params) {
          CheckMatch(pattern, r.path, params);
          return HttpResponse::Json(200, "{}");
        });
      }
    }
    site = std::make_unique<WebSite>(router.AsHandler(),
                                     WebSiteOptions{(base / "web").string(), "node", "", ""});
    site->AddPageAlias("/modifier/", "modifier.html");
    files.push_back(
        nlohmann::json({{"site", "node"}, {"tile_url", ""}, {"tile_attribution", ""}}).dump());
  }
  ~Site() {
    std::error_code ec;
    fs::remove_all(base, ec);
  }

  static void CheckMatch(std::string_view pattern, std::string_view path,
                         const PathParams& params) {
    const auto want = Segments(pattern);
    const auto got = Segments(path);
    Check(want.size() == got.size(), "a handler ran for a path of another length than its pattern");
    std::size_t named = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
      if (want[i].front() == '{') {
        auto it = params.find(want[i].substr(1, want[i].size() - 2));
        Check(it != params.end() && it->second == got[i] && !it->second.empty() &&
                  it->second.find('/') == std::string::npos,
              "a path parameter is not the segment at its place");
        ++named;
      } else {
        Check(want[i] == got[i], "a handler ran for a path whose literal segment differs");
      }
    }
    Check(params.size() == named, "a handler got parameters its pattern does not name");
  }
};

Site& TheSite() {
  static Site* site = [] {
    auto* s = new Site();
    std::atexit([] { delete &TheSite(); });
    return s;
  }();
  return *site;
}

void CheckRequest(const HttpRequest& r, const std::string& peer) {
  if (peer != kTrustedProxy) {
    Check(r.client_address == peer, "an untrusted peer's X-Forwarded-For was believed");
  } else {
    beast::error_code ec;
    asio::ip::make_address(r.client_address, ec);
    Check(!ec, "the client address behind a trusted proxy is not an address");
  }
  const std::string cookie = r.Header("cookie").value_or("");
  if (auto token = SessionTokenOf(r, SessionCookieOptions{})) {
    Check(cookie.find("ess_session=" + *token) != std::string::npos,
          "the session token is not the one the cookie carries");
  }
  if (CsrfTokenMatches(r, "t0k3n")) {
    Check(r.Header("x-csrf-token") == "t0k3n", "a CSRF token matched another header value");
  }
}

void CheckResponse(const HttpRequest& r, const HttpResponse& res) {
  const Site& s = TheSite();
  const std::string_view body = res.BodyText();
  Check(body.find(kSecret) == std::string_view::npos, "a file outside the web root was served");
  auto header = [&res](std::string_view name) {
    for (const auto& [n, v] : res.headers) {
      if (n == name) return v;
    }
    return std::string();
  };
  const std::string policy = header("Content-Security-Policy");
  Check(!policy.empty() && !header("X-Frame-Options").empty() && !header("Referrer-Policy").empty(),
        "an answer lacks the security headers");
  // Pages carry the pages' policy; what falls through to the API carries "default-src 'none'".
  const bool page = policy.starts_with("default-src 'self'");
  if (page && res.status == 200 && r.method == "GET") {
    Check(std::find(s.files.begin(), s.files.end(), body) != s.files.end(),
          "a page answered 200 is none of the web root's files");
  }
  Check(res.status >= 200 && res.status < 600, "an answer with no HTTP status");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Site& s = TheSite();
  const std::vector<std::string> trusted = {kTrustedProxy};
  std::size_t at = 0;
  for (int n = 0; n < 8 && at < size; ++n) {
    // As HttpServer::Impl::Session: one parser per request, the server's limits.
    http::request_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    parser.header_limit(16 * 1024);
    parser.eager(true);
    beast::error_code ec;
    while (!parser.is_done()) {
      std::size_t used = parser.put(asio::buffer(data + at, size - at), ec);
      at += used;
      if (ec == http::error::need_more && at < size && used > 0) {
        ec = {};
        continue;
      }
      if (ec == http::error::need_more) parser.put_eof(ec);
      if (ec || used == 0) break;
    }
    if (ec || !parser.is_done()) return 0;  // the server answers 400, 413 or 431 and closes
    auto message = parser.release();
    const std::string peer = n % 2 == 0 ? kPeer : kTrustedProxy;
    HttpRequest request = ToHttpRequest(message, peer, trusted);
    CheckRequest(request, peer);
    HttpResponse response = (*s.site)(request);
    CheckResponse(request, response);
    if (!message.keep_alive()) break;
  }
  return 0;
}
