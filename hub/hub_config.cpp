#include "hub/hub_config.h"

#include <iostream>

#include <boost/program_options.hpp>

#include "core/checkpoint.h"
#include "core/log_format.h"
#include "http/http_server_config.h"
#include "hub/store/region_registry.h"

namespace ess::hub {

namespace po = boost::program_options;

HubConfigOutcome ParseHubConfig(int argc, const char* const argv[]) {
  HubConfig c;
  std::string http, grpc, embed_frame_ancestors, public_url;
  std::int64_t handshake_ms = 0, idle_ms = 0, duration_ms = 0;
  unsigned long long password_ops = c.pilot.cost.ops_limit;
  std::size_t password_mem_kib = c.pilot.cost.mem_limit / 1024;
  po::options_description cli("Options de la ligne de commande");
  cli.add_options()
      ("help,h", "affiche cette aide")
      ("config,c", po::value<std::string>(), "fichier de configuration (syntaxe INI)");
  po::options_description opts("Configuration (ligne de commande ou fichier)");
  opts.add_options()("federation",
                     po::value(&c.federation)->default_value(std::string(kDefaultFederation)),
                     "nom de la fédération (origine des journaux régionaux)")(
      "name", po::value(&c.name)->default_value(std::string(kDefaultFederation) + "/hub"),
      "nom de la clé de contresignature du hub")("http",
                                                 po::value(&http)->default_value("127.0.0.1:8090"),
                                                 "adresse HTTP hôte:port (port 0 = libre)")(
      "grpc", po::value(&grpc)->default_value("127.0.0.1:50051"),
      "adresse gRPC hôte:port (port 0 = libre)")("database", po::value(&c.database)->required(),
                                                 "connexion PostgreSQL (URI libpq)")(
      "database-pool", po::value(&c.database_pool_size)->default_value(8), "connexions PostgreSQL")(
      "database-read", po::value(&c.database_read)->default_value(""),
      "réplique en lecture seule de --database (URI libpq) pour les lectures nationales de l'API "
      "HTTP ; vide = --database")("key-file", po::value(&c.key_file)->required(),
                                  "clé de contresignature du hub")(
      "referential", po::value(&c.referential)->default_value(ESS_DEFAULT_REFERENTIAL),
      "référentiel commun (JSON construit par deploy/build.sh, voir docs/referential.md)")(
      "tls-cert", po::value(&c.tls_cert)->default_value(""),
      "certificat TLS du point gRPC (PEM) ; vide = sans TLS")(
      "tls-key", po::value(&c.tls_key)->default_value(""), "clé privée TLS (PEM)")(
      "tls-client-ca", po::value(&c.tls_client_ca)->default_value(""),
      "AC des certificats clients (PEM) : TLS mutuel, un certificat par région")(
      "replication-workers", po::value(&c.replication_workers)->default_value(4),
      "fils qui enregistrent les lots reçus")(
      "max-message-bytes",
      po::value(&c.replica_limits.max_message_bytes)
          ->default_value(c.replica_limits.max_message_bytes),
      "taille maximale d'un message de réplication (octets), appliquée par gRPC")(
      "max-batch-entries",
      po::value(&c.replica_limits.max_batch_entries)
          ->default_value(c.replica_limits.max_batch_entries),
      "entrées par lot au plus (1 à 1024)")(
      "max-batches-in-flight",
      po::value(&c.replica_limits.max_batches_in_flight)
          ->default_value(c.replica_limits.max_batches_in_flight),
      "lots envoyés sans accusé de réception au plus, par flux")(
      "max-rejections-kept",
      po::value(&c.replica_limits.max_rejections_kept)
          ->default_value(c.replica_limits.max_rejections_kept),
      "lots refusés gardés par région (les plus anciens effacés ; les preuves de fork toujours "
      "gardées)")(
      "max-streams",
      po::value(&c.stream_limits.max_streams)->default_value(c.stream_limits.max_streams),
      "flux authentifiés simultanés, toutes régions")(
      "max-streams-per-region",
      po::value(&c.stream_limits.max_streams_per_region)
          ->default_value(c.stream_limits.max_streams_per_region),
      "flux authentifiés simultanés d'une région")(
      "max-handshakes",
      po::value(&c.stream_limits.max_handshakes)->default_value(c.stream_limits.max_handshakes),
      "flux simultanés pas encore authentifiés")(
      "max-handshakes-per-connection",
      po::value(&c.stream_limits.max_handshakes_per_connection)
          ->default_value(c.stream_limits.max_handshakes_per_connection),
      "flux pas encore authentifiés d'une même connexion")(
      "handshake-timeout-ms",
      po::value(&handshake_ms)->default_value(c.stream_limits.handshake_timeout.count()),
      "délai pour s'authentifier (ms)")(
      "idle-timeout-ms", po::value(&idle_ms)->default_value(c.stream_limits.idle_timeout.count()),
      "un flux sans message ni travail en cours est fermé après ce délai (ms)")(
      "max-stream-duration-ms",
      po::value(&duration_ms)->default_value(c.stream_limits.max_stream_duration.count()),
      "durée maximale d'un flux (ms)")(
      "max-streams-per-connection",
      po::value(&c.max_streams_per_connection)->default_value(c.max_streams_per_connection),
      "flux simultanés d'une même connexion HTTP/2")(
      "grpc-memory-mb", po::value(&c.grpc_memory_mb)->default_value(c.grpc_memory_mb),
      "mémoire que gRPC peut utiliser pour tous les flux (Mio)")(
      "ready-file", po::value(&c.ready_file)->default_value(""),
      "fichier JSON écrit avec les ports une fois prêt")(
      "log-level", po::value(&c.log_level)->default_value("info"),
      "trace, debug, info, warn, error")(
      "log-format", po::value(&c.log_format)->default_value("text"),
      "text (pour un terminal) ou json (un objet JSON par ligne, pour un collecteur de journaux)")(
      "web-root", po::value(&c.web.root)->default_value(ESS_DEFAULT_WEB_ROOT),
      "dossier web/ (pages, modules, node_modules) du site national ; vide = API seule")(
      "tile-url", po::value(&c.web.tile_url)->default_value(""),
      "serveur de tuiles de la carte, ex. https://tile.openstreetmap.org/{z}/{x}/{y}.png ; vide = "
      "fond simple")("tile-attribution", po::value(&c.web.tile_attribution)->default_value(""),
                     "mention des tuiles sur la carte")(
      "public-url", po::value(&public_url)->default_value(""),
      "adresse publique du site national (https://…), base des liens des flux ; vide = liens "
      "relatifs au hub")(
      "embed-frame-ancestors", po::value(&embed_frame_ancestors)->default_value("*"),
      "sites qui peuvent intégrer la carte (/embed) dans un cadre : sources CSP séparées par des "
      "espaces, ex. https://exemple.org https://*.exemple.org ; * = tous ; 'none' = aucun")(
      "security.cookie-secure", po::value(&c.cookie_secure)->default_value(false),
      "cookie de session du pilotage réservé à HTTPS (à activer derrière HTTPS)")(
      "security.password-ops", po::value(&password_ops)->default_value(password_ops),
      "passes Argon2id des mots de passe du pilotage")(
      "security.password-mem-kib", po::value(&password_mem_kib)->default_value(password_mem_kib),
      "mémoire Argon2id par calcul (Kio)")(
      "security.session-hours",
      po::value(&c.pilot.session_hours)->default_value(c.pilot.session_hours),
      "durée d'une session du pilotage (heures, 1 à 168)");
  HttpServerConfig http_config;
  http_config.Declare(opts, c.http_server);  // with the hub's defaults (hub_config.h)
  try {
    po::variables_map vm;
    if (!ReadOptions(argc, argv, cli, opts,
                     "ess-hub : le hub national de la carte fédérée de l'ESS.\n\n"
                     "Usage : ess-hub --config hub.conf [options]\n",
                     vm)) {
      return {std::nullopt, 0};
    }
    std::string error;
    auto http_addr = ParseListenAddress(http, &error);
    if (!http_addr) throw std::runtime_error("--http : " + error);
    auto grpc_addr = ParseListenAddress(grpc, &error);
    if (!grpc_addr) throw std::runtime_error("--grpc : " + error);
    c.http = *http_addr;
    http_config.Finish(c.http_server);
    ParseLogFormat(c.log_format);  // throws for anything but text or json
    c.web.site = "hub";
    if (!public_url.empty()) {
      auto url = SiteUrlOf(public_url);
      if (!url) {
        throw std::runtime_error(
            "--public-url : une adresse http ou https absolue est attendue, sans requête, "
            "fragment ni espace (ex. https://carte.ess-france.example)");
      }
      c.public_url = *url;
    }
    auto ancestors = ParseFrameAncestors(embed_frame_ancestors, &error);
    if (!ancestors) throw std::runtime_error("--embed-frame-ancestors : " + error);
    c.web.embed_frame_ancestors = std::move(*ancestors);
    c.grpc = *grpc_addr;
    if (c.database_pool_size == 0) throw std::runtime_error("--database-pool doit valoir au moins 1");
    if (c.tls_cert.empty() != c.tls_key.empty()) {
      throw std::runtime_error("--tls-cert et --tls-key vont ensemble");
    }
    if (!c.tls_client_ca.empty() && c.tls_cert.empty()) {
      throw std::runtime_error("--tls-client-ca demande --tls-cert et --tls-key");
    }
    if (c.replication_workers == 0)
      throw std::runtime_error("--replication-workers doit valoir au moins 1");
    auto at_least = [](auto value, std::int64_t min, const char* name) {
      if (static_cast<std::int64_t>(value) < min) {
        throw std::runtime_error(std::string("--") + name + " doit valoir au moins " +
                                 std::to_string(min));
      }
    };
    at_least(c.replica_limits.max_message_bytes, 64 * 1024, "max-message-bytes");
    if (c.replica_limits.max_message_bytes > 1024u * 1024 * 1024) {
      throw std::runtime_error("--max-message-bytes doit valoir au plus 1 Gio");
    }
    at_least(c.replica_limits.max_batch_entries, 1, "max-batch-entries");
    if (c.replica_limits.max_batch_entries > kMaxBatchEntries) {
      throw std::runtime_error("--max-batch-entries doit valoir au plus " +
                               std::to_string(kMaxBatchEntries));
    }
    at_least(c.replica_limits.max_batches_in_flight, 1, "max-batches-in-flight");
    at_least(c.replica_limits.max_rejections_kept, 1, "max-rejections-kept");
    at_least(c.stream_limits.max_streams, 1, "max-streams");
    at_least(c.stream_limits.max_streams_per_region, 1, "max-streams-per-region");
    at_least(c.stream_limits.max_handshakes, 1, "max-handshakes");
    at_least(c.stream_limits.max_handshakes_per_connection, 1, "max-handshakes-per-connection");
    at_least(handshake_ms, 100, "handshake-timeout-ms");
    at_least(idle_ms, 100, "idle-timeout-ms");
    at_least(duration_ms, 1000, "max-stream-duration-ms");
    at_least(c.grpc_memory_mb, 16, "grpc-memory-mb");
    at_least(c.max_streams_per_connection, 2, "max-streams-per-connection");
    c.pilot.cost = {password_ops, password_mem_kib * 1024};
    PasswordHasher check(c.pilot.cost);  // throws std::invalid_argument when out of bounds
    if (c.pilot.session_hours < 1 || c.pilot.session_hours > 168) {
      throw std::runtime_error("--security.session-hours : de 1 à 168");
    }
    c.stream_limits.handshake_timeout = std::chrono::milliseconds(handshake_ms);
    c.stream_limits.idle_timeout = std::chrono::milliseconds(idle_ms);
    c.stream_limits.max_stream_duration = std::chrono::milliseconds(duration_ms);
  } catch (const std::exception& e) {
    std::cerr << "ess-hub : " << e.what() << "\n(voir ess-hub --help)\n";
    return {std::nullopt, 2};
  }
  return {c, 0};
}

}  // namespace ess::hub
