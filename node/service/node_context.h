#pragma once
// What every service of the node works with: the database pool, the journal writer, the
// referential, the clock and the region's settings. All are owned by main (or a test) and
// outlive the services.

#include "core/clock.h"
#include "core/pg_pool.h"
#include "core/region_log_writer.h"
#include "node/domain/referential_holder.h"
#include "node/node_settings.h"

namespace ess::node {

struct NodeContext {
  PgPool& pool;
  const RegionLogWriter& journal;
  const ReferentialHolder& referential;
  const Clock& clock;
  const NodeSettings& settings;
};

}  // namespace ess::node
