#include "core/search_text.h"

namespace ess {

std::string InitiativeSearchWords(std::span<const std::string> activities,
                                  std::span<const std::string> offer_titles,
                                  const Referential* referential) {
  std::string out;
  for (const auto& code : activities) {
    const ReferentialEntry* entry = referential ? referential->Activity(code) : nullptr;
    out += (entry ? entry->label : code) + " ";
  }
  for (const auto& title : offer_titles) out += title + " ";
  return out;
}

}  // namespace ess
