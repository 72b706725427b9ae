#pragma once
// Checkpoints (C2SP tlog-checkpoint): the signed statement of a region's tree.
//
//   <origin>\n               e.g. "ess-federation/region/93"
//   <tree size, decimal>\n
//   <base64(root hash)>\n
//   [<extension line>\n ...]
//
// A region signs its checkpoints with its Ed25519 key under the key name = origin (signed-note
// format, core/signed_note.h). The hub countersigns what it has verified and stored with a
// C2SP tlog-cosignature (algorithm byte 0x04): the signed message is
//   "cosignature/v1\ntime <unix seconds>\n" + checkpoint text
// and the signature bytes are key id (4) || time (8, big-endian) || Ed25519 signature (64).
// The node keeps that cosigned note as its receipt.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/ed25519.h"
#include "core/signed_note.h"
#include "core/verdict.h"

namespace ess {

inline constexpr std::string_view kDefaultFederation = "ess-federation";
inline constexpr std::uint8_t kCosignatureType = 0x04;

// "<federation>/region/<code>".
std::string RegionOrigin(std::string_view federation, std::string_view region_code);

struct Checkpoint {
  std::string origin;
  std::uint64_t size = 0;
  Hash root{};
  std::vector<std::string> extensions;

  std::string Text() const;  // the note text above
  bool operator==(const Checkpoint&) const = default;
};

// kMalformed with the reason when the text is not a checkpoint.
Verdict ParseCheckpointText(std::string_view text, Checkpoint& out);

// The signed note of `checkpoint`, signed by the region key named after its origin.
std::string SignCheckpoint(const Checkpoint& checkpoint, const Ed25519Signer& signer);

// A cosignature line by `cosigner_name` over a checkpoint text, at `time_seconds`.
NoteSignature Cosign(std::string_view checkpoint_text, std::string_view cosigner_name,
                     const Ed25519Signer& cosigner, std::uint64_t time_seconds);
// The key id of a cosigner key (algorithm byte 0x04).
std::uint32_t CosignerKeyId(std::string_view name, const Ed25519PublicKey& key);
// The cosigner's verifier key as C2SP tlog-cosignature publishes it:
// "<name>+<key id, 8 hex>+<base64(0x04 || public key)>".
std::string FormatCosignerVerifierKey(std::string_view name, const Ed25519PublicKey& key);
// True iff `sig` is a valid cosignature by (name, key) of `checkpoint_text`; the time it
// asserts goes to `time_seconds` when given.
bool VerifyCosignature(std::string_view checkpoint_text, const NoteSignature& sig,
                       std::string_view name, const Ed25519PublicKey& key,
                       std::uint64_t* time_seconds = nullptr);

}  // namespace ess
