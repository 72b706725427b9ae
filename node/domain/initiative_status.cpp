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

std::string_view ReviewReasonName(ReviewReason reason) {
  switch (reason) {
    case ReviewReason::kNone: return "";
    case ReviewReason::kSubmission: return "submission";
    case ReviewReason::kChangesMade: return "changes_made";
    case ReviewReason::kEditProposed: return "edit_proposed";
    case ReviewReason::kReports: return "reports";
    case ReviewReason::kChair: return "chair";
    case ReviewReason::kImport: return "import";
  }
  return "";
}

std::optional<ReviewReason> ReviewReasonFromName(std::string_view name) {
  for (auto r : {ReviewReason::kNone, ReviewReason::kSubmission, ReviewReason::kChangesMade,
                 ReviewReason::kEditProposed, ReviewReason::kReports, ReviewReason::kChair,
                 ReviewReason::kImport}) {
    if (ReviewReasonName(r) == name) return r;
  }
  return std::nullopt;
}

void StartReviewRound(Initiative& initiative, ReviewReason reason) {
  initiative.review_round += 1;
  initiative.under_review = true;
  initiative.review_reason = reason;
}

}  // namespace ess::node
