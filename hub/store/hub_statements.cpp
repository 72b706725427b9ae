#include "hub/store/hub_statements.h"

#include "core/log_store.h"
#include "hub/store/national_queries.h"
#include "hub/store/national_view.h"
#include "hub/store/national_view_version.h"
#include "hub/store/pilot_store.h"
#include "hub/store/region_registry.h"
#include "hub/store/region_replicas.h"
#include "hub/store/replication_status.h"

namespace ess::hub {

void PrepareHubReadStatements(pqxx::connection& conn) {
  PrepareLogStatements(conn);
  PrepareRegionRegistryStatements(conn);
  PrepareRegionReplicasStatements(conn);
  PrepareNationalQueriesStatements(conn);
  PrepareNationalViewVersionStatements(conn);
  PrepareReplicationStatusStatements(conn);
  PreparePilotStatements(conn);
}

void PrepareHubStatements(pqxx::connection& conn) {
  PrepareHubReadStatements(conn);
  PrepareNationalViewStatements(conn);
}

}  // namespace ess::hub
