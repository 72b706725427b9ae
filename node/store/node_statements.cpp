#include "node/store/node_statements.h"

#include "core/log_store.h"
#include "node/store/account_store.h"
#include "node/store/committee_store.h"
#include "node/store/import_job_store.h"
#include "node/store/initiative_store.h"
#include "node/store/invitation_store.h"
#include "node/store/pg_values.h"
#include "node/store/rate_limit_store.h"
#include "node/store/records_store.h"
#include "node/store/region_rules_store.h"
#include "node/store/search_store.h"

namespace ess::node {

std::vector<std::string> PrepareNodeStatements(pqxx::connection& conn, bool eager) {
  PrepareLogStatements(conn);
  NotedStatementNames().clear();
  PrepareAccountStatements(conn);
  PrepareCommitteeStatements(conn);
  PrepareInitiativeStatements(conn);
  PrepareSearchStatements(conn);
  PrepareRegionRulesStatements(conn);
  PrepareImportJobStatements(conn);
  PrepareRecordsStatements(conn);
  PrepareInvitationStatements(conn);
  PrepareRateLimitStatements(conn);
  std::vector<std::string> names = std::move(NotedStatementNames());
  NotedStatementNames().clear();
  if (eager) {
    for (const auto& name : names) conn.prepare_now(name);
  }
  return names;
}

}  // namespace ess::node
