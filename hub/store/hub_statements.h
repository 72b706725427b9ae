#pragma once
// Every prepared statement of the hub, registered on each new connection of its pool
// (PgPoolOptions::on_connect): the shared log store's and the hub's own.

#include <pqxx/pqxx>

namespace ess::hub {

void PrepareHubStatements(pqxx::connection& conn);

}  // namespace ess::hub
