#pragma once
// The one text rule (core/field_rules.h: CheckText, NormalizeText) as every entry path of the
// node applies it to what a person typed: the text normalised (CR LF to LF, white space at
// either end removed, runs of spaces in a single-line text made one), then checked, with a
// Failure naming the field in French when it breaks the rule. Lengths are the caller's, on
// the normalised text.

#include <optional>
#include <string>
#include <string_view>

#include "core/field_rules.h"
#include "node/domain/failure.h"

namespace ess::node {

// `out` receives the normalised text (empty if it was blank). Nullopt when it follows the
// rule; else an `invalid_text` Failure on `field`, its message naming `label`: « Le champ
// « nom » contient un caractère invisible ou de contrôle (U+202E). ».
std::optional<Failure> ReadEnteredText(std::string_view entered, TextKind kind,
                                       const std::string& field, std::string_view label,
                                       std::string& out);

}  // namespace ess::node
