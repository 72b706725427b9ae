#include "node/domain/changes_request.h"

namespace ess::node {

std::vector<std::string> RequestChangesReasons(std::span<const CastVote> votes) {
  std::vector<std::string> out;
  for (const CastVote& v : votes) {
    if (v.choice == VoteChoice::kRequestChanges) out.push_back(v.reason);
  }
  return out;
}

std::vector<std::string> RequestChangesReasons(const nlohmann::json& votes) {
  std::vector<std::string> out;
  if (!votes.is_array()) return out;
  const std::string wanted(VoteChoiceName(VoteChoice::kRequestChanges));
  for (const auto& v : votes) {
    if (!v.is_object()) continue;
    auto vote = v.find("vote");
    auto reason = v.find("reason");
    if (vote == v.end() || reason == v.end() || !vote->is_string() || !reason->is_string())
      continue;
    if (vote->get<std::string>() == wanted) out.push_back(reason->get<std::string>());
  }
  return out;
}

}  // namespace ess::node
