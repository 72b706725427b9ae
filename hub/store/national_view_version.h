#pragma once
// What the national read routes' answers depend on, read cheaply (hub/sql/042): the national
// view's version (sum of the per-region counters the triggers bump in the same transaction as
// any change of the national tables, checkpoints, region keys or registry) and the next time
// the hub's clock changes an answer (the least valid_until or hide_after past `now`: a record
// turns "to confirm" or leaves the map). Two answers computed under the same state are equal.

#include <cstdint>
#include <optional>

#include <pqxx/pqxx>

#include "core/clock.h"

namespace ess::hub {

struct NationalViewState {
  std::int64_t version = 0;
  // UnixMillis from which the clock changes some answer; nullopt: never (no expiry ahead).
  std::optional<std::int64_t> next_change_ms;
  bool operator==(const NationalViewState&) const = default;
};

void PrepareNationalViewVersionStatements(pqxx::connection& conn);

// One statement, two index probes and a sum over one row per region.
NationalViewState ReadNationalViewState(pqxx::transaction_base& txn, std::int64_t now_ms);

}  // namespace ess::hub
