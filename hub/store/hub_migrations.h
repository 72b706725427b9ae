#pragma once
// The hub's schema: the shared region-log tables, then its own (embedded at build time).

#include <vector>

#include "core/pg_migrations.h"

namespace ess::hub {
std::vector<Migration> HubMigrations();
}  // namespace ess::hub
