#pragma once
// France's 18 regions (INSEE codes, 2016 map): the log of each is one federation region.

#include <string_view>

namespace ess {

struct RegionInfo {
  std::string_view code;  // INSEE region code, e.g. "93"
  std::string_view name;  // French name
};

inline constexpr RegionInfo kRegions[] = {
    {"01", "Guadeloupe"},
    {"02", "Martinique"},
    {"03", "Guyane"},
    {"04", "La Réunion"},
    {"06", "Mayotte"},
    {"11", "Île-de-France"},
    {"24", "Centre-Val de Loire"},
    {"27", "Bourgogne-Franche-Comté"},
    {"28", "Normandie"},
    {"32", "Hauts-de-France"},
    {"44", "Grand Est"},
    {"52", "Pays de la Loire"},
    {"53", "Bretagne"},
    {"75", "Nouvelle-Aquitaine"},
    {"76", "Occitanie"},
    {"84", "Auvergne-Rhône-Alpes"},
    {"93", "Provence-Alpes-Côte d'Azur"},
    {"94", "Corse"},
};

// nullptr if `code` is not one of the 18 region codes.
inline const RegionInfo* FindRegion(std::string_view code) {
  for (const auto& r : kRegions) {
    if (r.code == code) return &r;
  }
  return nullptr;
}

}  // namespace ess
