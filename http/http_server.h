#pragma once
// An HTTP/1.1 server (Boost.Beast, C++20 coroutines) that hands each request to an
// HttpHandler on a worker pool, so blocking work (PostgreSQL) never runs on an I/O thread.
//
// Limits: request bodies over `body_limit` get 413 with a JSON error, headers over 16 KiB
// get 431, idle connections close after `idle_timeout`. A handler that throws gets a 500
// JSON error and the exception is logged, never sent to the client.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
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
};

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

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ess
