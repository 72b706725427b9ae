#include "node/domain/freshness.h"

namespace ess::node {

std::string_view FreshnessName(Freshness freshness) {
  switch (freshness) {
    case Freshness::kFresh: return "fresh";
    case Freshness::kToConfirm: return "to_confirm";
    case Freshness::kHidden: return "hidden";
  }
  return "fresh";
}

std::optional<Freshness> FreshnessFromName(std::string_view name) {
  for (auto f : {Freshness::kFresh, Freshness::kToConfirm, Freshness::kHidden}) {
    if (FreshnessName(f) == name) return f;
  }
  return std::nullopt;
}

Freshness FreshnessAt(const Initiative& initiative, UnixSeconds now) {
  if (now >= initiative.hide_after) return Freshness::kHidden;
  if (now >= initiative.valid_until) return Freshness::kToConfirm;
  return Freshness::kFresh;
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
