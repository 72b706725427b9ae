#include "node/domain/charter.h"

#include <nlohmann/json.hpp>

#include "core/field_rules.h"

namespace ess::node {

std::optional<Failure> CheckCharterDraft(const std::string& text, int readhesion_days) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Failure::Invalid("required", "Le texte de la charte est obligatoire.", "text");
  }
  if (TextCheck check = CheckText(text, TextKind::kMultiLine); !check.ok()) {
    return Failure::Invalid("invalid_text", TextFaultMessage(check, "texte de la charte"), "text");
  }
  if (text.size() > kCharterTextMax) {
    return Failure::Invalid("too_long", "Le texte de la charte dépasse 60 000 octets.", "text");
  }
  if (readhesion_days < 1 || readhesion_days > 730) {
    return Failure::Invalid("out_of_range", "Le délai de ré-adhésion doit être de 1 à 730 jours.", "readhesion_days");
  }
  return std::nullopt;
}

bool ReadhesionAsked(const Initiative& initiative, const CharterVersion& current) {
  if (current.version == 0 || initiative.charter_version >= current.version) return false;
  switch (initiative.status) {
    case InitiativeStatus::kPending:
    case InitiativeStatus::kChangesRequested:
    case InitiativeStatus::kAdmitted:
    case InitiativeStatus::kSuspended:
      return true;
    default:
      return false;
  }
}

bool ReadhesionDue(const Initiative& initiative, const CharterVersion& current, UnixSeconds now) {
  return ReadhesionAsked(initiative, current) &&
         now >= current.published_at + current.readhesion_days * kSecondsPerDay;
}

std::string CharterVersionPayload(const CharterVersion& c) {
  return nlohmann::json{{"version", c.version},
                        {"text", c.text},
                        {"published_at", FormatRfc3339(c.published_at)},
                        {"readhesion_days", c.readhesion_days}}
      .dump();
}

}  // namespace ess::node
