#pragma once
// What a database exception means to the node's clients, decided in the one place that knows
// pqxx and SQLSTATEs, so that services and the HTTP layer deal with typed faults instead:
//   - kAppendBlocked: the journal refuses appends while the uploader blocks them
//     (node/replication/hub_replication_store.h: the hub holds a longer or other history); a
//     trigger on log_entry raises it, whatever code path writes;
//   - kStorageFull: PostgreSQL's disk is full (SQLSTATE 53100, disk_full): nothing committed;
//   - kUnavailable: the database cannot be reached: a broken connection, or it is stopping,
//     crashed or starting (57P01 admin_shutdown, 57P02 crash_shutdown, 57P03
//     cannot_connect_now; not 57014, a cancelled statement);
//   - kOutcomeUnknown: the connection broke while the transaction committed
//     (pqxx::in_doubt_error): the change is either whole or absent.
// Every other exception is nobody's fault but the code's: DatabaseFaultOf() says nullopt.

#include <exception>
#include <optional>
#include <string>

#include <pqxx/pqxx>

#include "node/replication/hub_replication_store.h"  // kAppendBlockedSqlState (header-only use)

namespace ess::node {

enum class DatabaseFault { kAppendBlocked, kStorageFull, kUnavailable, kOutcomeUnknown };

inline constexpr const char* kDiskFullSqlState = "53100";

inline std::optional<DatabaseFault> DatabaseFaultOf(const std::exception& e) {
  if (dynamic_cast<const pqxx::in_doubt_error*>(&e)) return DatabaseFault::kOutcomeUnknown;
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) return DatabaseFault::kUnavailable;
  const auto* sql = dynamic_cast<const pqxx::sql_error*>(&e);
  if (!sql) return std::nullopt;
  const std::string state = sql->sqlstate();
  if (state == kAppendBlockedSqlState) return DatabaseFault::kAppendBlocked;
  if (state == kDiskFullSqlState) return DatabaseFault::kStorageFull;
  if (state.rfind("57P", 0) == 0) return DatabaseFault::kUnavailable;
  return std::nullopt;
}

}  // namespace ess::node
