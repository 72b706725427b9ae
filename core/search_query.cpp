#include "core/search_query.h"

#include <algorithm>

#include "core/text_fold.h"

namespace ess {

namespace {

bool IsWordByte(char ch) {
  const auto c = static_cast<unsigned char>(ch);
  return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// The first `max_bytes` bytes of `word`, less a UTF-8 sequence the cut would split.
std::string CutUtf8(std::string_view word, std::size_t max_bytes) {
  if (word.size() <= max_bytes) return std::string(word);
  std::size_t end = max_bytes;
  // `end` must not fall on a continuation byte (10xxxxxx): back up to the sequence's start.
  while (end > 0 && (static_cast<unsigned char>(word[end]) & 0xC0) == 0x80) --end;
  return std::string(word.substr(0, end));
}

struct Words {
  std::vector<std::string> words;
  bool last_word_kept = false;  // the text's last word is the last of `words`
};

Words SplitWords(std::string_view text) {
  Words out;
  std::size_t at = 0;
  while (at < text.size()) {
    if (!IsWordByte(text[at])) {
      ++at;
      continue;
    }
    std::size_t end = at;
    while (end < text.size() && IsWordByte(text[end])) ++end;
    out.last_word_kept = false;
    if (out.words.size() < kMaxSearchWords) {
      std::string word = CutUtf8(text.substr(at, end - at), kMaxSearchWordBytes);
      if (!word.empty()) {
        out.words.push_back(std::move(word));
        out.last_word_kept = true;
      }
    }
    at = end;
  }
  return out;
}

std::vector<std::string> Folded(std::span<const std::string> words) {
  std::vector<std::string> out;
  for (const auto& w : words) out.push_back(FoldForSearch(w));
  return out;
}

// 'a' <-> 'b' <-> 'c'
std::string Phrase(std::span<const std::string> words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "'" : " <-> '") + w + "'";
  return out;
}

struct GroupPhrase {
  std::vector<std::string> words, folded;
};

}  // namespace

std::optional<std::string> PrefixTsQuery(std::string_view text,
                                         std::span<const SynonymGroup> synonyms) {
  const Words typed = SplitWords(text);
  const auto& words = typed.words;
  if (words.empty()) return std::nullopt;
  const bool prefix = typed.last_word_kept && IsWordByte(text.back());
  std::vector<std::vector<GroupPhrase>> groups;
  for (const auto& group : synonyms) {
    auto& phrases = groups.emplace_back();
    for (const auto& phrase : group) {
      Words split = SplitWords(phrase);
      if (split.words.empty()) continue;
      auto folded = Folded(split.words);
      phrases.push_back({std::move(split.words), std::move(folded)});
    }
  }
  const std::vector<std::string> folded = Folded(words);
  std::string out;
  for (std::size_t i = 0; i < words.size();) {
    // The longest phrase of a group that the words from i are, and every group holding it.
    std::size_t length = 0;
    std::vector<std::size_t> matched;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      for (const auto& phrase : groups[g]) {
        const std::size_t n = phrase.folded.size();
        if (n < length || i + n > words.size() ||
            !std::equal(phrase.folded.begin(), phrase.folded.end(), folded.begin() + i)) {
          continue;
        }
        if (n > length) matched.clear();
        length = n;
        if (matched.empty() || matched.back() != g) matched.push_back(g);
      }
    }
    const bool last = i + std::max<std::size_t>(length, 1) == words.size();
    const std::string suffix = last && prefix ? ":*" : "";
    out += out.empty() ? "" : " & ";
    if (length == 0) {
      out += "'" + words[i] + "'" + suffix;
      ++i;
      continue;
    }
    const std::span<const std::string> typed_words(words.data() + i, length);
    std::vector<std::vector<std::string>> seen = {Folded(typed_words)};
    std::string alternatives = Phrase(typed_words) + suffix;
    for (std::size_t g : matched) {
      for (const auto& phrase : groups[g]) {
        if (std::find(seen.begin(), seen.end(), phrase.folded) != seen.end()) continue;
        seen.push_back(phrase.folded);
        alternatives += " | " + Phrase(phrase.words);
      }
    }
    out += "(" + alternatives + ")";
    i += length;
  }
  return out;
}

}  // namespace ess
