#pragma once
// The HTTP server's limits as configuration options, declared once for the node and the hub
// (deploy/*.example.conf, docs/operations.md):
//   http-body-limit                   largest request, in bytes
//   http-max-connections              connections open at once (default 512)
//   http-max-connections-per-client   from one address (default 64; 0 = no cap)
//   http-body-buffer-limit            bytes that unfinished large bodies may hold (32 MiB)
//   http-trusted-proxies              comma-separated addresses of reverse proxies whose
//                                     X-Forwarded-For names the client (default none)
//   http-access-log                   one info line per request (default true)
//   metrics-allow                     who may read /metrics (http/ops_routes.h): addresses,
//                                     networks or "any" (default 127.0.0.1, ::1)
// Route classes (http/route_class.h, docs/decisions/0014-overload.md):
//   http-workers                      the cheap class's workers (default 4)
//   http-queue                        cheap requests waiting for a worker (default 1024)
//   http-statement-timeout-ms         PostgreSQL statement_timeout of cheap requests (0: none)
//   http-expensive-workers            the expensive class's workers (default 2)
//   http-expensive-queue              expensive requests waiting (default 16; beyond: 503)
//   http-expensive-queue-wait-ms      an expensive request waiting longer gets 503 (2000)
//   http-expensive-statement-timeout-ms   statement_timeout of expensive requests (0: none)
//   http-pool-wait-ms                 how long a request waits for a PostgreSQL connection
//                                     before 503 (0: the pool's own bound)
//   http-stop-wait-ms                 how long SIGTERM waits for running requests (3000)
//   http-route-classes                false: one class for all (as before issue 12; benches)
//   http-test-expensive-sleep-ms      tests and benches only: each expensive request first
//                                     sleeps this long in PostgreSQL (pg_sleep)
// A service sets its own defaults in HttpServerOptions before Declare() (the hub bounds its
// statements; the node keeps none).

#include <cstdint>
#include <string>

#include <boost/program_options.hpp>

#include "http/http_server.h"

namespace ess {

class HttpServerConfig {
 public:
  // Declares the options in `options`, their values going to `server` (and the proxies'
  // text kept here until Finish()).
  void Declare(boost::program_options::options_description& options, HttpServerOptions& server);
  // After the options are read: checks them and fills server.trusted_proxies. Throws
  // std::runtime_error with a French message naming the option.
  void Finish(HttpServerOptions& server) const;

 private:
  std::string trusted_proxies_;
  std::string metrics_allow_;
  std::int64_t cheap_statement_timeout_ms_ = 0;
  std::int64_t expensive_queue_wait_ms_ = 0;
  std::int64_t expensive_statement_timeout_ms_ = 0;
  std::int64_t pool_wait_ms_ = 0;
  std::int64_t stop_wait_ms_ = 0;
  std::int64_t test_expensive_sleep_ms_ = 0;
};

}  // namespace ess
