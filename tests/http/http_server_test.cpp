// The HTTP server over a real loopback socket: routing to the handler, limits, errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "core/metrics.h"
#include "http/http_server.h"
#include "http/ops_routes.h"
#include "http/router.h"
#include "http/static_files.h"
#include "http/web_site.h"

using namespace ess;

namespace {

// One raw HTTP/1.1 exchange: sends `request`, reads until the server closes.
std::string Exchange(std::uint16_t port, const std::string& request) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  std::size_t sent = 0;
  while (sent < request.size()) {
    auto n = ::send(fd, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;  // the server may close early (body too large)
    sent += static_cast<std::size_t>(n);
  }
  std::string response;
  char buf[4096];
  for (;;) {
    auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    response.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return response;
}

std::string Get(std::uint16_t port, const std::string& target) {
  return Exchange(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
}

}  // namespace

TEST_CASE("requests reach the handler decoded; responses carry status, type and headers") {
  HttpServer server({.port = 0, .body_limit = 64}, [](const HttpRequest& req) {
    if (req.path == "/boom") throw std::runtime_error("secret detail");
    HttpResponse res = HttpResponse::Json(
        201, "{\"path\":\"" + req.path + "\",\"q\":\"" + req.Query("q").value_or("") +
                 "\",\"cookie\":\"" + req.Cookie("sid").value_or("") + "\",\"body\":\"" + req.body +
                 "\"}");
    res.headers.emplace_back("X-Test", "yes");
    return res;
  });
  server.Start();
  REQUIRE(server.port() != 0);

  std::string r = Get(server.port(), "/a%20b?q=caf%C3%A9+cr%C3%A8me");
  CHECK(r.starts_with("HTTP/1.1 201"));
  CHECK(r.find("X-Test: yes") != std::string::npos);
  CHECK(r.find("Content-Type: application/json; charset=utf-8") != std::string::npos);
  auto count = [](const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
    return n;
  };
  CHECK(count(r, "X-Content-Type-Options: nosniff") == 1);  // on every response, once
  CHECK(r.find(R"("path":"/a b","q":"café crème")") != std::string::npos);

  std::string post = Exchange(server.port(),
                              "POST /x HTTP/1.1\r\nHost: x\r\nCookie: a=1; sid=abc\r\n"
                              "Content-Length: 5\r\nConnection: close\r\n\r\nhello");
  CHECK(post.find(R"("cookie":"abc","body":"hello")") != std::string::npos);

  std::string boom = Get(server.port(), "/boom");
  CHECK(boom.starts_with("HTTP/1.1 500"));
  CHECK(boom.find("secret detail") == std::string::npos);
  CHECK(boom.find(R"("code":"internal")") != std::string::npos);
  CHECK(count(boom, "X-Content-Type-Options: nosniff") == 1);

  std::string big = Exchange(server.port(), "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n" +
                                                std::string(65, 'a'));
  CHECK(big.starts_with("HTTP/1.1 413"));
  CHECK(big.find(R"("code":"too_large")") != std::string::npos);

  CHECK(Exchange(server.port(), "NONSENSE\r\n\r\n").starts_with("HTTP/1.1 400"));
  server.Stop();
  server.Stop();  // idempotent
}

TEST_CASE("keep-alive: several requests on one connection") {
  HttpServer server({.port = 0}, [](const HttpRequest& req) {
    return HttpResponse::Text(200, req.path, "text/plain");
  });
  server.Start();
  std::string r = Exchange(server.port(),
                           "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
                           "GET /two HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  CHECK(r.find("/one") != std::string::npos);
  CHECK(r.find("/two") != std::string::npos);
}

TEST_CASE("query parsing and percent-decoding") {
  auto q = ParseQuery("a=1&b=x%2By&c&a=2&bad=%zz");
  CHECK(q.count("a") == 2);
  CHECK(q.find("b")->second == "x+y");
  CHECK(q.find("c")->second == "");
  CHECK(q.count("bad") == 0);
  CHECK_FALSE(PercentDecode("%4", false));
  CHECK(PercentDecode("a+b", false) == "a+b");
  CHECK(PercentDecode("a+b", true) == "a b");
}

TEST_CASE("router: parameters, 404, 405 with Allow") {
  Router router;
  router.Add("GET", "/api/initiatives/{id}", [](const HttpRequest&, const PathParams& p) {
    return HttpResponse::Text(200, p.at("id"), "text/plain");
  });
  router.Add("POST", "/api/initiatives/{id}/votes", [](const HttpRequest&, const PathParams& p) {
    return HttpResponse::Text(201, "vote " + p.at("id"), "text/plain");
  });
  HttpRequest req;
  req.method = "GET";
  req.path = "/api/initiatives/abc";
  CHECK(router(req).body == "abc");
  req.path = "/api/initiatives/abc/votes";
  auto wrong = router(req);
  CHECK(wrong.status == 405);
  CHECK(wrong.headers.at(0).second == "POST");
  req.method = "POST";
  CHECK(router(req).status == 201);
  req.path = "/api/nothing";
  CHECK(router(req).status == 404);
}

TEST_CASE("static files: served with their type, no escape from the root") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("ess-static-" + std::to_string(::getpid()));
  fs::create_directories(root / "public" / "css");
  std::ofstream(root / "secret.txt") << "no";
  root /= "public";
  std::ofstream(root / "index.html") << "<h1>Carte</h1>";
  std::ofstream(root / "css" / "site.css") << "body{}";
  StaticFiles files("/", root.string());
  HttpRequest req;
  req.method = "GET";
  req.path = "/";
  auto index = files.Serve(req);
  REQUIRE(index);
  CHECK(index->body == "<h1>Carte</h1>");
  CHECK(index->content_type == "text/html; charset=utf-8");
  req.path = "/css/site.css";
  CHECK(files.Serve(req)->content_type == "text/css; charset=utf-8");
  // Kept by the browser and revalidated: 304 without a body while the file is unchanged.
  auto etag = std::find_if(index->headers.begin(), index->headers.end(), [](const auto& h) { return h.first == "ETag"; });
  REQUIRE(etag != index->headers.end());
  req.path = "/";
  req.headers["if-none-match"] = etag->second;
  auto again = files.Serve(req);
  CHECK(again->status == 304);
  CHECK(again->body.empty());
  std::ofstream(root / "index.html") << "<h1>Carte nationale</h1>";  // another size
  auto changed = files.Serve(req);
  CHECK(changed->status == 200);
  CHECK(changed->body == "<h1>Carte nationale</h1>");
  req.headers.clear();
  for (std::string bad : {"/../secret.txt", "/css/../../secret.txt", "/missing.js", "/css/"}) {
    req.path = bad;
    CHECK_MESSAGE(files.Serve(req)->status == 404, bad);
  }
  req.method = "POST";
  req.path = "/";
  CHECK_FALSE(files.Serve(req));
  StaticFiles vendor("/vendor/", root.string());
  req.method = "GET";
  req.path = "/api/x";
  CHECK_FALSE(vendor.Serve(req));
  fs::remove_all(root.parent_path());
}

namespace {

// A connection held open by the test (its requests sent by hand), closed at scope exit.
class OpenConnection {
 public:
  explicit OpenConnection(std::uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~OpenConnection() { ::close(fd_); }
  void Send(const std::string& bytes) {
    REQUIRE(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(bytes.size()));
  }
  // Reads until the server closes the connection.
  std::string ReadAll() {
    std::string response;
    char buf[4096];
    for (;;) {
      auto n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      response.append(buf, static_cast<std::size_t>(n));
    }
    return response;
  }

 private:
  int fd_;
};

// Polls `done` for at most ten seconds.
template <class F>
bool Eventually(F done) {
  for (int i = 0; i < 1000; ++i) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

bool HasHeader(const std::string& response, const std::string& line) {
  return response.find("\r\n" + line + "\r\n") != std::string::npos;
}

}  // namespace

TEST_CASE("every response carries the security headers, the parser's refusals too") {
  HttpServer server({.port = 0, .body_limit = 64}, [](const HttpRequest&) {
    HttpResponse res = HttpResponse::Json(200, "{}");
    res.headers.emplace_back("Content-Security-Policy",
                             "default-src 'self'");  // the handler's own wins
    return res;
  });
  server.Start();
  std::string big_headers =
      "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(17 * 1024, 'a') + "\r\n\r\n";
  for (const std::string& request :
       {std::string("NONSENSE\r\n\r\n"), big_headers,
        "POST /x HTTP/1.1\r\nHost: x\r\nContent-Length: 65\r\n\r\n" + std::string(65, 'a')}) {
    std::string r = Exchange(server.port(), request);
    CAPTURE(r.substr(0, 12));
    CHECK((r.starts_with("HTTP/1.1 400") || r.starts_with("HTTP/1.1 431") ||
           r.starts_with("HTTP/1.1 413")));
    CHECK(HasHeader(r, "X-Content-Type-Options: nosniff"));
    CHECK(HasHeader(r, "Referrer-Policy: no-referrer"));
    CHECK(HasHeader(r, "X-Frame-Options: DENY"));
    CHECK(HasHeader(r, "Content-Security-Policy: default-src 'none'; frame-ancestors 'none'"));
  }
  std::string ok = Get(server.port(), "/");
  CHECK(ok.starts_with("HTTP/1.1 200"));
  CHECK(HasHeader(ok, "Content-Security-Policy: default-src 'self'"));
  CHECK(ok.find("default-src 'none'") == std::string::npos);
}

TEST_CASE("--embed-frame-ancestors: CSP sources only, nothing that could add a directive") {
  std::string error;
  using Sources = std::vector<std::string>;
  CHECK(ParseFrameAncestors("*", &error) == Sources{"*"});
  CHECK(ParseFrameAncestors("'none'", &error) == Sources{"'none'"});
  CHECK(ParseFrameAncestors(
            " https://exemple.org,  https://*.exemple.org:8443 'self' https: localhost:*",
            &error) == Sources{"https://exemple.org", "https://*.exemple.org:8443", "'self'",
                               "https:", "localhost:*"});
  for (const char* bad :
       {"https://exemple.org; script-src *", "https://exemple.org/chemin", "'unsafe-inline'",
        "https://exe mple.org'", "https://", "https://exemple.org:port", "exemple..org",
        "'none' https://exemple.org", "", " , ", "http://127.0.0.1:99999", "*.", "\"*\""}) {
    CAPTURE(bad);
    error.clear();
    CHECK_FALSE(ParseFrameAncestors(bad, &error));
    CHECK_FALSE(error.empty());
  }
  ParseFrameAncestors("https://exemple.org/chemin", &error);
  CHECK(error.find("« https://exemple.org/chemin » n'est pas une source permise") !=
        std::string::npos);
}

TEST_CASE("the embed page alone may be framed, by the configured sites, without X-Frame-Options") {
  namespace fs = std::filesystem;
  fs::path root = fs::temp_directory_path() / ("ess-embed-" + std::to_string(::getpid()));
  fs::create_directories(root / "site" / "node");
  std::ofstream(root / "site" / "node" / "index.html") << "<h1>Carte</h1>";
  std::ofstream(root / "site" / "node" / "embed.html") << "<h1>Carte intégrée</h1>";
  std::ofstream(root / "site" / "node" / "integrer.html") << "<h1>Intégrer</h1>";
  HttpHandler api = [](const HttpRequest&) {
    return HttpResponse::Error(404, "not_found", "Ressource introuvable.");
  };
  WebSiteOptions options{root.string(), "node", "", ""};
  options.embed_frame_ancestors = {"https://exemple.org", "https://*.exemple.org"};
  WebSite site(api, options);
  HttpServer server({.port = 0}, site.AsHandler());
  server.Start();
  auto policy_of = [](const std::string& response) {
    auto at = response.find("\r\nContent-Security-Policy: ");
    if (at == std::string::npos) return std::string();
    at += 27;
    return response.substr(at, response.find("\r\n", at) - at);
  };
  for (const char* path : {"/embed", "/embed.html"}) {
    CAPTURE(path);
    std::string embed = Get(server.port(), path);
    CHECK(embed.starts_with("HTTP/1.1 200"));
    CHECK(embed.find("Carte intégrée") != std::string::npos);
    CHECK(policy_of(embed).ends_with(
        "; frame-ancestors https://exemple.org https://*.exemple.org 'self'"));
    CHECK(policy_of(embed).starts_with("default-src 'self'; script-src 'self';"));
    CHECK(embed.find("X-Frame-Options") == std::string::npos);
    CHECK(HasHeader(embed, "Referrer-Policy: no-referrer"));
  }
  // Every other page, the generator page included, and the API stay unframeable.
  for (const char* path : {"/", "/integrer.html", "/embed/", "/embedded", "/api/initiatives"}) {
    CAPTURE(path);
    std::string other = Get(server.port(), path);
    CHECK(policy_of(other).ends_with("frame-ancestors 'none'"));
    CHECK(HasHeader(other, "X-Frame-Options: DENY"));
  }
  server.Stop();

  // The default: any site ('*'); a policy whose frame-ancestors a handler names keeps no
  // X-Frame-Options, whatever the letters' case; one without frame-ancestors gets DENY.
  WebSite open_site(api, {root.string(), "node", "", ""});
  HttpRequest r;
  r.method = "GET";
  r.path = "/embed";
  auto answer = open_site(r);
  CHECK(answer.status == 200);
  CHECK(std::any_of(answer.headers.begin(), answer.headers.end(), [](const auto& h) {
    return h.first == "Content-Security-Policy" && h.second.ends_with("; frame-ancestors *");
  }));
  CHECK(std::none_of(answer.headers.begin(), answer.headers.end(),
                     [](const auto& h) { return h.first == "X-Frame-Options"; }));
  HttpServer raw({.port = 0}, [](const HttpRequest& request) {
    HttpResponse res = HttpResponse::Json(200, "{}");
    res.headers.emplace_back("Content-Security-Policy",
                             request.path == "/framed" ? "default-src 'self';Frame-Ancestors *"
                                                       : "default-src 'self'; frame-ancestorsx *");
    return res;
  });
  raw.Start();
  CHECK(Get(raw.port(), "/framed").find("X-Frame-Options") == std::string::npos);
  CHECK(HasHeader(Get(raw.port(), "/other"), "X-Frame-Options: DENY"));
  raw.Stop();
  fs::remove_all(root);
}

TEST_CASE("connections are capped, in all and per client address") {
  HttpServer server({.port = 0, .max_connections = 3, .max_connections_per_client = 2},
                    [](const HttpRequest&) { return HttpResponse::Json(200, "{}"); });
  server.Start();
  {
    OpenConnection first(server.port()), second(server.port());
    REQUIRE(Eventually([&] { return server.open_connections() == 2; }));
    // A third connection from the same address is answered 503 and closed.
    std::string refused = Get(server.port(), "/");
    CHECK(refused.starts_with("HTTP/1.1 503"));
    CHECK(refused.find(R"("code":"server_busy")") != std::string::npos);
    CHECK(HasHeader(refused, "Retry-After: 1"));
  }
  // Closed connections give their places back.
  REQUIRE(Eventually([&] { return server.open_connections() == 0; }));
  CHECK(Get(server.port(), "/").starts_with("HTTP/1.1 200"));

  HttpServer shared({.port = 0, .max_connections = 2, .max_connections_per_client = 0},
                    [](const HttpRequest&) { return HttpResponse::Json(200, "{}"); });
  shared.Start();
  OpenConnection first(shared.port()), second(shared.port());
  REQUIRE(Eventually([&] { return shared.open_connections() == 2; }));
  CHECK(Get(shared.port(), "/").starts_with("HTTP/1.1 503"));  // the cap in all
}

TEST_CASE("unfinished large bodies cannot hold more than the body buffer limit") {
  constexpr std::size_t kLarge = 3 * kSmallBodyBytes;
  HttpServer server(
      {.port = 0, .body_limit = 4 * kSmallBodyBytes, .body_buffer_limit = 4 * kSmallBodyBytes},
      [](const HttpRequest& req) {
        return HttpResponse::Json(200, std::to_string(req.body.size()));
      });
  server.Start();
  const std::string header =
      "POST /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: " +
      std::to_string(kLarge) + "\r\n\r\n";
  OpenConnection slow(server.port());
  slow.Send(header + std::string(100, 'a'));  // and the rest later
  REQUIRE(Eventually([&] { return server.reserved_body_bytes() == kLarge; }));

  // Another large body does not fit: refused before it is read.
  std::string refused = Exchange(server.port(), header + std::string(kLarge, 'b'));
  CHECK(refused.starts_with("HTTP/1.1 503"));
  CHECK(refused.find(R"("code":"server_busy")") != std::string::npos);
  // Small bodies need no reservation.
  std::string small = Exchange(
      server.port(),
      "POST /x HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nhello");
  CHECK(small.starts_with("HTTP/1.1 200"));

  slow.Send(std::string(kLarge - 100, 'a'));
  CHECK(slow.ReadAll().find("\r\n\r\n" + std::to_string(kLarge)) != std::string::npos);
  REQUIRE(Eventually([&] { return server.reserved_body_bytes() == 0; }));
  CHECK(Exchange(server.port(), header + std::string(kLarge, 'b')).starts_with("HTTP/1.1 200"));
}

TEST_CASE("a shared document is written whole to every client") {
  auto document = std::make_shared<const std::string>(std::string(300 * 1024, 'r') + "fin");
  HttpServer server({.port = 0}, [&document](const HttpRequest&) {
    HttpResponse res = HttpResponse::Json(200, "");
    res.shared_body = document;
    return res;
  });
  server.Start();
  std::string r = Get(server.port(), "/api/referential");
  REQUIRE(r.starts_with("HTTP/1.1 200"));
  CHECK(HasHeader(r, "Content-Length: " + std::to_string(document->size())));
  CHECK(r.substr(r.find("\r\n\r\n") + 4) == *document);
}

TEST_CASE("router: state-changing requests take JSON bodies only (415 otherwise)") {
  Router router;
  router.Add("POST", "/api/initiatives/{id}/reports",
             [](const HttpRequest&, const PathParams&) { return HttpResponse::Json(201, "{}"); });
  HttpRequest req;
  req.method = "POST";
  req.path = "/api/initiatives/abc/reports";
  req.body = R"({"reason":"closed"})";
  // What a form on another site sends: refused whatever its body.
  for (std::string type : {"text/plain", "application/x-www-form-urlencoded",
                           "multipart/form-data; boundary=x", "application/jsonp", "text/json"}) {
    req.headers["content-type"] = type;
    auto res = router(req);
    CHECK_MESSAGE(res.status == 415, type);
    CHECK(res.body.find("unsupported_media_type") != std::string::npos);
  }
  req.headers.erase("content-type");
  CHECK(router(req).status == 415);  // a body without a type
  for (std::string type :
       {"application/json", "application/json; charset=utf-8", "Application/JSON"}) {
    req.headers["content-type"] = type;
    CHECK_MESSAGE(router(req).status == 201, type);
  }
  req.headers.clear();
  req.body.clear();
  CHECK(router(req).status == 201);  // no body, no type: an action without input
  req.headers["content-type"] = "text/plain";
  CHECK(router(req).status == 415);  // an empty form too
}

TEST_CASE("client address: X-Forwarded-For is believed from trusted proxies only") {
  const std::vector<std::string> proxies{"10.0.0.1", "10.0.0.2"};
  CHECK(ClientAddress("203.0.113.9", "198.51.100.7", proxies) ==
        "203.0.113.9");  // not a proxy: its own
  CHECK(ClientAddress("10.0.0.1", "", proxies) == "10.0.0.1");
  CHECK(ClientAddress("10.0.0.1", "198.51.100.7", proxies) == "198.51.100.7");
  // A client cannot choose its address by sending the header itself: the right-most
  // untrusted hop is what the nearest proxy saw.
  CHECK(ClientAddress("10.0.0.1", "1.2.3.4, 198.51.100.7", proxies) == "198.51.100.7");
  CHECK(ClientAddress("10.0.0.1", "1.2.3.4, 198.51.100.7, 10.0.0.2", proxies) == "198.51.100.7");
  CHECK(ClientAddress("10.0.0.1", "2001:db8::1", proxies) == "2001:db8::1");
  CHECK(ClientAddress("10.0.0.1", "forged, nonsense", proxies) == "10.0.0.1");
  CHECK(ClientAddress("10.0.0.1", "198.51.100.7", {}) == "10.0.0.1");
}

TEST_CASE(
    "behind a trusted proxy, handlers see the forwarded address and the proxy has no per-address "
    "cap") {
  HttpServer server({.port = 0, .max_connections_per_client = 1, .trusted_proxies = {"127.0.0.1"}},
                    [](const HttpRequest& req) {
                      return HttpResponse::Json(200, "\"" + req.client_address + "\"");
                    });
  server.Start();
  OpenConnection held(server.port());
  REQUIRE(Eventually([&] { return server.open_connections() == 1; }));
  std::string r = Exchange(
      server.port(),
      "GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 198.51.100.7\r\nConnection: close\r\n\r\n");
  CHECK(r.starts_with("HTTP/1.1 200"));
  CHECK(r.find("\"198.51.100.7\"") != std::string::npos);
}

TEST_CASE("route classes: a full expensive class answers 503 busy at once, cheap routes go on") {
  std::mutex mutex;
  std::condition_variable changed;
  int holding = 0;
  bool release = false;
  HttpServerOptions options{.port = 0};
  options.expensive_workers = 1;
  options.expensive.queue = 1;
  options.expensive.queue_wait = std::chrono::milliseconds(0);
  options.route_class = [](const HttpRequest& r) {
    return r.path == "/slow" ? RouteClass::kExpensive : RouteClass::kCheap;
  };
  HttpServer server(options, [&](const HttpRequest& r) {
    if (r.path == "/slow") {
      std::unique_lock lock(mutex);
      ++holding;
      changed.notify_all();
      changed.wait(lock, [&] { return release; });
    }
    return HttpResponse::Json(200, "{}");
  });
  server.Start();
  // One runs, one waits in the queue: the class is full.
  std::vector<std::thread> held;
  std::vector<std::string> held_answers(2);
  for (int i = 0; i < 2; ++i) {
    held.emplace_back([&, i] { held_answers[i] = Get(server.port(), "/slow"); });
  }
  {
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return holding == 1; }));
  }
  for (int i = 0; i < 100 && server.admitted(RouteClass::kExpensive) < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(server.admitted(RouteClass::kExpensive) == 2);
  const std::string refused = Get(server.port(), "/slow");
  CHECK(refused.starts_with("HTTP/1.1 503"));
  CHECK(refused.find("Retry-After: 2") != std::string::npos);
  CHECK(refused.find("\"code\":\"busy\"") != std::string::npos);
  CHECK(Get(server.port(), "/healthz").starts_with("HTTP/1.1 200"));
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  for (auto& t : held) t.join();
  for (const auto& answer : held_answers) CHECK(answer.starts_with("HTTP/1.1 200"));
}

TEST_CASE("a request whose client hangs up while it waits for a worker never runs") {
  std::mutex mutex;
  std::condition_variable changed;
  int ran = 0;
  bool release = false;
  HttpServerOptions options{.port = 0, .worker_threads = 1};
  HttpServer server(options, [&](const HttpRequest&) {
    std::unique_lock lock(mutex);
    ++ran;
    changed.notify_all();
    changed.wait(lock, [&] { return release; });
    return HttpResponse::Json(200, "{}");
  });
  server.Start();
  std::thread first([&] { Get(server.port(), "/a"); });
  {
    std::unique_lock lock(mutex);
    REQUIRE(changed.wait_for(lock, std::chrono::seconds(10), [&] { return ran == 1; }));
  }
  // A second request queues behind the first, then its client leaves.
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(server.port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  const std::string request = "GET /b HTTP/1.1\r\nHost: x\r\n\r\n";
  REQUIRE(::send(fd, request.data(), request.size(), MSG_NOSIGNAL) > 0);
  for (int i = 0; i < 500 && server.admitted(RouteClass::kCheap) < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(server.admitted(RouteClass::kCheap) == 2);
  ::close(fd);
  // Once the server saw the hang-up, the worker is freed.
  for (int i = 0; i < 500 && server.hang_ups() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  REQUIRE(server.hang_ups() == 1);
  {
    std::lock_guard lock(mutex);
    release = true;
  }
  changed.notify_all();
  first.join();
  for (int i = 0; i < 500 && server.admitted(RouteClass::kCheap) > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  CHECK(server.admitted(RouteClass::kCheap) == 0);
  std::lock_guard lock(mutex);
  CHECK(ran == 1);
}

TEST_CASE(
    "request ids: a sane X-Request-Id is echoed, another replaced; metrics by route pattern") {
  MetricsRegistry metrics;
  Router router;
  std::string seen_id;
  std::mutex mutex;
  router.Add("GET", "/api/items/{id}", [&](const HttpRequest& req, const PathParams&) {
    std::lock_guard lock(mutex);
    seen_id = req.Header("x-request-id").value_or("");
    return HttpResponse::Json(200, "{}");
  });
  HttpServer server({.port = 0, .metrics = &metrics, .access_log = false}, router.AsHandler());
  server.Start();
  auto get = [&](const std::string& target, const std::string& id) {
    return Exchange(server.port(), "GET " + target + " HTTP/1.1\r\nHost: x\r\nX-Request-Id: " + id +
                                       "\r\nConnection: close\r\n\r\n");
  };
  std::string r = get("/api/items/1", "abc-DEF_1.2:3");
  CHECK(r.find("X-Request-Id: abc-DEF_1.2:3\r\n") != std::string::npos);
  {
    std::lock_guard lock(mutex);
    CHECK(seen_id == "abc-DEF_1.2:3");  // the handler sees the id it is logged under
  }
  r = get("/api/items/2", "has space");
  const auto at = r.find("X-Request-Id: ");
  REQUIRE(at != std::string::npos);
  const std::string id = r.substr(at + 14, r.find("\r\n", at) - at - 14);
  CHECK(id.size() == 16);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(get("/nowhere", std::string(65, 'a')).find("X-Request-Id: " + std::string(65, 'a')) ==
        std::string::npos);

  const std::string text = metrics.Render();
  CHECK(
      text.find("ess_http_request_duration_seconds_count{route=\"/api/items/{id}\",method=\"GET\","
                "code=\"200\"} 2\n") != std::string::npos);
  CHECK(text.find("ess_http_request_duration_seconds_count{route=\"other\",method=\"GET\","
                  "code=\"404\"} 1\n") != std::string::npos);
  CHECK(text.find("/api/items/1") == std::string::npos);  // never the raw path
  CHECK(text.find("ess_http_admitted_requests{class=\"cheap\"} 0\n") != std::string::npos);

  CHECK(IsSaneRequestId("a"));
  CHECK(IsSaneRequestId(std::string(64, 'z')));
  CHECK_FALSE(IsSaneRequestId(""));
  CHECK_FALSE(IsSaneRequestId(std::string(65, 'z')));
  CHECK_FALSE(IsSaneRequestId("a\"b"));
  CHECK_FALSE(IsSaneRequestId("é"));
}

TEST_CASE("metrics-allow: addresses, networks, any; unreadable items refused") {
  const std::vector<std::string> allow = {"127.0.0.1", "::1", "10.0.0.0/8", "fd00::/8",
                                          "192.168.1.128/25"};
  CHECK(AddressAllowed("127.0.0.1", allow));
  CHECK(AddressAllowed("::1", allow));
  CHECK(AddressAllowed("10.20.30.40", allow));
  CHECK(AddressAllowed("::ffff:10.1.2.3", allow));  // v4-mapped
  CHECK(AddressAllowed("fd12:3456::1", allow));
  CHECK(AddressAllowed("192.168.1.200", allow));
  CHECK_FALSE(AddressAllowed("192.168.1.100", allow));
  CHECK_FALSE(AddressAllowed("127.0.0.2", allow));
  CHECK_FALSE(AddressAllowed("11.0.0.1", allow));
  CHECK_FALSE(AddressAllowed("fe80::1", allow));
  CHECK_FALSE(AddressAllowed("not an address", allow));
  CHECK(AddressAllowed("203.0.113.9", {"any"}));
  CHECK_FALSE(AddressAllowed("203.0.113.9", {}));
  CHECK(ParseAddressList(" 127.0.0.1 , ::1,10.0.0.0/8 ", "metrics-allow") ==
        std::vector<std::string>{"127.0.0.1", "::1", "10.0.0.0/8"});
  CHECK_THROWS_WITH(ParseAddressList("10.0.0.0/33", "metrics-allow"),
                    "--metrics-allow : adresse ou réseau illisible « 10.0.0.0/33 » (ex. 127.0.0.1, "
                    "10.0.0.0/8, ::1, any)");
  CHECK_THROWS(ParseAddressList("localhost", "metrics-allow"));
}
