#pragma once
// A staff account (an admin or a committee member; node/sql/010_accounts.sql) and the
// principal: who is calling, once their session checked out (node/service/account_service.h).

#include <optional>
#include <string>

#include "node/domain/committee_member.h"

namespace ess::node {

struct Account {
  std::string account_id;
  std::string email;  // lower-cased
  std::string display_name;
  std::string password_hash;
  std::string role;  // "admin" or "committee"
  bool active = true;
};

struct Principal {
  Account account;
  std::optional<CommitteeMember> member;  // for committee accounts
  std::string csrf_token;

  bool IsAdmin() const { return account.role == "admin"; }
  bool IsActiveMember() const { return member && member->active; }
  bool IsChair() const { return IsActiveMember() && member->role == "chair"; }
  // How the history names this actor: "admin:<email>" or "member:<member id>".
  std::string Actor() const {
    return member ? "member:" + member->member_id : "admin:" + account.email;
  }
};

}  // namespace ess::node
