#pragma once
// Freshness of a record: confirmed_at, valid_until = confirmed_at + validity period, and
// hide_after = valid_until + grace period. From valid_until on the record is "to confirm"
// (still on the map, flagged); from hide_after on it leaves the public map: the rule is
// core/freshness.h, the hub's too. The owner confirms "still current" (or edits) to start a
// new period. Reminders go out from `reminder_days` before valid_until.

#include <optional>
#include <string_view>

#include "core/freshness.h"
#include "node/domain/initiative.h"
#include "node/domain/time_format.h"

namespace ess::node {

struct FreshnessPolicy {
  int validity_days = 365;
  int grace_days = 60;
  int reminder_days = 30;
};

using ess::Freshness;
using ess::FreshnessFromName;
using ess::FreshnessName;

// core's FreshnessAt() on the initiative's dates (Unix seconds, as the node keeps them).
Freshness FreshnessAt(const Initiative& initiative, UnixSeconds now);
// Sets confirmed_at = now and the dates that follow from it.
void Confirm(Initiative& initiative, const FreshnessPolicy& policy, UnixSeconds now);
// True from reminder_days before valid_until, unless a reminder for this valid_until was sent.
bool ReminderDue(const Initiative& initiative, const FreshnessPolicy& policy, UnixSeconds now,
                 std::optional<UnixSeconds> reminder_sent_for);

}  // namespace ess::node
