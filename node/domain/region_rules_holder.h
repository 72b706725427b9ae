#pragma once
// The region's rules in force (region_rules.h), replaceable at run time when the admin
// changes them. Readers take a snapshot and keep using it for the whole request, so a change
// never alters the rule under a vote being counted. Thread-safe.
//
// `revision` numbers the stored versions (region_rules.revision in PostgreSQL); 0 means the
// configuration's values, before the node has loaded the stored ones.

#include <memory>
#include <mutex>

#include "node/domain/region_rules.h"

namespace ess::node {

struct RegionRulesSnapshot {
  RegionRules rules;
  int revision = 0;
};

class RegionRulesHolder {
 public:
  explicit RegionRulesHolder(RegionRules initial)
      : current_(std::make_shared<const RegionRulesSnapshot>(RegionRulesSnapshot{std::move(initial), 0})) {}

  // Never null.
  std::shared_ptr<const RegionRulesSnapshot> Get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  // Keeps the newer of the two: a snapshot older than the one held is ignored, so two
  // requests refreshing at once cannot go back in time.
  void Replace(std::shared_ptr<const RegionRulesSnapshot> next) {
    std::lock_guard lock(mutex_);
    if (next && next->revision >= current_->revision) current_ = std::move(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const RegionRulesSnapshot> current_;
};

}  // namespace ess::node
