#pragma once
// The node's schema: the shared region-log tables, then its own (embedded at build time).

#include <vector>

#include "core/pg_migrations.h"

namespace ess::node {
std::vector<Migration> NodeMigrations();
}  // namespace ess::node
