#pragma once
// Text as people type it, folded for matching names and words: the one fold of the node's
// commune box, the places search (core/place_finder.h) and the synonyms of the search
// (core/search_query.h).

#include <string>
#include <string_view>

namespace ess {

// Lower case, accents removed (é -> e, ç -> c, œ -> oe, ß -> ss), every run of other
// characters (spaces, hyphens, apostrophes, punctuation) turned into one space, trimmed.
// "Saint-Étienne-du-Grès" -> "saint etienne du gres". Characters outside Latin-1 and œ/Œ/Ÿ
// are kept as they are; a bad UTF-8 sequence is skipped.
std::string FoldForSearch(std::string_view text);

// ASCII letters in lower case, every other byte as it is: for what is compared without case
// but never folded (email addresses, header names, codes).
std::string AsciiLower(std::string_view text);

}  // namespace ess
