#pragma once
// Every prepared statement of the hub, registered on each new connection of its pool
// (PgPoolOptions::on_connect): the shared log store's and the hub's own.

#include <pqxx/pqxx>

namespace ess::hub {

void PrepareHubStatements(pqxx::connection& conn);
// Those of the HTTP API's reads, for a read-only replica (hub option database-read): every one
// but the national view's writes, whose staging tables are temporary tables a hot standby
// refuses to create. hub_read_database_test runs every read route on such a replica.
void PrepareHubReadStatements(pqxx::connection& conn);

}  // namespace ess::hub
