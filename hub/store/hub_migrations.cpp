#include "hub/store/hub_migrations.h"

#include "hub/store/sql_files.h"

namespace ess::hub {
std::vector<Migration> HubMigrations() { return MigrationsFromFiles(SqlFiles()); }
}  // namespace ess::hub
