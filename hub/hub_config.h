#pragma once
// The hub's configuration: command line over config file (INI syntax, see
// deploy/hub.example.conf), validated before anything starts.

#include <optional>
#include <string>

#include "core/service_config.h"
#include "http/http_server.h"
#include "http/web_site.h"
#include "hub/grpc/grpc_replication_service.h"
#include "hub/pilot/pilot_accounts.h"
#include "hub/store/region_replicas.h"

namespace ess::hub {

inline HttpServerOptions HubHttpServerDefaults() {
  using std::chrono::milliseconds;
  HttpServerOptions options;
  options.cheap.statement_timeout = milliseconds(5'000);
  options.cheap.pool_wait = milliseconds(2'000);
  options.expensive.statement_timeout = milliseconds(10'000);
  options.expensive.pool_wait = milliseconds(2'000);
  return options;
}

struct HubConfig {
  std::string federation;     // names region logs "<federation>/region/<code>"
  std::string name;           // the hub's cosigner key name
  ListenAddress http;         // national API and site
  // Its limits (address and port come from `http`). The hub bounds what one request may cost
  // PostgreSQL (docs/decisions/0014-overload.md): 5 s a statement for the cheap routes, 10 s
  // for the national queries, 2 s to get a connection; beyond, 503 busy.
  HttpServerOptions http_server = HubHttpServerDefaults();
  ListenAddress grpc;         // replication endpoint for region nodes
  std::string database;
  std::size_t database_pool_size = 8;
  // A read-only replica of `database` (a hot standby, e.g. CloudNativePG's "-ro" service) for
  // the national read routes of the HTTP API, with its own pool of database_pool_size
  // connections; empty: they read `database`. Their answers may lag the primary by the
  // replica's replay delay. Migrations, replication, the pilot's accounts and /readyz stay on
  // `database`.
  std::string database_read;
  std::string key_file;       // the hub's cosigning key
  std::string referential;    // the common referential (JSON, docs/referential.md)
  // Transport security of the gRPC endpoint (docs/replication.md). Without a certificate
  // the endpoint is plaintext (record signatures stay the trust anchor). With a client CA,
  // nodes must present a certificate from it naming their region ("region-<code>").
  std::string tls_cert;       // PEM server certificate chain
  std::string tls_key;        // PEM private key
  std::string tls_client_ca;  // PEM CA for client certificates: mutual TLS
  std::size_t replication_workers = 4;  // threads storing batches
  // What one stream, one region and all streams may cost (docs/protocol.md section 7.3).
  ReplicaLimits replica_limits;
  ReplicationStreamLimits stream_limits;
  std::size_t grpc_memory_mb = 512;            // gRPC's resource quota for the whole endpoint
  std::size_t max_streams_per_connection = 8;  // HTTP/2 concurrent streams of one connection
  std::string ready_file;
  std::string log_level = "info";
  std::string log_format = "text";  // or "json" (core/log_format.h)
  WebSiteOptions web;         // the national site's pages (docs/web.md)
  // The national site's public address, base of the links the feeds carry (docs/interop.md);
  // empty = links relative to the hub's own address.
  std::string public_url;
  // The national pilot's accounts (docs/decisions/0010-hub-pilot-accounts.md): hashing cost
  // and pool, session length; the session cookie is Secure with cookie_secure.
  PilotSecurity pilot;
  bool cookie_secure = false;
};

struct HubConfigOutcome {
  std::optional<HubConfig> config;
  int exit_code = 0;
};

HubConfigOutcome ParseHubConfig(int argc, const char* const argv[]);

}  // namespace ess::hub
