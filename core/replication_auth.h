#pragma once
// How a replication stream proves it speaks for a region (docs/protocol.md section 7.1): the hub
// sends a fresh random challenge, the node signs this message with the region's key:
//
//   "ess-federation/sync-auth/v1\n" <region origin> "\n" <hub name> "\n"
//   <base64(challenge, 32 bytes)> "\n"
//
// and answers key id (4 bytes, big-endian, as in signed notes) || Ed25519 signature (64).
// The first line is a context string that is no region's origin, so the signature can never
// be taken for a checkpoint signature (a checkpoint's first line is the region's origin).
//
// A node that rotated its key signs with the new key before the hub has stored the rotation:
// it then sends the key_rotation record with its proof (core/verify.h RecordProof, in a
// checkpoint signed by a key the hub knows), which vouches for the new key.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/ed25519.h"
#include "core/region_keys.h"
#include "core/verdict.h"
#include "core/verify.h"

namespace ess {

inline constexpr std::string_view kReplicationAuthContext = "ess-federation/sync-auth/v1";
inline constexpr std::size_t kReplicationChallengeSize = 32;
inline constexpr std::size_t kReplicationAuthSignatureSize = 4 + kEd25519SignatureSize;
using ReplicationChallenge = std::array<std::uint8_t, kReplicationChallengeSize>;

// A new challenge from libsodium's CSPRNG.
ReplicationChallenge NewReplicationChallenge();

// The message signed for `challenge` (above). `hub_name` must be a valid key name.
std::string ReplicationAuthMessage(std::string_view region_origin, std::string_view hub_name,
                                   const ReplicationChallenge& challenge);

// The answer of the key named `region_origin` held by `signer`.
Bytes SignReplicationChallenge(std::string_view region_origin, const Ed25519Signer& signer,
                               std::string_view hub_name, const ReplicationChallenge& challenge);

// Checks an answer against the region's key ring. Any key of the ring that is not revoked may
// answer, or the next key named by `rotation`, a key_rotation record of `region` whose proof
// verifies against the ring. kMalformed (wrong size), kUnknownKey, kRevokedKey,
// kBadSignature, or the verdict of the rotation's proof.
Verdict VerifyReplicationAuth(const RegionKeyRing& keys, std::string_view region,
                              std::string_view hub_name, const ReplicationChallenge& challenge,
                              ByteView answer, const RecordProof* rotation = nullptr);

}  // namespace ess
