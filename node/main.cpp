// The regional node: composition root only (config -> objects -> run).

#include <spdlog/spdlog.h>

#include "core/checkpoint.h"
#include "core/key_file.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/termination.h"
#include "http/http_server.h"
#include "node/node_config.h"
#include "node/node_migrations.h"

int main(int argc, char** argv) {
  using namespace ess;
  TerminationSignals signals;  // before any thread starts
  auto outcome = node::ParseNodeConfig(argc, argv);
  if (!outcome.config) return outcome.exit_code;
  const node::NodeConfig& config = *outcome.config;
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  try {
    auto key = ReadKeyFile(config.key_file);
    const std::string origin = RegionOrigin(config.federation, config.region);
    if (key.name != origin) {
      throw std::runtime_error("la clé " + config.key_file + " est nommée « " + key.name +
                               " », attendu « " + origin + " »");
    }
    PgPool pool({config.database, config.database_pool_size, std::chrono::seconds(10), {}});
    {
      auto lease = pool.Acquire();
      for (const auto& name : ApplyMigrations(*lease, node::NodeMigrations())) {
        spdlog::info("migration appliquée : {}", name);
      }
    }
    HttpServer http({.address = config.http.host, .port = config.http.port},
                    [&](const HttpRequest& req) {
                      if (req.path == "/healthz") return HttpResponse::Json(200, R"({"status":"ok"})");
                      return HttpResponse::Error(404, "not_found", "Ressource introuvable.");
                    });
    http.Start();
    spdlog::info("nœud {} : HTTP sur {}:{}", origin, config.http.host, http.port());
    if (!config.ready_file.empty()) WriteReadyFile(config.ready_file, {{"http", http.port()}});
    int sig = signals.Wait();
    spdlog::info("signal {} reçu, arrêt", sig);
    http.Stop();
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  return 0;
}
