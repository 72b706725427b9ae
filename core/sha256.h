#pragma once
// SHA-256 (libsodium). The only hash function of the federation's formats.

#include "core/bytes.h"

#include <sodium.h>

namespace ess {

// Incremental SHA-256: Add() pieces, then Finish() once.
class Sha256 {
 public:
  Sha256();
  Sha256& Add(ByteView bytes);
  Sha256& Add(std::string_view text) { return Add(AsBytes(text)); }
  Sha256& Add(std::uint8_t byte) { return Add(ByteView(&byte, 1)); }
  Hash Finish();

 private:
  crypto_hash_sha256_state state_;
};

Hash Sha256Of(ByteView bytes);
inline Hash Sha256Of(std::string_view text) { return Sha256Of(AsBytes(text)); }

}  // namespace ess
