#pragma once
// The region's rules in PostgreSQL (node/sql/050_region_rules.sql), inside the caller's
// transaction: the row in force with its revision, and the history of changes.

#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "node/domain/region_rules.h"
#include "node/domain/time_format.h"

namespace ess::node {

void PrepareRegionRulesStatements(pqxx::connection& conn);

struct StoredRegionRules {
  RegionRules rules;
  int revision = 0;
  UnixSeconds updated_at = 0;
  std::string updated_by;
};

// One recorded change, its rules read back from their stored JSON (RegionRulesJson).
struct StoredRegionRulesChange {
  int revision = 0;
  UnixSeconds changed_at = 0;
  std::string changed_by;             // "configuration" or "admin:<email>"
  std::optional<RegionRules> before;  // nullopt for the seed
  RegionRules after;
  // False when a stored form no longer reads (RegionRulesFromJson refuses it, as rules
  // stored under other limits would be); before and after are then left unset.
  bool readable = true;
};

class RegionRulesStore {
 public:
  explicit RegionRulesStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // With lock = true the row stays locked (FOR UPDATE) until the transaction ends.
  std::optional<StoredRegionRules> Load(bool lock);
  // The revision in force; nullopt before the seed.
  std::optional<int> Revision();
  // Stores `rules` as revision 1 unless a row exists (two instances starting at once: one
  // wins). True if this call stored them; the history then records the seed.
  bool Seed(const RegionRules& rules, UnixSeconds at);
  // Replaces the rules with `rules` as `revision` and records the change (before -> after).
  void Update(const RegionRules& before, const RegionRules& rules, int revision, UnixSeconds at,
              const std::string& by);
  // Newest first.
  std::vector<StoredRegionRulesChange> Changes(std::size_t limit);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
