#include "node/domain/freshness.h"

namespace ess::node {

Freshness FreshnessAt(const Initiative& initiative, UnixSeconds now) {
  return ess::FreshnessAt(MillisFromSeconds(initiative.valid_until),
                          MillisFromSeconds(initiative.hide_after), MillisFromSeconds(now));
}

void Confirm(Initiative& initiative, const FreshnessPolicy& policy, UnixSeconds now) {
  initiative.confirmed_at = now;
  initiative.valid_until = now + policy.validity_days * kSecondsPerDay;
  initiative.hide_after = initiative.valid_until + policy.grace_days * kSecondsPerDay;
}

bool ReminderDue(const Initiative& initiative, const FreshnessPolicy& policy, UnixSeconds now,
                 std::optional<UnixSeconds> reminder_sent_for) {
  if (reminder_sent_for && *reminder_sent_for == initiative.valid_until) return false;
  return now >= initiative.valid_until - policy.reminder_days * kSecondsPerDay;
}

}  // namespace ess::node
