#include "core/pg_migrations.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>

#include <spdlog/spdlog.h>

namespace ess {

namespace {

// Key of the advisory lock serialising migrators of one database ("ess-migr" in ASCII).
// Advisory locks are per database, so services sharing a server do not contend.
constexpr std::int64_t kMigrationLockKey = 0x6573'732d'6d69'6772;

// Every statement below is parameterised (PQexecParams, i.e. the unnamed prepared
// statement): named prepared statements would outlive this call on the caller's connection
// and could clash with the names the caller prepares itself.
constexpr const char* kTakeLockSql = "SELECT pg_advisory_xact_lock($1)";
constexpr const char* kCreateTableSql =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";
constexpr const char* kRecordedSql = "SELECT version, name FROM schema_migrations ORDER BY version";
constexpr const char* kRecordedOneSql = "SELECT name FROM schema_migrations WHERE version = $1";
constexpr const char* kRecordSql = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

std::string RenamedError(int version, const std::string& recorded, const std::string& file) {
  return "migration " + std::to_string(version) + " was recorded as '" + recorded +
         "' but the file is now named '" + file + "' (history must not be renumbered)";
}

}  // namespace

std::vector<Migration> MigrationsFromFiles(
    const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<Migration> migrations;
  std::map<int, std::string> seen;  // version -> file name, to name both duplicates
  for (const auto& [name, sql] : files) {
    int version = 0;
    const char* first = name.data();
    const char* last = name.data() + name.size();
    auto [end, error] = std::from_chars(first, last, version);
    // from_chars accepts a leading '-'; a migration number never has one.
    if (error != std::errc() || end == first || name.front() == '-') {
      throw std::invalid_argument("migration file '" + name +
                                  "' does not start with a version number");
    }
    auto [it, inserted] = seen.emplace(version, name);
    if (!inserted) {
      throw std::invalid_argument("migration files '" + it->second + "' and '" + name +
                                  "' have the same version " + std::to_string(version));
    }
    migrations.push_back(Migration{version, name, sql});
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  return migrations;
}

// Each step takes the advisory lock as a transaction lock rather than holding a session
// lock across the whole run: it is released by commit or rollback whatever happens, even
// if the connection dies, and another migrator waits for exactly as long as a step lasts.
// Every step re-reads what is recorded once it holds the lock, so when two migrators race,
// each migration is still applied once and in version order (whoever is first applies it,
// the other sees it recorded and skips it).
std::vector<std::string> ApplyMigrations(pqxx::connection& conn,
                                         const std::vector<Migration>& migrations) {
  std::vector<const Migration*> ordered;
  std::set<int> versions;
  for (const Migration& m : migrations) {
    if (!versions.insert(m.version).second) {
      throw std::invalid_argument("two migrations have version " + std::to_string(m.version));
    }
    ordered.push_back(&m);
  }
  std::sort(ordered.begin(), ordered.end(),
            [](const Migration* a, const Migration* b) { return a->version < b->version; });

  // Set-up: create the table and check recorded history before running anything.
  {
    pqxx::work txn(conn, "ess_migrations_setup");
    txn.exec_params(kTakeLockSql, kMigrationLockKey);
    // "relation already exists, skipping" is expected on every start but the first.
    txn.exec("SET LOCAL client_min_messages = warning");
    txn.exec(kCreateTableSql);
    std::map<int, std::string> recorded;
    for (const auto& row : txn.exec(kRecordedSql)) {
      recorded.emplace(row[0].as<int>(), row[1].as<std::string>());
    }
    txn.commit();

    std::string errors;
    for (const Migration* m : ordered) {
      auto it = recorded.find(m->version);
      if (it != recorded.end() && it->second != m->name) {
        errors += (errors.empty() ? "" : "; ") + RenamedError(m->version, it->second, m->name);
      }
    }
    if (!errors.empty()) throw std::runtime_error(errors);

    // Not fatal: a newer release may have run against this database (a rollback of the
    // binary), or a migration was added below the newest applied one and will run out of
    // order. Either deserves a human's attention.
    for (const auto& [version, name] : recorded) {
      if (!versions.contains(version)) {
        spdlog::warn("schema_migrations records {} ({}) which this binary does not know", version,
                     name);
      }
    }
    if (!recorded.empty()) {
      const int newest = recorded.rbegin()->first;
      for (const Migration* m : ordered) {
        if (m->version < newest && !recorded.contains(m->version)) {
          spdlog::warn("migration {} runs out of order (version {} is already applied)", m->name,
                       newest);
        }
      }
    }
  }

  std::vector<std::string> applied;
  for (const Migration* m : ordered) {
    pqxx::work txn(conn, "ess_migration");
    txn.exec_params(kTakeLockSql, kMigrationLockKey);
    pqxx::result existing = txn.exec_params(kRecordedOneSql, m->version);
    if (!existing.empty()) {
      const auto recorded_name = existing[0][0].as<std::string>();
      // Possible only if another migrator with a different file set ran meanwhile.
      if (recorded_name != m->name) {
        throw std::runtime_error(RenamedError(m->version, recorded_name, m->name));
      }
      continue;  // nothing to commit; the destructor rolls back and releases the lock
    }
    try {
      txn.exec(m->sql);
    } catch (const pqxx::sql_error& e) {
      // The transaction rolls back as the exception leaves this scope: the migration and
      // its row are all or nothing, the ones before it stay applied. Rethrown as is, so
      // callers can still tell the SQL error classes apart.
      spdlog::error("migration {} failed: {}", m->name, e.what());
      throw;
    }
    txn.exec_params(kRecordSql, m->version, m->name);
    txn.commit();
    applied.push_back(m->name);
  }
  return applied;
}

}  // namespace ess
