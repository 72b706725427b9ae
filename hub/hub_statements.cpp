#include "hub/hub_statements.h"

#include "core/log_store.h"
#include "hub/national_queries.h"
#include "hub/national_view.h"
#include "hub/region_registry.h"
#include "hub/region_replicas.h"
#include "hub/sync_status.h"

namespace ess::hub {

void PrepareHubStatements(pqxx::connection& conn) {
  PrepareLogStatements(conn);
  PrepareRegionRegistryStatements(conn);
  PrepareRegionReplicasStatements(conn);
  PrepareNationalViewStatements(conn);
  PrepareNationalQueriesStatements(conn);
  PrepareSyncStatusStatements(conn);
}

}  // namespace ess::hub
