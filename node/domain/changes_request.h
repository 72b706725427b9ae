#pragma once
// The committee's request for changes as the owner reads it (issue 15, point 3): when the
// committee decides "request_changes" on an initiative or on its edit proposal, the owner's
// page (GET /api/initiatives/{id}/owner) and the message sent show the reasons given by the
// members who voted for it, in their words. Members are not named: the region journals
// votes under member ids and colleges, never names, and the owner sees no more than that
// (no id, no college either).

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "node/domain/decision_rule.h"
#include "node/domain/time_format.h"

namespace ess::node {

struct ChangesRequest {
  // What was sent back: "initiative" (the record, status changes_requested) or
  // "edit_proposal" (its edit proposal, state changes_requested; the record stays published).
  std::string subject;
  UnixSeconds requested_at = 0;
  std::vector<std::string> reasons;  // one per vote for request_changes, in the order cast
};

// The reasons of the votes for request_changes, in order; other votes are left out.
std::vector<std::string> RequestChangesReasons(std::span<const CastVote> votes);
// The same from a decision's stored votes (CastVotesJson's form); an entry that is not an
// object with a "vote" and a "reason" text is left out.
std::vector<std::string> RequestChangesReasons(const nlohmann::json& votes);

}  // namespace ess::node
