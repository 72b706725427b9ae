#include "essctl/databases.h"

#include <stdexcept>

#include "core/log_store.h"
#include "core/pg_migrations.h"
#include "hub/store/hub_migrations.h"
#include "hub/store/hub_statements.h"
#include "node/replication/hub_replication_store.h"

namespace ess::essctl {

std::unique_ptr<PgPool> HubDatabase(const std::string& url) {
  {
    pqxx::connection migrator(url);
    ApplyMigrations(migrator, hub::HubMigrations());
  }
  return std::make_unique<PgPool>(PgPoolOptions{
      url, 1, std::chrono::seconds(10), [](pqxx::connection& c) { hub::PrepareHubStatements(c); }});
}

std::unique_ptr<PgPool> NodeDatabase(const std::string& url) {
  return std::make_unique<PgPool>(
      PgPoolOptions{url, 1, std::chrono::seconds(10), [](pqxx::connection& c) {
                      PrepareLogStatements(c);
                      node::PrepareHubReplicationStatements(c);
                    }});
}

std::unique_ptr<PgPool> LogDatabase(const std::string& url, DatabaseKind& kind) {
  bool hub = false, node = false, log = false;
  {
    pqxx::connection probe(url);
    pqxx::nontransaction txn(probe);
    auto r = txn.exec(
        "SELECT to_regclass('hub_region') IS NOT NULL, to_regclass('hub_replication_state') IS NOT "
        "NULL, "
        "to_regclass('log_entry') IS NOT NULL");
    hub = r[0][0].as<bool>();
    node = r[0][1].as<bool>();
    log = r[0][2].as<bool>();
  }
  if (!log || (!hub && !node)) {
    throw std::runtime_error("ni la base d'un hub ni celle d'un nœud (aucun journal de région)");
  }
  kind = hub ? DatabaseKind::kHub : DatabaseKind::kNode;
  if (kind == DatabaseKind::kHub) {
    return std::make_unique<PgPool>(
        PgPoolOptions{url, 1, std::chrono::seconds(10),
                      [](pqxx::connection& c) { hub::PrepareHubStatements(c); }});
  }
  return NodeDatabase(url);
}

std::string DatabaseName(DatabaseKind kind) {
  return kind == DatabaseKind::kHub ? "la base du hub" : "la base du nœud";
}

}  // namespace ess::essctl
