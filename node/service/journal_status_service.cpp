#include "node/service/journal_status_service.h"

#include "core/log_store.h"

namespace ess::node {

std::optional<std::string> JournalStatusService::LatestCheckpointNote() {
  return context_.pool.WithTransaction([&](pqxx::work& txn) {
    return LogStore(txn, context_.settings.region).LatestCheckpointNote();
  });
}

JournalReplicationState JournalStatusService::ReplicationState() {
  return context_.pool.WithTransaction(
      [&](pqxx::work& txn) { return ReadJournalReplicationState(txn, context_.settings.region); });
}

}  // namespace ess::node
