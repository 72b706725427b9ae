#include "core/signed_note.h"

#include <algorithm>

namespace ess {

namespace {

constexpr std::string_view kSignaturePrefix = "\xE2\x80\x94 ";  // U+2014 and a space

bool Fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return false;
}

}  // namespace

bool IsValidNoteText(std::string_view text) {
  if (text.empty() || text.back() != '\n') return false;
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
  }
  return true;
}

std::optional<Note> ParseNote(std::string_view message, std::string* error) {
  if (message.size() > kMaxNoteSize) {
    Fail(error, "note trop longue");
    return std::nullopt;
  }
  auto split = message.rfind("\n\n");
  if (split == std::string_view::npos) {
    Fail(error, "note sans ligne vide avant les signatures");
    return std::nullopt;
  }
  Note note;
  note.text = std::string(message.substr(0, split + 1));
  if (!IsValidNoteText(note.text)) {
    Fail(error, "texte de note invalide (caractère de contrôle ou fin de ligne manquante)");
    return std::nullopt;
  }
  std::string_view rest = message.substr(split + 2);
  if (rest.empty() || rest.back() != '\n') {
    Fail(error, "note sans signature ou sans fin de ligne finale");
    return std::nullopt;
  }
  while (!rest.empty()) {
    auto eol = rest.find('\n');
    std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol + 1);
    if (!line.starts_with(kSignaturePrefix)) {
      Fail(error, "ligne de signature sans tiret cadratin");
      return std::nullopt;
    }
    line.remove_prefix(kSignaturePrefix.size());
    auto space = line.find(' ');
    if (space == std::string_view::npos) {
      Fail(error, "ligne de signature sans nom de clé");
      return std::nullopt;
    }
    std::string_view name = line.substr(0, space);
    auto raw = FromBase64(line.substr(space + 1));
    if (!IsValidKeyName(name) || !raw || raw->size() < 5) {
      Fail(error, "ligne de signature mal formée");
      return std::nullopt;
    }
    NoteSignature sig;
    sig.name = std::string(name);
    sig.key_id = std::uint32_t{(*raw)[0]} << 24 | std::uint32_t{(*raw)[1]} << 16 |
                 std::uint32_t{(*raw)[2]} << 8 | (*raw)[3];
    sig.signature.assign(raw->begin() + 4, raw->end());
    note.signatures.push_back(std::move(sig));
    if (note.signatures.size() > kMaxNoteSignatures) {
      Fail(error, "trop de signatures");
      return std::nullopt;
    }
  }
  return note;
}

std::string FormatNote(const Note& note) {
  std::string out = note.text + "\n";
  for (const auto& sig : note.signatures) {
    Bytes raw{static_cast<std::uint8_t>(sig.key_id >> 24), static_cast<std::uint8_t>(sig.key_id >> 16),
              static_cast<std::uint8_t>(sig.key_id >> 8), static_cast<std::uint8_t>(sig.key_id)};
    raw.insert(raw.end(), sig.signature.begin(), sig.signature.end());
    out.append(kSignaturePrefix).append(sig.name).append(" ").append(ToBase64(raw)).append("\n");
  }
  return out;
}

NoteSignature SignNoteText(std::string_view text, std::string_view name,
                           const Ed25519Signer& signer) {
  auto sig = signer.Sign(AsBytes(text));
  return {std::string(name), NoteKeyId(name, kEd25519SignatureType, signer.public_key()),
          Bytes(sig.begin(), sig.end())};
}

bool VerifyNoteSignature(std::string_view text, const NoteSignature& sig, const VerifierKey& key) {
  if (sig.name != key.name || sig.key_id != key.key_id ||
      sig.signature.size() != kEd25519SignatureSize) {
    return false;
  }
  Ed25519Signature raw;
  std::copy(sig.signature.begin(), sig.signature.end(), raw.begin());
  return Ed25519Verify(key.public_key, AsBytes(text), raw);
}

}  // namespace ess
