#include "node/domain/initiative.h"

namespace ess::node {

std::string_view InitiativeStatusName(InitiativeStatus status) {
  switch (status) {
    case InitiativeStatus::kPending: return "pending";
    case InitiativeStatus::kChangesRequested: return "changes_requested";
    case InitiativeStatus::kAdmitted: return "admitted";
    case InitiativeStatus::kRejected: return "rejected";
    case InitiativeStatus::kSuspended: return "suspended";
    case InitiativeStatus::kWithdrawn: return "withdrawn";
  }
  return "pending";
}

std::optional<InitiativeStatus> InitiativeStatusFromName(std::string_view name) {
  for (auto s : {InitiativeStatus::kPending, InitiativeStatus::kChangesRequested,
                 InitiativeStatus::kAdmitted, InitiativeStatus::kRejected,
                 InitiativeStatus::kSuspended, InitiativeStatus::kWithdrawn}) {
    if (InitiativeStatusName(s) == name) return s;
  }
  return std::nullopt;
}

}  // namespace ess::node
