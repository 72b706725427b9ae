#pragma once
// The node's configuration: command line over config file (INI syntax, see
// deploy/node.example.conf), validated before anything starts.

#include <optional>
#include <string>

#include "core/service_config.h"

namespace ess::node {

struct NodeConfig {
  std::string region;                 // INSEE region code, e.g. "93"
  std::string federation;             // names the log: "<federation>/region/<region>"
  ListenAddress http;                 // public and admin HTTP API
  std::string database;               // libpq connection string
  std::size_t database_pool_size = 8;
  std::string key_file;               // the region's signing key (signed-note "PRIVATE+KEY+...")
  std::string hub_address;            // host:port of the hub's gRPC endpoint; empty = no sync
  std::string ready_file;             // written with the bound ports once serving
  std::string log_level = "info";
};

struct NodeConfigOutcome {
  std::optional<NodeConfig> config;  // set when the node should start
  int exit_code = 0;                 // otherwise: 0 after --help, 2 after an error
};

// Prints --help or the error (in French, naming the option) to stdout/stderr itself.
NodeConfigOutcome ParseNodeConfig(int argc, const char* const argv[]);

}  // namespace ess::node
