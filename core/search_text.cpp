#include "core/search_text.h"

namespace ess {

std::string InitiativeSearchWords(std::span<const std::string> activities,
                                  std::span<const std::string> offer_titles,
                                  std::string_view postcode, std::string_view commune,
                                  const Referential* referential) {
  std::string out;
  for (const auto& code : activities) {
    const ReferentialEntry* entry = referential ? referential->Activity(code) : nullptr;
    out += (entry ? entry->label : code) + " ";
  }
  for (const auto& title : offer_titles) out += title + " ";
  if (!postcode.empty()) {
    out += std::string(postcode) + " ";
  } else if (const Commune* c = referential ? referential->FindCommune(commune) : nullptr;
             c && c->postcodes.size() == 1) {
    out += c->postcodes.front() + " ";
  }
  return out;
}

}  // namespace ess
