#include "node/domain/entered_text.h"

namespace ess::node {

std::optional<Failure> ReadEnteredText(std::string_view entered, TextKind kind,
                                       const std::string& field, std::string_view label,
                                       std::string& out) {
  out = NormalizeText(entered, kind);
  if (TextCheck check = CheckText(out, kind); !check.ok()) {
    return Failure::Invalid("invalid_text", TextFaultMessage(check, label), field);
  }
  return std::nullopt;
}

}  // namespace ess::node
