// The national hub: composition root only (config -> objects -> run).

#include <algorithm>
#include <optional>

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "core/key_file.h"
#include "core/log_format.h"
#include "core/metrics.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/referential.h"
#include "core/systemd_notify.h"
#include "core/termination.h"
#include "core/work_queue.h"
#include "http/http_server.h"
#include "http/ops_routes.h"
#include "http/web_site.h"
#include "hub/api/hub_http_api.h"
#include "hub/grpc/grpc_referential_service.h"
#include "hub/grpc/grpc_replication_service.h"
#include "hub/grpc/grpc_server_options.h"
#include "hub/grpc/grpc_similar_service.h"
#include "hub/hub_config.h"
#include "hub/store/hub_migrations.h"
#include "hub/store/hub_statements.h"
#include "hub/store/pilot_store.h"
#include "hub/store/region_replicas.h"

int main(int argc, char** argv) {
  using namespace ess;
  TerminationSignals signals;  // before any thread starts
  auto outcome = hub::ParseHubConfig(argc, argv);
  if (!outcome.config) return outcome.exit_code;
  const hub::HubConfig& config = *outcome.config;
  ConfigureLogging(config.log_level, ParseLogFormat(config.log_format));
  try {
    auto key = ReadKeyFile(config.key_file);
    const Referential referential = Referential::FromFile(config.referential);
    SystemClock clock;
    MetricsRegistry metrics;  // /metrics (http/ops_routes.h, docs/operations.md)
    PgPool pool({config.database, config.database_pool_size, std::chrono::seconds(10),
                 [](pqxx::connection& c) { hub::PrepareHubStatements(c); }});
    AddPgPoolMetrics(metrics, pool);
    const auto migrations = hub::HubMigrations();
    {
      pqxx::connection migrator(config.database);
      for (const auto& name : ApplyMigrations(migrator, migrations)) {
        spdlog::info("migration appliquée : {}", name);
      }
    }
    WorkQueue replication_workers(config.replication_workers);
    hub::RegionReplicas replicas(pool, config.federation, clock, key, referential,
                                 config.replica_limits);
    hub::ReplicationService replication(
        replicas, replication_workers,
        /*require_region_certificate=*/!config.tls_client_ca.empty(), config.stream_limits,
        &metrics);
    hub::ReferentialService referential_service(referential);
    // The registration form's duplicate warning, asked by the nodes (proto/similar.proto).
    WorkQueue similar_workers(1, 16);
    hub::SimilarRecordsService similar_service(pool, clock, similar_workers);

    int grpc_port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort(config.grpc.host + ":" + std::to_string(config.grpc.port),
                             hub::MakeServerCredentials(config), &grpc_port);
    hub::ApplyServerOptions(builder, config);
    builder.RegisterService(&replication);
    builder.RegisterService(&referential_service);
    builder.RegisterService(&similar_service);
    auto endpoint = builder.BuildAndStart();
    if (!endpoint) throw std::runtime_error("gRPC : impossible d'écouter sur le port demandé");

    // The national pilot's accounts: the only writes over HTTP (decision 0010). Every other
    // route only reads: from the read-only replica when there is one (--database-read).
    hub::PilotAccounts pilots(pool, clock, config.pilot);
    std::optional<PgPool> replica_pool;
    if (!config.database_read.empty()) {
      replica_pool.emplace(PgPoolOptions{config.database_read, config.database_pool_size,
                                         std::chrono::seconds(10), hub::PrepareHubReadStatements});
    }
    hub::HubHttpApi api(replica_pool ? *replica_pool : pool, clock, referential, config.federation,
                        {key.name, key.signer.public_key()}, &pilots,
                        {.name = "ess_pilot_session",
                         .secure = config.cookie_secure,
                         .max_age_seconds = config.pilot.session_hours * 3600},
                        {}, config.public_url);
    WebSite site(api.AsHandler(), config.web);  // the national site in front of the API
    OpsRoutes ops({.metrics = &metrics,
                   .metrics_allow = config.http_server.metrics_allow,
                   .proxies_trusted = !config.http_server.trusted_proxies.empty(),
                   .pool = &pool,
                   .migrations_version = std::max_element(migrations.begin(), migrations.end(),
                                                          [](const auto& a, const auto& b) {
                                                            return a.version < b.version;
                                                          })
                                             ->version,
                   .report = {}},
                  site.AsHandler());  // /metrics and /readyz in front of the site
    HttpServerOptions http_options = config.http_server;
    http_options.address = config.http.host;
    http_options.port = config.http.port;
    http_options.route_class = [&api](const HttpRequest& r) { return api.ClassOf(r); };
    http_options.metrics = &metrics;
    HttpServer http(http_options, ops.AsHandler());
    http.Start();
    spdlog::info("hub {} : HTTP sur {}:{}, gRPC sur {}:{} ({}), référentiel {}", key.name,
                 config.http.host, http.port(), config.grpc.host, grpc_port,
                 config.tls_cert.empty()         ? "sans TLS"
                 : config.tls_client_ca.empty() ? "TLS"
                                                : "TLS mutuel",
                 referential.version());
    if (!config.ready_file.empty()) {
      WriteReadyFile(config.ready_file,
                     {{"http", http.port()}, {"grpc", static_cast<std::uint16_t>(grpc_port)}});
    }
    NotifyReady();  // systemd's Type=notify unit (deploy/systemd/ess-hub.service)
    int sig = signals.Wait();
    spdlog::info("signal {} reçu, arrêt", sig);
    NotifyStopping();
    // HTTP first: no new request, the running ones' queries cancelled, the waiting ones
    // answered 503 (bounded by --http-stop-wait-ms). Then streams get a moment to finish
    // their batch; then they are cancelled, and the workers finish the transactions they
    // started before the pool goes away.
    http.Stop();
    endpoint->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    replication_workers.Stop();
    similar_workers.Stop();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
