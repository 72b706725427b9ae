#pragma once
// The salted commitment an entry holds instead of its payload:
//   commitment = SHA-256("ess-federation/payload/v1" || 0x00 || salt || payload)
// with a fresh 32-byte random salt per entry. Payload and salt are stored and replicated
// beside the entry. Erasure deletes both; the entry (and so the tree and every proof)
// stays valid, and without the salt nobody can test a guess of the erased payload.

#include <array>
#include <string_view>

#include "core/bytes.h"

namespace ess {

inline constexpr std::string_view kPayloadCommitmentContext = "ess-federation/payload/v1";
inline constexpr std::size_t kSaltSize = 32;
using Salt = std::array<std::uint8_t, kSaltSize>;

Salt NewSalt();
Hash PayloadCommitment(const Salt& salt, ByteView payload);

}  // namespace ess
