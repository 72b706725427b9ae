#pragma once
// The request a handler sees, made from what Beast parsed off a connection: the one place the
// server turns a client's bytes into an HttpRequest. Apart from the server's coroutines so
// that the HTTP request fuzz target (tests/fuzz/http_request_fuzz.cpp) runs this same code.

#include <string>
#include <string_view>
#include <vector>

#include "http/asio.h"
#include "http/http_types.h"

namespace ess {

// True iff `address` is one of `trusted_proxies` (http_server.h, HttpServerOptions).
bool IsTrustedProxy(std::string_view address, const std::vector<std::string>& trusted_proxies);

// Method and target as sent; the path percent-decoded (as sent when an escape is bad) without
// the query; the query decoded; header names lower-cased (of a repeated header, the last
// wins); the body; the client's address by ClientAddress (http_server.h) from `peer`.
HttpRequest ToHttpRequest(const beast::http::request<beast::http::string_body>& request,
                          const std::string& peer, const std::vector<std::string>& trusted_proxies);

}  // namespace ess
