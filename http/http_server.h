#pragma once
// An HTTP/1.1 server (Boost.Beast, C++20 coroutines) that hands each request to an
// HttpHandler on a worker pool, so blocking work (PostgreSQL) never runs on an I/O thread.
//
// Limits, so that whoever reaches the port cannot make it hold unbounded memory or sockets:
//   - request bodies over `body_limit` get 413, headers over 16 KiB get 431, unreadable
//     requests 400; a request (headers and body) must arrive within `idle_timeout`;
//   - at most `max_connections` connections at once, and `max_connections_per_client` from
//     one address: one more is answered 503 `server_busy` and closed;
//   - bodies over kSmallBodyBytes reserve their declared length from `body_buffer_limit`
//     (shared by every connection) before they are read: when it is spent, 503
//     `server_busy` with Retry-After, so unfinished large bodies cannot fill the memory.
// Every response carries X-Content-Type-Options: nosniff, and Referrer-Policy,
// X-Frame-Options: DENY and a Content-Security-Policy (`default-src 'none'; frame-ancestors
// 'none'`) unless the handler set its own (web_site.h sets the pages'), parser errors
// included; a handler's policy with a frame-ancestors directive decides framing alone: no
// X-Frame-Options is added to it (the embed page, web_site.h). A handler that throws
// gets a 500 JSON error and the exception is logged, never sent to the client.
//
// Overload (docs/decisions/0014-overload.md): `route_class` says each request's class
// (http/route_class.h) before it is queued; each class has its own workers and a bounded
// queue: a request finding the queue full, or still waiting after `queue_wait`, is answered
// 503 `busy` with Retry-After at once, so that health checks and small lookups never wait
// behind national queries. A handler runs under its class's PostgreSQL limits (PgWorkScope,
// core/pg_pool.h: statement timeout, bounded wait for a connection); a handler that throws
// what IsPgOverload() recognises (no connection in time, a statement timed out or cancelled)
// is answered 503 `busy` too. When the client closes its connection while its request waits
// or runs, the request's queries are cancelled (PQcancel) and a waiting request never runs.
// Stop() stops accepting, cancels every running query, answers waiting requests 503 without
// running them, and joins.
//
// Observability (docs/operations.md, "Metrics, readiness and logs"): every request gets a
// request id, the client's X-Request-Id when it is sane (IsSaneRequestId) or a new one; the
// handler sees it as the request's x-request-id header, it is echoed in the response's
// X-Request-Id, named in the request's access log line (method, route pattern, status,
// duration: never the path or the query, which may carry identifiers) and in whatever is
// logged while the handler runs (core/log_format.h). With `metrics`, the server counts each
// request in ess_http_request_duration_seconds{route, method, code} (the route pattern of
// HttpResponse::route, "other" when none answered: pages, files, 404, busy) and keeps
// ess_http_open_connections and ess_http_admitted_requests{class}.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/http_types.h"
#include "http/route_class.h"

namespace ess {

class MetricsRegistry;

// What one route class may hold. 0 for a duration: no bound (the pool's own wait for
// pool_wait).
struct RouteClassLimits {
  std::size_t queue = 1024;  // requests waiting for a worker, beyond the running ones
  std::chrono::milliseconds queue_wait{0};
  std::chrono::milliseconds statement_timeout{0};
  std::chrono::milliseconds pool_wait{0};
};

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = any free port; see HttpServer::port()
  std::size_t body_limit = 1024 * 1024;
  std::size_t io_threads = 1;
  std::size_t worker_threads = 4;  // the cheap class's workers
  std::size_t expensive_workers = 2;
  RouteClassLimits cheap{};
  RouteClassLimits expensive{.queue = 16, .queue_wait = std::chrono::milliseconds(2000)};
  // Null, or route_classes false: every request is kCheap (false: one class for all, as before
  // issue 12, for the comparison in bench/overload.sh).
  std::function<RouteClass(const HttpRequest&)> route_class{};
  bool route_classes = true;
  // For overload tests and benches only: every expensive request first sleeps this long in
  // PostgreSQL (PgWorkLimits::test_sleep).
  std::chrono::milliseconds test_expensive_sleep{0};
  // Stop() waits this long for running handlers once their queries are cancelled, then
  // joins anyway (logging how many are still running).
  std::chrono::milliseconds stop_wait{3000};
  std::chrono::seconds idle_timeout{30};
  std::string server_name = "ess-federation";
  std::size_t max_connections = 512;
  // 0: no cap per address (behind a reverse proxy every client has the proxy's address).
  std::size_t max_connections_per_client = 64;
  std::size_t body_buffer_limit = 32 * 1024 * 1024;
  // Reverse proxies whose X-Forwarded-For names the client (see ClientAddress); they are
  // exempt from the per-address connection cap, the clients behind them are not limited by it.
  std::vector<std::string> trusted_proxies{};
  // Null: no metrics. Must outlive the server.
  MetricsRegistry* metrics = nullptr;
  // One info line per request (method, route, status, duration, request id).
  bool access_log = true;
  // Who may read /metrics (http/ops_routes.h): addresses and networks ("10.0.0.0/8"), or
  // "any". The server itself does not read it; it travels with the HTTP options.
  std::vector<std::string> metrics_allow{"127.0.0.1", "::1"};
};

// A client's X-Request-Id is kept when it has 1 to 64 characters, each a letter, a digit or
// one of "-_.:"; any other is replaced by a new one (16 hexadecimal digits).
bool IsSaneRequestId(std::string_view id);

// The address a request comes from, which rate limits count: the peer's, unless the peer is
// a trusted proxy; then the right-most address of X-Forwarded-For that is not a trusted proxy
// (what the nearest untrusted hop said), or the peer's when the header is absent or unreadable.
std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies);

// Bodies up to this size are read without a reservation: max_connections of them is bounded.
inline constexpr std::size_t kSmallBodyBytes = 64 * 1024;

class HttpServer {
 public:
  // Binds and listens immediately (throws std::system_error if it cannot), serves once
  // Start() is called.
  HttpServer(HttpServerOptions options, HttpHandler handler);
  ~HttpServer();  // Stop()s

  void Start();
  // Stops accepting, closes connections, joins threads. Idempotent.
  void Stop();
  std::uint16_t port() const;
  // Open connections and bytes reserved for bodies being read, now (for tests and metrics).
  std::size_t open_connections() const;
  std::size_t reserved_body_bytes() const;
  // Requests of `route_class` admitted (waiting or running), now.
  std::size_t admitted(RouteClass route_class) const;
  // Requests cancelled because their client closed the connection, since the start.
  std::size_t hang_ups() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ess
