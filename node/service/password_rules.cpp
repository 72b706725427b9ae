#include "node/service/password_rules.h"

namespace ess::node {

std::optional<Failure> CheckNewPassword(std::string_view password, std::string_view email,
                                        std::string_view display_name, const char* field) {
  auto reason = WeakPasswordReason(password, email, display_name);
  if (!reason) return std::nullopt;
  return Failure::Invalid("weak_password", std::move(*reason), field);
}

}  // namespace ess::node
