#pragma once
// The words an initiative is found by besides its name, commune name and description, the
// same on the node and at the hub: the labels of its activities (the code when the
// referential has no label for it) and the titles of its offers. Both stores index them with
// weight B, beside the commune name.

#include <span>
#include <string>

#include "core/referential.h"

namespace ess {

// "label label title title " (each followed by a space). `referential` may be null (a node
// that has not received one yet): the codes are used then.
std::string InitiativeSearchWords(std::span<const std::string> activities,
                                  std::span<const std::string> offer_titles,
                                  const Referential* referential);

}  // namespace ess
