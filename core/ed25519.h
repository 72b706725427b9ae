#pragma once
// Ed25519 (RFC 8032) signatures via libsodium, and the signed-note key strings
// (golang.org/x/mod/sumdb/note) used to publish and enrol a region's key:
//   verifier key: "<name>+<key id, 8 hex>+<base64(0x01 || public key)>"
//   signer key:   "PRIVATE+KEY+<name>+<key id, 8 hex>+<base64(0x01 || seed)>"
// Key id = first 4 bytes (big-endian uint32) of SHA-256(name || 0x0A || 0x01 || public key).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"

namespace ess {

inline constexpr std::size_t kEd25519SeedSize = 32;
inline constexpr std::size_t kEd25519PublicKeySize = 32;
inline constexpr std::size_t kEd25519SignatureSize = 64;
inline constexpr std::uint8_t kEd25519SignatureType = 0x01;  // signed-note algorithm byte

using Ed25519Seed = std::array<std::uint8_t, kEd25519SeedSize>;
using Ed25519PublicKey = std::array<std::uint8_t, kEd25519PublicKeySize>;
using Ed25519Signature = std::array<std::uint8_t, kEd25519SignatureSize>;

// Calls sodium_init() once; throws std::runtime_error if libsodium cannot start.
void EnsureSodium();

// A private signing key. The seed is the secret; keep it out of logs.
class Ed25519Signer {
 public:
  static Ed25519Signer FromSeed(const Ed25519Seed& seed);
  static Ed25519Signer Generate();
  ~Ed25519Signer();
  Ed25519Signer(const Ed25519Signer&);
  Ed25519Signer& operator=(const Ed25519Signer&);

  const Ed25519PublicKey& public_key() const { return public_key_; }
  const Ed25519Seed& seed() const { return seed_; }
  Ed25519Signature Sign(ByteView message) const;

 private:
  Ed25519Signer() = default;
  Ed25519Seed seed_{};
  Ed25519PublicKey public_key_{};
  std::array<std::uint8_t, 64> secret_key_{};  // libsodium's seed || public key form
};

bool Ed25519Verify(const Ed25519PublicKey& key, ByteView message, const Ed25519Signature& sig);

// Signed-note key name rule: non-empty, no Unicode space, no '+'.
bool IsValidKeyName(std::string_view name);
std::uint32_t NoteKeyId(std::string_view name, std::uint8_t signature_type, ByteView public_key);

struct VerifierKey {
  std::string name;
  std::uint32_t key_id = 0;
  Ed25519PublicKey public_key{};
};

std::string FormatVerifierKey(std::string_view name, const Ed25519PublicKey& key);
// nullopt on a bad format, an unknown algorithm or a key id that does not match.
std::optional<VerifierKey> ParseVerifierKey(std::string_view text);
// A key as a signed record must carry it: one that parses and is written as FormatVerifierKey
// writes it (its key id in lower case; ParseVerifierKey reads either case, as Go's note does).
bool IsCanonicalVerifierKey(std::string_view text);

std::string FormatSignerKey(std::string_view name, const Ed25519Signer& signer);
struct NamedSigner {
  std::string name;
  Ed25519Signer signer;
};
std::optional<NamedSigner> ParseSignerKey(std::string_view text);

// A short fingerprint for people to compare out of band: SHA-256 of the public key, first
// 16 bytes, hex in groups of 4 ("a1b2:c3d4:...").
std::string KeyFingerprint(const Ed25519PublicKey& key);

}  // namespace ess
