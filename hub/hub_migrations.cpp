#include "hub/hub_migrations.h"

#include "hub/sql_files.h"

namespace ess::hub {
std::vector<Migration> HubMigrations() { return MigrationsFromFiles(SqlFiles()); }
}  // namespace ess::hub
