#include "core/sha256.h"

namespace ess {

Sha256::Sha256() { crypto_hash_sha256_init(&state_); }

Sha256& Sha256::Add(ByteView bytes) {
  crypto_hash_sha256_update(&state_, bytes.data(), bytes.size());
  return *this;
}

Hash Sha256::Finish() {
  Hash out;
  crypto_hash_sha256_final(&state_, out.data());
  return out;
}

Hash Sha256Of(ByteView bytes) { return Sha256().Add(bytes).Finish(); }

}  // namespace ess
