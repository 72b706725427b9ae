#include "core/search_query.h"

#include <vector>

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

}  // namespace

std::optional<std::string> PrefixTsQuery(std::string_view text) {
  std::vector<std::string> words;
  bool last_word_kept = false;  // the text's last word is the last of `words`
  std::size_t at = 0;
  while (at < text.size()) {
    if (!IsWordByte(text[at])) {
      ++at;
      continue;
    }
    std::size_t end = at;
    while (end < text.size() && IsWordByte(text[end])) ++end;
    last_word_kept = false;
    if (words.size() < kMaxSearchWords) {
      std::string word = CutUtf8(text.substr(at, end - at), kMaxSearchWordBytes);
      if (!word.empty()) {
        words.push_back(std::move(word));
        last_word_kept = true;
      }
    }
    at = end;
  }
  if (words.empty()) return std::nullopt;
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "'" : " & '") + w + "'";
  if (last_word_kept && IsWordByte(text.back())) out += ":*";
  return out;
}

}  // namespace ess
