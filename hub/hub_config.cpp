#include "hub/hub_config.h"

#include <iostream>

#include <boost/program_options.hpp>

#include "core/checkpoint.h"

namespace ess::hub {

namespace po = boost::program_options;

HubConfigOutcome ParseHubConfig(int argc, const char* const argv[]) {
  HubConfig c;
  std::string http, grpc;
  po::options_description cli("Options de la ligne de commande");
  cli.add_options()
      ("help,h", "affiche cette aide")
      ("config,c", po::value<std::string>(), "fichier de configuration (syntaxe INI)");
  po::options_description opts("Configuration (ligne de commande ou fichier)");
  opts.add_options()
      ("federation", po::value(&c.federation)->default_value(std::string(kDefaultFederation)),
       "nom de la fédération (origine des journaux régionaux)")
      ("name", po::value(&c.name)->default_value(std::string(kDefaultFederation) + "/hub"),
       "nom de la clé de contresignature du hub")
      ("http", po::value(&http)->default_value("127.0.0.1:8090"), "adresse HTTP hôte:port (port 0 = libre)")
      ("grpc", po::value(&grpc)->default_value("127.0.0.1:50051"), "adresse gRPC hôte:port (port 0 = libre)")
      ("database", po::value(&c.database)->required(), "connexion PostgreSQL (URI libpq)")
      ("database-pool", po::value(&c.database_pool_size)->default_value(8), "connexions PostgreSQL")
      ("key-file", po::value(&c.key_file)->required(), "clé de contresignature du hub")
      ("referential", po::value(&c.referential)->default_value(ESS_DEFAULT_REFERENTIAL),
       "référentiel commun (JSON construit par deploy/build.sh, voir docs/referential.md)")
      ("tls-cert", po::value(&c.tls_cert)->default_value(""), "certificat TLS du point gRPC (PEM) ; vide = sans TLS")
      ("tls-key", po::value(&c.tls_key)->default_value(""), "clé privée TLS (PEM)")
      ("tls-client-ca", po::value(&c.tls_client_ca)->default_value(""), "AC des certificats clients (PEM) : TLS mutuel, un certificat par région")
      ("sync-workers", po::value(&c.sync_workers)->default_value(4), "fils qui enregistrent les lots reçus")
      ("ready-file", po::value(&c.ready_file)->default_value(""), "fichier JSON écrit avec les ports une fois prêt")
      ("log-level", po::value(&c.log_level)->default_value("info"), "trace, debug, info, warn, error")
      ("web-root", po::value(&c.web.root)->default_value(ESS_DEFAULT_WEB_ROOT),
       "dossier web/ (pages, modules, node_modules) du site national ; vide = API seule")
      ("tile-url", po::value(&c.web.tile_url)->default_value(""),
       "serveur de tuiles de la carte, ex. https://tile.openstreetmap.org/{z}/{x}/{y}.png ; vide = fond simple")
      ("tile-attribution", po::value(&c.web.tile_attribution)->default_value(""), "mention des tuiles sur la carte");
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
    c.web.site = "hub";
    c.grpc = *grpc_addr;
    if (c.database_pool_size == 0) throw std::runtime_error("--database-pool doit valoir au moins 1");
    if (c.tls_cert.empty() != c.tls_key.empty()) {
      throw std::runtime_error("--tls-cert et --tls-key vont ensemble");
    }
    if (!c.tls_client_ca.empty() && c.tls_cert.empty()) {
      throw std::runtime_error("--tls-client-ca demande --tls-cert et --tls-key");
    }
    if (c.sync_workers == 0) throw std::runtime_error("--sync-workers doit valoir au moins 1");
  } catch (const std::exception& e) {
    std::cerr << "ess-hub : " << e.what() << "\n(voir ess-hub --help)\n";
    return {std::nullopt, 2};
  }
  return {c, 0};
}

}  // namespace ess::hub
