#pragma once
// The region's rules in force (domain/region_rules.h): seeded from the configuration the
// first time, then changed by the admin; every change recorded (who, when, before, after).
// Services read the rules with CurrentRules() inside their transaction, so a change made by
// any node instance behind a load balancer is seen by the next request everywhere, without
// a restart.

#include <memory>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/clock.h"
#include "core/pg_pool.h"
#include "node/domain/failure.h"
#include "node/domain/region_rules_holder.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"
#include "node/store/region_rules_store.h"

namespace ess::node {

// At start-up: stores `initial` (the configuration's values) unless rules are already
// stored, then loads the stored ones into `holder`. Database errors propagate.
void LoadRegionRules(PgPool& pool, const RegionRules& initial, RegionRulesHolder& holder, const Clock& clock);

// The rules in force, read in `txn`: the holder's snapshot when its revision is the stored
// one (one indexed read), else the stored rules, which then replace the holder's.
std::shared_ptr<const RegionRulesSnapshot> CurrentRules(pqxx::transaction_base& txn, RegionRulesHolder& holder);

class RegionRulesService {
 public:
  explicit RegionRulesService(const NodeContext& context) : context_(context) {}

  // {"region", "revision", "updated_at", "updated_by", <RegionRulesJson fields>,
  //  "edit_link_days" (configuration, read-only)}.
  Result<nlohmann::json> Get();
  // Admin: the RegionRulesJson fields, all required; "revision" optional (the revision the
  // admin's page was showing: kConflict `settings_changed` if another change came since);
  // "region" and "edit_link_days" may be sent back unchanged and are ignored. kInvalid for
  // a rule broken (CheckRegionRules) or a college removed while active members belong to it
  // (`college_in_use`). A request that changes nothing records nothing. Returns Get().
  Result<nlohmann::json> Update(const Principal& admin, const nlohmann::json& input);
  // {"changes": [{"revision", "changed_at", "changed_by", "changes": [{field, before, after}]}]},
  // newest first, at most 100; the seed's "changes" list every field with before = null.
  Result<nlohmann::json> History();

 private:
  nlohmann::json ToJson(const StoredRegionRules& stored) const;
  const NodeContext& context_;
};

}  // namespace ess::node
