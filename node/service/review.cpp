#include "node/service/review.h"

#include "node/service/journal.h"
#include "node/store/initiative_store.h"

namespace ess::node {

void OpenReview(pqxx::transaction_base& txn, const NodeContext& context, Initiative& initiative,
                ReviewReason reason, const std::string& actor, const std::string& detail) {
  StartReviewRound(initiative, reason);
  InitiativeStore store(txn);
  store.Save(initiative, InitiativeSearchText(initiative, context));
  store.AddEvent(initiative.id, {NowSeconds(context.clock), "review_opened", actor, detail});
}

bool OpenReportsReviewIfDue(pqxx::transaction_base& txn, const NodeContext& context,
                            Initiative& initiative, int open_reports, int threshold,
                            const std::string& actor) {
  if (initiative.under_review || initiative.status != InitiativeStatus::kAdmitted ||
      open_reports < threshold) {
    return false;
  }
  OpenReview(txn, context, initiative, ReviewReason::kReports, actor,
             std::to_string(open_reports) + " signalements");
  return true;
}

}  // namespace ess::node
