#include "http/http_server_config.h"

#include <stdexcept>

#include "http/asio.h"

namespace ess {

namespace po = boost::program_options;

void HttpServerConfig::Declare(po::options_description& options, HttpServerOptions& server) {
  // clang-format off
  options.add_options()
      ("http-body-limit", po::value(&server.body_limit)->default_value(server.body_limit),
       "taille maximale d'une requête en octets (les imports CSV sont les plus grandes)")
      ("http-max-connections", po::value(&server.max_connections)->default_value(server.max_connections),
       "connexions HTTP ouvertes à la fois, au plus (au-delà : 503)")
      ("http-max-connections-per-client",
       po::value(&server.max_connections_per_client)->default_value(server.max_connections_per_client),
       "connexions HTTP ouvertes à la fois depuis une même adresse (0 = sans limite)")
      ("http-body-buffer-limit", po::value(&server.body_buffer_limit)->default_value(server.body_buffer_limit),
       "octets que les corps de requête volumineux en cours de réception peuvent occuper ensemble")
      ("http-trusted-proxies", po::value(&trusted_proxies_)->default_value(""),
       "adresses des mandataires inverses (séparées par des virgules) dont l'en-tête X-Forwarded-For "
       "donne l'adresse du client");
  // clang-format on
}

void HttpServerConfig::Finish(HttpServerOptions& server) const {
  if (server.max_connections == 0)
    throw std::runtime_error("--http-max-connections doit être au moins 1");
  if (server.body_buffer_limit < server.body_limit) {
    throw std::runtime_error(
        "--http-body-buffer-limit doit être au moins la taille maximale d'une requête");
  }
  server.trusted_proxies.clear();
  std::string_view rest = trusted_proxies_;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    std::string item(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (item.empty()) continue;
    beast::error_code ec;
    auto address = asio::ip::make_address(item, ec);
    if (ec)
      throw std::runtime_error("--http-trusted-proxies : adresse IP illisible « " + item + " »");
    server.trusted_proxies.push_back(address.to_string());
  }
}

}  // namespace ess
