#pragma once
// Opening a committee review round of an initiative: the one operation every workflow uses
// (reports reaching the threshold, the chair, an edit proposal's turn). Opening a review
// changes nothing public, so nothing is journalled.

#include <string>

#include <pqxx/pqxx>

#include "node/domain/initiative.h"
#include "node/service/node_context.h"

namespace ess::node {

// StartReviewRound(initiative, reason), saves the row and records the event "review_opened"
// by `actor` with `detail`, in `txn`.
void OpenReview(pqxx::transaction_base& txn, const NodeContext& context, Initiative& initiative,
                ReviewReason reason, const std::string& actor, const std::string& detail);

// Opens a review for reports (detail "<n> signalements") when an admitted initiative not
// under review has `open_reports` at or above the region's `threshold`. True if it did.
bool OpenReportsReviewIfDue(pqxx::transaction_base& txn, const NodeContext& context,
                            Initiative& initiative, int open_reports, int threshold,
                            const std::string& actor);

}  // namespace ess::node
