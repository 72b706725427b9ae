#pragma once
// What a person types in a search box, as a PostgreSQL tsquery: the one builder of the node's
// and the hub's searches (no database here).
//
// The text is cut into words of ASCII letters and digits and of any non-ASCII byte (so
// accented letters stay in words); everything else separates words, so the result can never
// carry tsquery syntax (quotes, &, |, !, parentheses, :) and is safe to hand to to_tsquery.
// Words are kept in order, at most kMaxSearchWords of them, each cut to kMaxSearchWordBytes
// (never inside a UTF-8 sequence), quoted and joined with " & ".
//
// Prefix match on the last word only: it is the one the person may still be typing
// ("epicerie sol" -> "'epicerie' & 'sol':*"); the words before it are whole. A text ending
// in a separator ("jardin ") says the last word is complete too, so it gets no prefix; so
// does a text with more than kMaxSearchWords words (the kept last word is not the one typed).
// Returns nullopt when no word remains ("!!! ''").
//
// Synonyms (the referential's "synonyms", docs/referential.md): groups of words or phrases
// that a visitor may use for one another ("recyclerie", "ressourcerie"). Where the words typed
// are a phrase of a group (folded as core/text_fold.h folds: accents and case ignored; the
// longest phrase first), they become one OR of the words as typed and every phrase of the
// group, a phrase's words joined with <-> (one after the other):
//   "repair café" -> "('repair' <-> 'café':* | 'réparation' | 'atelier' <-> 'de' <->
//   'réparation')".
// The typed words keep the prefix rule; the group's phrases are whole.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ess {

inline constexpr std::size_t kMaxSearchWords = 16;
inline constexpr std::size_t kMaxSearchWordBytes = 50;

// One group of synonyms: words or phrases ("repair café"), at least two.
using SynonymGroup = std::vector<std::string>;

std::optional<std::string> PrefixTsQuery(std::string_view text,
                                         std::span<const SynonymGroup> synonyms = {});

}  // namespace ess
