#pragma once
// The databases essctl opens: the hub's (its schema brought up to date for the commands that
// write), a node's, and, for the commands that only read a region's log (verify, status,
// export), either one as it is, told apart by its tables.

#include <memory>
#include <string>

#include <pqxx/pqxx>

#include "core/pg_pool.h"

namespace ess::essctl {

// A pool of one connection to the hub's database, its schema brought up to date.
std::unique_ptr<PgPool> HubDatabase(const std::string& url);
// A pool of one connection to a node's database (the node started once: its schema is there).
std::unique_ptr<PgPool> NodeDatabase(const std::string& url);

enum class DatabaseKind { kHub, kNode };
// A pool of one connection to a hub's or a node's database, nothing migrated; its kind in
// `kind`. Throws std::runtime_error when it holds no region log (neither kind).
std::unique_ptr<PgPool> LogDatabase(const std::string& url, DatabaseKind& kind);

// "la base du hub" or "la base du nœud".
std::string DatabaseName(DatabaseKind kind);

}  // namespace ess::essctl
