#include "node/domain/initiative_draft.h"

#include <utility>

namespace ess::node {

std::string_view DraftFieldLabel(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"name", "nom"},
      {"family", "famille"},
      {"legal_form", "forme juridique"},
      {"description", "description"},
      {"address", "adresse"},
      {"postcode", "code postal"},
      {"commune", "commune"},
      {"department", "département"},
      {"region", "région"},
      {"latitude", "latitude"},
      {"longitude", "longitude"},
      {"email", "courriel"},
      {"phone", "téléphone"},
      {"website", "site web"},
      {"siret", "SIRET"},
      {"offers.title", "intitulé de l'offre"},
      {"offers.description", "description de l'offre"},
      {"offers.conditions", "conditions"},
      {"offers.lead_time", "délai"},
      {"offers.guarantees", "garanties"},
      {"private.contact_name", "nom du contact"},
      {"private.contact_email", "courriel du contact"},
      {"private.contact_phone", "téléphone du contact"},
  };
  for (const auto& [k, label] : kLabels) {
    if (k == key) return label;
  }
  return {};
}

}  // namespace ess::node
