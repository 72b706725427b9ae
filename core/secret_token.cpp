#include "core/secret_token.h"

#include <array>

#include "core/sha256.h"

namespace ess {

std::string NewSecretToken() {
  std::array<std::uint8_t, 32> raw;
  RandomBytes(raw);
  return ToHex(raw);
}

Hash SecretTokenHash(std::string_view token) { return Sha256Of(token); }

bool IsWellFormedSecretToken(std::string_view token) {
  if (token.size() != 64) return false;
  for (char c : token) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

bool SecretTokensEqual(std::string_view a, std::string_view b) {
  // Compare digests so that the comparison's time depends on neither content nor length.
  Hash da = Sha256Of(a), db = Sha256Of(b);
  return ConstantTimeEqual(da, db);
}

}  // namespace ess
