#pragma once
// The words an initiative is found by besides its name, commune name and description, the
// same on the node and at the hub: the labels of its activities (the code when the
// referential has no label for it), the titles of its offers and its postcode (a visitor
// types "13001"). Both stores index them with weight B, beside the commune name.

#include <span>
#include <string>
#include <string_view>

#include "core/referential.h"

namespace ess {

// "label label title title postcode " (each followed by a space). The postcode is the
// record's, else its commune's when the referential gives the commune exactly one (a town of
// several postcodes, Marseille's 16, says nothing of which). `referential` may be null (a node
// that has not received one yet): activity codes are used then, and no commune postcode.
std::string InitiativeSearchWords(std::span<const std::string> activities,
                                  std::span<const std::string> offer_titles,
                                  std::string_view postcode, std::string_view commune,
                                  const Referential* referential);

}  // namespace ess
