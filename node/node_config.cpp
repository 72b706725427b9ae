#include "node/node_config.h"

#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>

#include "core/checkpoint.h"
#include "core/regions.h"

namespace ess::node {

namespace po = boost::program_options;

NodeConfigOutcome ParseNodeConfig(int argc, const char* const argv[]) {
  NodeConfig c;
  std::string http, config_file;
  po::options_description cli("Options de la ligne de commande");
  cli.add_options()
      ("help,h", "affiche cette aide")
      ("config,c", po::value(&config_file), "fichier de configuration (syntaxe INI)");
  po::options_description opts("Configuration (ligne de commande ou fichier)");
  opts.add_options()
      ("region", po::value(&c.region)->required(), "code INSEE de la région, ex. 93")
      ("federation", po::value(&c.federation)->default_value(std::string(kDefaultFederation)),
       "nom de la fédération (origine des points de contrôle)")
      ("http", po::value(&http)->default_value("127.0.0.1:8080"), "adresse HTTP hôte:port (port 0 = libre)")
      ("database", po::value(&c.database)->required(), "connexion PostgreSQL (URI libpq)")
      ("database-pool", po::value(&c.database_pool_size)->default_value(8), "connexions PostgreSQL")
      ("key-file", po::value(&c.key_file)->required(), "clé de signature de la région")
      ("hub", po::value(&c.hub_address)->default_value(""), "adresse gRPC du hub hôte:port (vide = pas de synchronisation)")
      ("ready-file", po::value(&c.ready_file)->default_value(""), "fichier JSON écrit avec les ports une fois prêt")
      ("log-level", po::value(&c.log_level)->default_value("info"), "trace, debug, info, warn, error");
  po::options_description all;
  all.add(cli).add(opts);
  try {
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, all), vm);
    if (vm.count("help")) {
      std::cout << "node : le nœud régional de la carte fédérée de l'ESS.\n\n"
                   "Usage : ess-node --config node.conf [options]\n\n"
                << all << "\n";
      return {std::nullopt, 0};
    }
    if (vm.count("config")) {
      std::ifstream file(config_file);
      if (!file) throw std::runtime_error("fichier de configuration illisible : " + config_file);
      po::store(po::parse_config_file(file, opts), vm);
    }
    po::notify(vm);
    std::string error;
    auto addr = ParseListenAddress(http, &error);
    if (!addr) throw std::runtime_error("--http : " + error);
    c.http = *addr;
    if (!FindRegion(c.region)) {
      throw std::runtime_error("--region : « " + c.region + " » n'est pas un code INSEE de région");
    }
    if (c.database_pool_size == 0) throw std::runtime_error("--database-pool doit valoir au moins 1");
  } catch (const std::exception& e) {
    std::cerr << "ess-node : " << e.what() << "\n(voir ess-node --help)\n";
    return {std::nullopt, 2};
  }
  return {c, 0};
}

}  // namespace ess::node
