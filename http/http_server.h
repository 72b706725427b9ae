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
// X-Frame-Options and a Content-Security-Policy (`default-src 'none'`) unless the handler
// set its own (web_site.h sets the pages'), parser errors included. A handler that throws
// gets a 500 JSON error and the exception is logged, never sent to the client.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "http/http_types.h"

namespace ess {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;  // 0 = any free port; see HttpServer::port()
  std::size_t body_limit = 1024 * 1024;
  std::size_t io_threads = 1;
  std::size_t worker_threads = 4;
  std::chrono::seconds idle_timeout{30};
  std::string server_name = "ess-federation";
  std::size_t max_connections = 512;
  // 0: no cap per address (behind a reverse proxy every client has the proxy's address).
  std::size_t max_connections_per_client = 64;
  std::size_t body_buffer_limit = 32 * 1024 * 1024;
  // Reverse proxies whose X-Forwarded-For names the client (see ClientAddress); they are
  // exempt from the per-address connection cap, the clients behind them are not limited by it.
  std::vector<std::string> trusted_proxies{};
};

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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ess
