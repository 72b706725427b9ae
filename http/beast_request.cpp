#include "http/beast_request.h"

#include <algorithm>

#include "core/text_fold.h"
#include "http/http_server.h"

namespace ess {

namespace http = beast::http;

bool IsTrustedProxy(std::string_view address, const std::vector<std::string>& trusted_proxies) {
  return std::find(trusted_proxies.begin(), trusted_proxies.end(), address) !=
         trusted_proxies.end();
}

HttpRequest ToHttpRequest(const http::request<http::string_body>& req, const std::string& peer,
                          const std::vector<std::string>& trusted_proxies) {
  HttpRequest out;
  out.method = std::string(req.method_string());
  out.target = std::string(req.target());
  std::string_view target = out.target;
  auto q = target.find('?');
  out.path = PercentDecode(target.substr(0, q), false).value_or(std::string(target.substr(0, q)));
  if (q != std::string_view::npos) out.query = ParseQuery(target.substr(q + 1));
  for (const auto& field : req) {
    const auto name = field.name_string();
    out.headers[AsciiLower({name.data(), name.size()})] = std::string(field.value());
  }
  out.body = req.body();
  out.client_address =
      ClientAddress(peer, out.Header("x-forwarded-for").value_or(""), trusted_proxies);
  return out;
}

std::string ClientAddress(std::string_view peer, std::string_view forwarded_for,
                          const std::vector<std::string>& trusted_proxies) {
  std::string client(peer);
  if (!IsTrustedProxy(client, trusted_proxies)) return client;
  while (!forwarded_for.empty()) {
    auto comma = forwarded_for.rfind(',');
    std::string_view hop =
        comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for =
        comma == std::string_view::npos ? std::string_view{} : forwarded_for.substr(0, comma);
    while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
    while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
    beast::error_code ec;
    auto address = asio::ip::make_address(std::string(hop), ec);
    if (ec) return client;  // unreadable: keep the last hop we could trust
    client = address.to_string();
    if (!IsTrustedProxy(client, trusted_proxies)) return client;
  }
  return client;
}

}  // namespace ess
