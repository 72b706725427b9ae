// The national hub: composition root only (config -> objects -> run).

#include <grpcpp/grpcpp.h>
#include <spdlog/spdlog.h>

#include "core/key_file.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/termination.h"
#include "http/http_server.h"
#include "hub/hub_config.h"
#include "hub/hub_migrations.h"
#include "proto/federation.grpc.pb.h"

int main(int argc, char** argv) {
  using namespace ess;
  TerminationSignals signals;  // before any thread starts
  auto outcome = hub::ParseHubConfig(argc, argv);
  if (!outcome.config) return outcome.exit_code;
  const hub::HubConfig& config = *outcome.config;
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  try {
    auto key = ReadKeyFile(config.key_file);
    PgPool pool({config.database, config.database_pool_size, std::chrono::seconds(10), {}});
    {
      auto lease = pool.Acquire();
      for (const auto& name : ApplyMigrations(*lease, hub::HubMigrations())) {
        spdlog::info("migration appliquée : {}", name);
      }
    }
    ess::federation::v1::Replication::Service replication;  // filled by the replication issue
    int grpc_port = 0;
    grpc::ServerBuilder builder;
    builder.AddListeningPort(config.grpc.host + ":" + std::to_string(config.grpc.port),
                             grpc::InsecureServerCredentials(), &grpc_port);
    builder.RegisterService(&replication);
    auto replication_server = builder.BuildAndStart();
    if (!replication_server) throw std::runtime_error("gRPC : impossible d'écouter sur le port demandé");

    HttpServer http({.address = config.http.host, .port = config.http.port},
                    [&](const HttpRequest& req) {
                      if (req.path == "/healthz") return HttpResponse::Json(200, R"({"status":"ok"})");
                      return HttpResponse::Error(404, "not_found", "Ressource introuvable.");
                    });
    http.Start();
    spdlog::info("hub {} : HTTP sur {}:{}, gRPC sur {}:{}", key.name, config.http.host,
                 http.port(), config.grpc.host, grpc_port);
    if (!config.ready_file.empty()) {
      WriteReadyFile(config.ready_file,
                     {{"http", http.port()}, {"grpc", static_cast<std::uint16_t>(grpc_port)}});
    }
    int sig = signals.Wait();
    spdlog::info("signal {} reçu, arrêt", sig);
    replication_server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    http.Stop();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
