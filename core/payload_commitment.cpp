#include "core/payload_commitment.h"

#include "core/sha256.h"

namespace ess {

Salt NewSalt() {
  Salt salt;
  RandomBytes(salt);
  return salt;
}

Hash PayloadCommitment(const Salt& salt, ByteView payload) {
  return Sha256()
      .Add(kPayloadCommitmentContext)
      .Add(std::uint8_t{0})
      .Add(ByteView(salt))
      .Add(payload)
      .Finish();
}

}  // namespace ess
