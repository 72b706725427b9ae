#pragma once
// The rules of a new staff password (core/password_rules.h, shared with the hub's pilot
// accounts) as the node's services refuse a request: a Failure on the input field.

#include <optional>
#include <string_view>

#include "core/password_rules.h"
#include "node/domain/failure.h"

namespace ess::node {

// kInvalid `weak_password` on `field` when `password` breaks a rule (core's
// WeakPasswordReason); nullopt when it is acceptable. Throws as WeakPasswordReason does.
std::optional<Failure> CheckNewPassword(std::string_view password, std::string_view email,
                                        std::string_view display_name, const char* field);

}  // namespace ess::node
