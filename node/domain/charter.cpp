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

std::optional<Failure> CheckCharterChanged(const std::string& text,
                                           const std::optional<CharterVersion>& current) {
  if (current && current->text == text) {
    return Failure::Invalid("unchanged",
                            "Ce texte est celui de la version en vigueur (version " +
                                std::to_string(current->version) +
                                ") : modifiez-le avant de publier une nouvelle version.",
                            "text");
  }
  return std::nullopt;
}

std::optional<Failure> CheckPublicationConfirmed(const std::optional<int>& confirmed, int listings,
                                                 bool has_current) {
  if (!has_current) return std::nullopt;
  if (!confirmed) {
    return Failure::Invalid("confirmation_required",
                            "Prévisualisez la nouvelle version et confirmez le nombre de fiches "
                            "qui devront adhérer de nouveau avant de la publier.",
                            "confirm_listings");
  }
  if (*confirmed != listings) {
    Failure f = Failure::Of(
        FailureKind::kConflict, "readhesion_count_changed",
        "Le nombre de fiches à faire adhérer de nouveau a changé depuis la prévisualisation (" +
            std::to_string(*confirmed) + " confirmées, " + std::to_string(listings) +
            " maintenant) : prévisualisez de nouveau et confirmez.");
    f.field = "confirm_listings";
    return f;
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
