#pragma once
// The HTTP server's limits as configuration options, declared once for the node and the hub
// (deploy/*.example.conf, docs/operations.md):
//   http-body-limit                   largest request, in bytes
//   http-max-connections              connections open at once (default 512)
//   http-max-connections-per-client   from one address (default 64; 0 = no cap)
//   http-body-buffer-limit            bytes that unfinished large bodies may hold (32 MiB)
//   http-trusted-proxies              comma-separated addresses of reverse proxies whose
//                                     X-Forwarded-For names the client (default none)

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
};

}  // namespace ess
