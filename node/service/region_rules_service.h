#pragma once
// The region's rules in force (domain/region_rules.h): seeded from the configuration the
// first time, then changed by the admin; every change recorded (who, when, before, after).
// Services read the rules with CurrentRules() inside their transaction, so a change made by
// any node instance behind a load balancer is seen by the next request everywhere, without
// a restart. The JSON forms of the values below: node/api/region_rules_json.h.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/pg_pool.h"
#include "node/domain/account.h"
#include "node/domain/failure.h"
#include "node/domain/region_rules.h"
#include "node/domain/region_rules_holder.h"
#include "node/domain/time_format.h"
#include "node/service/node_context.h"

namespace ess::node {

// At start-up: stores `initial` (the configuration's values) unless rules are already
// stored, then loads the stored ones into `holder`. Database errors propagate.
void LoadRegionRules(PgPool& pool, const RegionRules& initial, RegionRulesHolder& holder,
                     const Clock& clock);

// The rules in force, read in `txn`: the holder's snapshot when its revision is the stored
// one (one indexed read), else the stored rules, which then replace the holder's.
std::shared_ptr<const RegionRulesSnapshot> CurrentRules(pqxx::transaction_base& txn,
                                                        RegionRulesHolder& holder);

// The rules in force as the admin's page shows them, with the configuration's read-only
// values beside them.
struct RegionRulesView {
  RegionRules rules;
  int revision = 0;
  UnixSeconds updated_at = 0;
  std::string updated_by;  // "configuration" or Principal::Actor()
  std::string region;      // the configuration's
  int edit_link_days = 0;  // the configuration's
};

// An admin's change: every rule, and the revision the admin's page was showing (nullopt:
// whatever is in force).
struct RegionRulesChange {
  RegionRules rules;
  std::optional<int> expected_revision;
};

// One recorded change of the rules.
struct RegionRulesHistoryEntry {
  int revision = 0;
  UnixSeconds changed_at = 0;
  std::string changed_by;
  // The seed (revision 1) lists every field with no value before; empty when a stored form
  // no longer reads (region_rules_store.h).
  std::vector<RegionRulesFieldChange> changes;
};

class RegionRulesService {
 public:
  explicit RegionRulesService(const NodeContext& context) : context_(context) {}

  // kUnavailable `no_settings` before the seed.
  Result<RegionRulesView> Get();
  // Admin: kInvalid for a rule broken (CheckRegionRules) or a college removed while active
  // members belong to it (`college_in_use`), kConflict `settings_changed` when the revision
  // in force is not change.expected_revision. A change that changes nothing records
  // nothing. Returns the rules then in force (as Get()).
  Result<RegionRulesView> Update(const Principal& admin, const RegionRulesChange& change);
  // Newest first, at most 100.
  Result<std::vector<RegionRulesHistoryEntry>> History();

 private:
  const NodeContext& context_;
};

}  // namespace ess::node
