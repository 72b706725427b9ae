#pragma once
// The keys a region has signed with, and which log indexes each may sign.
//
// Validity is a range of log indexes [valid_from_index, valid_until_index), never a time:
// a checkpoint of size n is acceptable from a key whose range holds n - 1 (the last entry
// it covers; index 0 for the empty tree). A rotation closes the current key's range at the
// new key's first index. A revoked key signs nothing any more.
//
// Key rotation is itself a log entry (kind key_rotation), whose payload names the next key
// and the index it signs from; the checkpoint covering that entry is signed by the old key.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/ed25519.h"
#include "core/verdict.h"

namespace ess {

struct RegionKey {
  VerifierKey key;
  std::uint64_t valid_from_index = 0;
  std::optional<std::uint64_t> valid_until_index;  // exclusive; none = current key
  bool revoked = false;

  bool Covers(std::uint64_t index) const {
    return index >= valid_from_index && (!valid_until_index || index < *valid_until_index);
  }
};

class RegionKeyRing {
 public:
  explicit RegionKeyRing(std::string origin) : origin_(std::move(origin)) {}

  const std::string& origin() const { return origin_; }
  const std::vector<RegionKey>& keys() const { return keys_; }

  // Refused (kMalformed / kWrongRegion) if the key name is not the origin or the key id is
  // already on the ring.
  Verdict Add(RegionKey key);
  const RegionKey* FindByKeyId(std::uint32_t key_id) const;
  // The key whose range holds `index`, if any (revoked or not).
  const RegionKey* KeyFor(std::uint64_t index) const;
  // False if no such key.
  bool Revoke(std::uint32_t key_id);
  // Closes the range of the key covering `from_index` and adds `next` valid from there.
  Verdict Rotate(const VerifierKey& next, std::uint64_t from_index);

 private:
  std::string origin_;
  std::vector<RegionKey> keys_;
};

// Payload of a key_rotation entry, JSON: {"next_key": "<verifier key>", "from_index": n}.
struct KeyRotation {
  VerifierKey next_key;
  std::uint64_t from_index = 0;
};
std::string EncodeKeyRotation(const KeyRotation& rotation);
// kPayloadInvalid with the reason when the payload is not a valid rotation.
Verdict DecodeKeyRotation(ByteView payload, KeyRotation& out);

}  // namespace ess
