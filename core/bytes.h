#pragma once
// Byte strings and their text forms. Everything hashed or signed in the federation is a
// byte string; hex is for people and test vectors, base64 (standard alphabet, padded) is
// what the C2SP note formats use.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ess {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

inline constexpr std::size_t kHashSize = 32;
// A SHA-256 digest.
using Hash = std::array<std::uint8_t, kHashSize>;

inline ByteView AsBytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
inline std::string AsString(ByteView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}
inline Bytes ToBytes(std::string_view s) {
  auto v = AsBytes(s);
  return {v.begin(), v.end()};
}

// Lower-case hex.
std::string ToHex(ByteView bytes);
// Accepts upper or lower case; nullopt on odd length or a non-hex character.
std::optional<Bytes> FromHex(std::string_view hex);
// Exactly 64 hex digits, else nullopt.
std::optional<Hash> HashFromHex(std::string_view hex);

// Standard base64 with padding (RFC 4648 section 4).
std::string ToBase64(ByteView bytes);
// Strict: rejects missing padding, whitespace and other alphabets.
std::optional<Bytes> FromBase64(std::string_view text);

// Constant-time comparison of equal-length secrets (tokens, MACs).
bool ConstantTimeEqual(ByteView a, ByteView b);

// Fills `out` with cryptographically secure random bytes.
void RandomBytes(std::span<std::uint8_t> out);

}  // namespace ess
