#pragma once
// The journal's refusal while the uploader blocks appends
// (node/replication/hub_replication_store.h: the hub holds a longer or other history than this
// node's log). A trigger on log_entry raises it, whatever code path writes; this is the one place
// above it that recognises it, so services turn it into a Failure and nothing above them sees the
// database error.

#include <pqxx/pqxx>

#include "node/replication/hub_replication_store.h"  // kAppendBlockedSqlState (header-only use)

namespace ess::node {

inline bool IsAppendBlocked(const pqxx::sql_error& e) {
  return e.sqlstate() == kAppendBlockedSqlState;
}

}  // namespace ess::node
