#pragma once
// What the node's journal shows of itself: its latest signed checkpoint (public) and its
// replication state with the hub (admin page).

#include <optional>
#include <string>

#include "node/service/node_context.h"
#include "node/store/staff_reads.h"

namespace ess::node {

class JournalStatusService {
 public:
  explicit JournalStatusService(const NodeContext& context) : context_(context) {}

  // The signed note of the journal's latest checkpoint; nullopt while the journal is empty.
  std::optional<std::string> LatestCheckpointNote();
  // The journal's size and the hub's copy as the uploader last saw it.
  JournalReplicationState ReplicationState();

 private:
  const NodeContext& context_;
};

}  // namespace ess::node
