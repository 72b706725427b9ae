#pragma once
// Every prepared statement of the node, registered on each new connection (the pool's
// on_connect hook). With `eager` the node's own statements are also prepared on the server
// at once, so a statement that does not match the schema fails when the connection opens
// rather than on first use. Call only once the schema is migrated.

#include <string>
#include <vector>

#include <pqxx/pqxx>

namespace ess::node {

// Returns the names of the node's own statements (the log's are core's).
std::vector<std::string> PrepareNodeStatements(pqxx::connection& conn, bool eager);

}  // namespace ess::node
