#include "node/node_migrations.h"

#include "node/sql_files.h"

namespace ess::node {
std::vector<Migration> NodeMigrations() { return MigrationsFromFiles(SqlFiles()); }
}  // namespace ess::node
