#pragma once
// What every service of the node works with: the database pool, the journal writer, the
// referential, the clock, the node's settings and the region's rules in force. All are owned
// by main (or a test) and outlive the services.

#include "core/clock.h"
#include "core/pg_pool.h"
#include "core/region_log_writer.h"
#include "node/domain/referential_holder.h"
#include "node/domain/region_rules_holder.h"
#include "node/node_settings.h"

namespace ess::node {

struct NodeContext {
  PgPool& pool;
  const RegionLogWriter& journal;
  const ReferentialHolder& referential;
  const Clock& clock;
  const NodeSettings& settings;
  // The rules the admin may change at run time (region_rules_service.h: read them with
  // CurrentRules() inside a transaction, which also picks up another instance's change).
  RegionRulesHolder& rules;
};

}  // namespace ess::node
