#pragma once
// A member of the region's committee: an account (its name and email) in one stakeholder
// college, as a plain member or the chair. Stored by node/store/committee_store.h.

#include <string>

namespace ess::node {

struct CommitteeMember {
  std::string member_id;
  std::string account_id;
  std::string name;   // from the account; never journalled
  std::string email;  // from the account; never journalled
  std::string college;
  std::string role;  // "member" or "chair"
  bool active = true;
};

}  // namespace ess::node
