#include "node/domain/initiative_draft.h"

#include <utility>

namespace ess::node {

std::string_view DraftFieldLabel(std::string_view key) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"name", "Nom"},
      {"family", "Famille de l'ESS"},
      {"legal_form", "Forme juridique"},
      {"activities", "Activités"},
      {"description", "Description"},
      {"address", "Adresse"},
      {"postcode", "Code postal"},
      {"commune", "Commune"},
      {"department", "Département"},
      {"region", "Région"},
      {"latitude", "Latitude"},
      {"longitude", "Longitude"},
      {"email", "Courriel"},
      {"phone", "Téléphone"},
      {"website", "Site web"},
      {"siret", "SIRET"},
      {"employer", "Employeur"},
      {"offers.title", "Intitulé"},
      {"offers.description", "Description"},
      {"offers.conditions", "Conditions de fourniture"},
      {"offers.lead_time", "Délai de livraison"},
      {"offers.guarantees", "Garanties éthiques"},
      {"private.contact_name", "Nom du contact"},
      {"private.contact_email", "Courriel du contact"},
      {"private.contact_phone", "Téléphone du contact"},
  };
  for (const auto& [k, label] : kLabels) {
    if (k == key) return label;
  }
  return {};
}

}  // namespace ess::node
