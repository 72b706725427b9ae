#pragma once
// Schema migrations: numbered SQL files ("001_journal.sql", "002_search.sql", ...) applied
// once each, in order of their number, each in its own transaction together with its row in
// the `schema_migrations` table (version, name, applied_at). A service applies its
// migrations at start-up; two processes starting at once are serialised by an advisory lock.
//
// A file already recorded is skipped. A recorded name that differs from the file's name for
// the same version is an error (someone renumbered history), reported before anything runs.

#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

namespace ess {

struct Migration {
  int version = 0;       // the file name's leading number
  std::string name;      // the file name
  std::string sql;
};

// Parses (file name, content) pairs as produced by ess_embed_files(). Throws
// std::invalid_argument for a name without a leading number or a duplicate number.
std::vector<Migration> MigrationsFromFiles(
    const std::vector<std::pair<std::string, std::string>>& files);

// Applies the missing migrations. Returns the names applied now. Throws on SQL errors (the
// failing migration is rolled back; earlier ones stay applied).
std::vector<std::string> ApplyMigrations(pqxx::connection& conn,
                                         const std::vector<Migration>& migrations);

}  // namespace ess
