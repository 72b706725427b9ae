#pragma once
// The C2SP signed-note format (golang.org/x/mod/sumdb/note):
//
//   <text, UTF-8, ends with "\n", no control characters but "\n">
//   <blank line>
//   — <key name> <base64(key id, 4 bytes big-endian || signature)>\n   (one or more)
//
// The signed message is the text, with its final newline. The em dash is U+2014.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/ed25519.h"

namespace ess {

inline constexpr std::size_t kMaxNoteSize = 16 * 1024;
inline constexpr std::size_t kMaxNoteSignatures = 100;

struct NoteSignature {
  std::string name;
  std::uint32_t key_id = 0;
  Bytes signature;  // what follows the key id: 64 bytes for Ed25519

  bool operator==(const NoteSignature&) const = default;
};

struct Note {
  std::string text;
  std::vector<NoteSignature> signatures;
};

bool IsValidNoteText(std::string_view text);

// Strict parse; nullopt (and a reason in `error` if given) for anything the format refuses.
std::optional<Note> ParseNote(std::string_view message, std::string* error = nullptr);
std::string FormatNote(const Note& note);

// An Ed25519 signature of `text` by `signer` under `name` (key id per ed25519.h).
NoteSignature SignNoteText(std::string_view text, std::string_view name,
                           const Ed25519Signer& signer);
// True iff `sig` is by `key` (name and key id match) and verifies over `text`.
bool VerifyNoteSignature(std::string_view text, const NoteSignature& sig, const VerifierKey& key);

}  // namespace ess
