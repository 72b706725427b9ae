#pragma once
// The hub's configuration: command line over config file (INI syntax, see
// deploy/hub.example.conf), validated before anything starts.

#include <optional>
#include <string>

#include "core/service_config.h"

namespace ess::hub {

struct HubConfig {
  std::string federation;     // names region logs "<federation>/region/<code>"
  std::string name;           // the hub's cosigner key name
  ListenAddress http;         // national API and site
  ListenAddress grpc;         // replication endpoint for region nodes
  std::string database;
  std::size_t database_pool_size = 8;
  std::string key_file;       // the hub's cosigning key
  std::string ready_file;
  std::string log_level = "info";
};

struct HubConfigOutcome {
  std::optional<HubConfig> config;
  int exit_code = 0;
};

HubConfigOutcome ParseHubConfig(int argc, const char* const argv[]);

}  // namespace ess::hub
