#include "core/ed25519.h"

#include <sodium.h>

#include <cstdio>
#include <stdexcept>

#include "core/sha256.h"

namespace ess {

void EnsureSodium() {
  static const bool started = [] { return sodium_init() >= 0; }();
  if (!started) throw std::runtime_error("libsodium could not be initialised");
}

Ed25519Signer Ed25519Signer::FromSeed(const Ed25519Seed& seed) {
  EnsureSodium();
  Ed25519Signer s;
  s.seed_ = seed;
  crypto_sign_seed_keypair(s.public_key_.data(), s.secret_key_.data(), seed.data());
  return s;
}

Ed25519Signer Ed25519Signer::Generate() {
  EnsureSodium();
  Ed25519Seed seed;
  RandomBytes(seed);
  auto s = FromSeed(seed);
  sodium_memzero(seed.data(), seed.size());
  return s;
}

Ed25519Signer::~Ed25519Signer() {
  sodium_memzero(seed_.data(), seed_.size());
  sodium_memzero(secret_key_.data(), secret_key_.size());
}
Ed25519Signer::Ed25519Signer(const Ed25519Signer&) = default;
Ed25519Signer& Ed25519Signer::operator=(const Ed25519Signer&) = default;

Ed25519Signature Ed25519Signer::Sign(ByteView message) const {
  Ed25519Signature sig;
  crypto_sign_detached(sig.data(), nullptr, message.data(), message.size(), secret_key_.data());
  return sig;
}

bool Ed25519Verify(const Ed25519PublicKey& key, ByteView message, const Ed25519Signature& sig) {
  EnsureSodium();
  return crypto_sign_verify_detached(sig.data(), message.data(), message.size(), key.data()) == 0;
}

bool IsValidKeyName(std::string_view name) {
  if (name.empty()) return false;
  for (unsigned char c : name) {
    // ASCII space and controls, '+', and any byte of a multi-byte sequence that could be a
    // Unicode space are refused; names are ASCII in this federation.
    if (c <= 0x20 || c == '+' || c >= 0x7f) return false;
  }
  return true;
}

std::uint32_t NoteKeyId(std::string_view name, std::uint8_t signature_type, ByteView public_key) {
  Hash h = Sha256().Add(name).Add(std::uint8_t{'\n'}).Add(signature_type).Add(public_key).Finish();
  return std::uint32_t{h[0]} << 24 | std::uint32_t{h[1]} << 16 | std::uint32_t{h[2]} << 8 | h[3];
}

namespace {

std::string KeyIdHex(std::uint32_t id) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", id);
  return buf;
}

std::string TypedKeyBase64(ByteView key) {
  Bytes typed{kEd25519SignatureType};
  typed.insert(typed.end(), key.begin(), key.end());
  return ToBase64(typed);
}

// Splits "name+hash+base64" into its three parts; the name itself has no '+'.
std::optional<std::array<std::string_view, 3>> SplitKey(std::string_view text) {
  auto p1 = text.find('+');
  if (p1 == std::string_view::npos) return std::nullopt;
  auto p2 = text.find('+', p1 + 1);
  if (p2 == std::string_view::npos) return std::nullopt;
  return std::array{text.substr(0, p1), text.substr(p1 + 1, p2 - p1 - 1), text.substr(p2 + 1)};
}

// Decodes "<8 hex>" and "base64(0x01 || 32 bytes)".
std::optional<std::pair<std::uint32_t, std::array<std::uint8_t, 32>>> DecodeKeyParts(
    std::string_view hash_hex, std::string_view b64) {
  auto id = FromHex(hash_hex);
  auto raw = FromBase64(b64);
  if (hash_hex.size() != 8 || !id || !raw || raw->size() != 33 ||
      (*raw)[0] != kEd25519SignatureType) {
    return std::nullopt;
  }
  std::uint32_t key_id = std::uint32_t{(*id)[0]} << 24 | std::uint32_t{(*id)[1]} << 16 |
                         std::uint32_t{(*id)[2]} << 8 | (*id)[3];
  std::array<std::uint8_t, 32> key;
  std::copy(raw->begin() + 1, raw->end(), key.begin());
  return std::pair{key_id, key};
}

}  // namespace

std::string FormatVerifierKey(std::string_view name, const Ed25519PublicKey& key) {
  return std::string(name) + "+" + KeyIdHex(NoteKeyId(name, kEd25519SignatureType, key)) + "+" +
         TypedKeyBase64(key);
}

std::optional<VerifierKey> ParseVerifierKey(std::string_view text) {
  auto parts = SplitKey(text);
  if (!parts || !IsValidKeyName((*parts)[0])) return std::nullopt;
  auto decoded = DecodeKeyParts((*parts)[1], (*parts)[2]);
  if (!decoded) return std::nullopt;
  VerifierKey vk{std::string((*parts)[0]), decoded->first, decoded->second};
  if (NoteKeyId(vk.name, kEd25519SignatureType, vk.public_key) != vk.key_id) return std::nullopt;
  return vk;
}

bool IsCanonicalVerifierKey(std::string_view text) {
  auto key = ParseVerifierKey(text);
  return key && FormatVerifierKey(key->name, key->public_key) == text;
}

std::string FormatSignerKey(std::string_view name, const Ed25519Signer& signer) {
  return "PRIVATE+KEY+" + std::string(name) + "+" +
         KeyIdHex(NoteKeyId(name, kEd25519SignatureType, signer.public_key())) + "+" +
         TypedKeyBase64(signer.seed());
}

std::optional<NamedSigner> ParseSignerKey(std::string_view text) {
  constexpr std::string_view kPrefix = "PRIVATE+KEY+";
  if (!text.starts_with(kPrefix)) return std::nullopt;
  auto parts = SplitKey(text.substr(kPrefix.size()));
  if (!parts || !IsValidKeyName((*parts)[0])) return std::nullopt;
  auto decoded = DecodeKeyParts((*parts)[1], (*parts)[2]);
  if (!decoded) return std::nullopt;
  auto signer = Ed25519Signer::FromSeed(decoded->second);
  if (NoteKeyId((*parts)[0], kEd25519SignatureType, signer.public_key()) != decoded->first) {
    return std::nullopt;
  }
  return NamedSigner{std::string((*parts)[0]), signer};
}

std::string KeyFingerprint(const Ed25519PublicKey& key) {
  Hash h = Sha256Of(ByteView(key));
  std::string hex = ToHex(ByteView(h).first(16));
  std::string out;
  for (std::size_t i = 0; i < hex.size(); i += 4) {
    if (i) out.push_back(':');
    out.append(hex, i, 4);
  }
  return out;
}

}  // namespace ess
