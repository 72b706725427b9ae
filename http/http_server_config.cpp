#include "http/http_server_config.h"

#include <stdexcept>

#include "http/asio.h"
#include "http/ops_routes.h"

namespace ess {

namespace po = boost::program_options;

void HttpServerConfig::Declare(po::options_description& options, HttpServerOptions& server) {
  cheap_statement_timeout_ms_ = server.cheap.statement_timeout.count();
  expensive_queue_wait_ms_ = server.expensive.queue_wait.count();
  expensive_statement_timeout_ms_ = server.expensive.statement_timeout.count();
  pool_wait_ms_ = server.expensive.pool_wait.count();
  stop_wait_ms_ = server.stop_wait.count();
  test_expensive_sleep_ms_ = server.test_expensive_sleep.count();
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
       "donne l'adresse du client")
      ("http-access-log", po::value(&server.access_log)->default_value(server.access_log),
       "une ligne de journal par requête (méthode, motif de route, statut, durée, identifiant)")
      ("metrics-allow", po::value(&metrics_allow_)->default_value("127.0.0.1, ::1"),
       "adresses ou réseaux (séparés par des virgules, ex. 10.0.0.0/8) qui peuvent lire /metrics ; "
       "any = toutes")
      ("http-workers", po::value(&server.worker_threads)->default_value(server.worker_threads),
       "fils qui traitent les requêtes légères (santé, pages, petites recherches)")
      ("http-queue", po::value(&server.cheap.queue)->default_value(server.cheap.queue),
       "requêtes légères en attente d'un fil, au plus (au-delà : 503 busy)")
      ("http-statement-timeout-ms", po::value(&cheap_statement_timeout_ms_)->default_value(cheap_statement_timeout_ms_),
       "durée maximale d'une instruction SQL d'une requête légère (ms ; 0 = sans limite)")
      ("http-expensive-workers", po::value(&server.expensive_workers)->default_value(server.expensive_workers),
       "fils qui traitent les requêtes coûteuses (recherche nationale, carte, indicateurs, exports)")
      ("http-expensive-queue", po::value(&server.expensive.queue)->default_value(server.expensive.queue),
       "requêtes coûteuses en attente d'un fil, au plus (au-delà : 503 busy)")
      ("http-expensive-queue-wait-ms", po::value(&expensive_queue_wait_ms_)->default_value(expensive_queue_wait_ms_),
       "une requête coûteuse qui attend un fil plus longtemps reçoit 503 busy (ms ; 0 = sans limite)")
      ("http-expensive-statement-timeout-ms",
       po::value(&expensive_statement_timeout_ms_)->default_value(expensive_statement_timeout_ms_),
       "durée maximale d'une instruction SQL d'une requête coûteuse (ms ; 0 = sans limite)")
      ("http-pool-wait-ms", po::value(&pool_wait_ms_)->default_value(pool_wait_ms_),
       "attente maximale d'une connexion PostgreSQL par une requête HTTP avant 503 busy "
       "(ms ; 0 = celle du pool)")
      ("http-stop-wait-ms", po::value(&stop_wait_ms_)->default_value(stop_wait_ms_),
       "à l'arrêt, attente maximale des requêtes en cours, une fois leurs requêtes SQL annulées (ms)")
      ("http-route-classes", po::value(&server.route_classes)->default_value(server.route_classes),
       "false : une seule classe pour toutes les requêtes, comme avant (pour les mesures comparées)")
      ("http-test-expensive-sleep-ms",
       po::value(&test_expensive_sleep_ms_)->default_value(test_expensive_sleep_ms_),
       "pour les tests et mesures de surcharge seulement : chaque requête coûteuse dort d'abord "
       "autant dans PostgreSQL (ms)");
  // clang-format on
}

void HttpServerConfig::Finish(HttpServerOptions& server) const {
  if (server.max_connections == 0)
    throw std::runtime_error("--http-max-connections doit être au moins 1");
  if (server.body_buffer_limit < server.body_limit) {
    throw std::runtime_error(
        "--http-body-buffer-limit doit être au moins la taille maximale d'une requête");
  }
  if (server.worker_threads == 0) throw std::runtime_error("--http-workers doit être au moins 1");
  if (server.expensive_workers == 0)
    throw std::runtime_error("--http-expensive-workers doit être au moins 1");
  auto not_negative = [](std::int64_t value, const char* name) {
    if (value < 0) throw std::runtime_error(std::string("--") + name + " ne peut être négatif");
    return std::chrono::milliseconds(value);
  };
  server.cheap.statement_timeout =
      not_negative(cheap_statement_timeout_ms_, "http-statement-timeout-ms");
  server.expensive.queue_wait =
      not_negative(expensive_queue_wait_ms_, "http-expensive-queue-wait-ms");
  server.expensive.statement_timeout =
      not_negative(expensive_statement_timeout_ms_, "http-expensive-statement-timeout-ms");
  server.cheap.pool_wait = server.expensive.pool_wait =
      not_negative(pool_wait_ms_, "http-pool-wait-ms");
  server.stop_wait = not_negative(stop_wait_ms_, "http-stop-wait-ms");
  server.test_expensive_sleep =
      not_negative(test_expensive_sleep_ms_, "http-test-expensive-sleep-ms");
  server.metrics_allow = ParseAddressList(metrics_allow_, "metrics-allow");
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
