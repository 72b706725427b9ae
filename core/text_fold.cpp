#include "core/text_fold.h"

#include <cctype>
#include <optional>

namespace ess {

namespace {

// ASCII spelling of U+00C0..U+00FF (Latin-1 letters); empty for the two signs among them.
constexpr const char* kLatin1[64] = {"a", "a", "a", "a", "a", "a", "ae", "c",
                                     "e", "e", "e", "e", "i", "i", "i",  "i",  // C0..CF
                                     "d", "n", "o", "o", "o", "o", "o",  "",
                                     "o", "u", "u", "u", "u", "y", "th", "ss",  // D0..DF (D7 ×)
                                     "a", "a", "a", "a", "a", "a", "ae", "c",
                                     "e", "e", "e", "e", "i", "i", "i",  "i",  // E0..EF
                                     "d", "n", "o", "o", "o", "o", "o",  "",
                                     "o", "u", "u", "u", "u", "y", "th", "y"};  // F0..FF (F7 ÷)

// Decodes one UTF-8 code point at text[i] (advancing i); nullopt for a bad sequence (one
// byte skipped).
std::optional<char32_t> NextCodePoint(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = byte(i);
  int length = b0 < 0x80           ? 1
               : (b0 >> 5) == 0x6  ? 2
               : (b0 >> 4) == 0xE  ? 3
               : (b0 >> 3) == 0x1E ? 4
                                   : 0;
  if (length == 0 || i + static_cast<std::size_t>(length) > text.size()) {
    ++i;
    return std::nullopt;
  }
  char32_t cp = length == 1   ? b0
                : length == 2 ? (b0 & 0x1F)
                : length == 3 ? (b0 & 0x0F)
                              : (b0 & 0x07);
  for (int k = 1; k < length; ++k) {
    const unsigned char b = byte(i + static_cast<std::size_t>(k));
    if ((b >> 6) != 0x2) {
      ++i;
      return std::nullopt;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  i += static_cast<std::size_t>(length);
  return cp;
}

}  // namespace

std::string FoldForSearch(std::string_view text) {
  std::string out;
  bool pending_space = false;
  auto put = [&](std::string_view piece) {
    if (pending_space && !out.empty()) out.push_back(' ');
    pending_space = false;
    out.append(piece);
  };
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t start = i;
    auto cp = NextCodePoint(text, i);
    if (!cp) continue;
    if (*cp < 0x80) {
      const char c = static_cast<char>(*cp);
      if (std::isalnum(static_cast<unsigned char>(c))) {
        const char lower = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        put(std::string_view(&lower, 1));
      } else {
        pending_space = true;
      }
    } else if (*cp >= 0xC0 && *cp <= 0xFF) {
      const char* ascii = kLatin1[*cp - 0xC0];
      if (*ascii) {
        put(ascii);
      } else {
        pending_space = true;
      }
    } else if (*cp == 0x152 || *cp == 0x153) {
      put("oe");
    } else if (*cp == 0x178) {
      put("y");
    } else if (*cp < 0xC0 || (*cp >= 0x2000 && *cp <= 0x206F)) {
      pending_space = true;  // Latin-1 signs, general punctuation (’ – …)
    } else {
      put(text.substr(start, i - start));
    }
  }
  return out;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

}  // namespace ess
