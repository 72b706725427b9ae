#include "core/checkpoint.h"

#include <cstdio>

#include <charconv>

namespace ess {

namespace {

std::string CosignedMessage(std::string_view checkpoint_text, std::uint64_t time_seconds) {
  return "cosignature/v1\ntime " + std::to_string(time_seconds) + "\n" +
         std::string(checkpoint_text);
}

}  // namespace

std::string RegionOrigin(std::string_view federation, std::string_view region_code) {
  return std::string(federation) + "/region/" + std::string(region_code);
}

std::string Checkpoint::Text() const {
  std::string out = origin + "\n" + std::to_string(size) + "\n" + ToBase64(root) + "\n";
  for (const auto& ext : extensions) out += ext + "\n";
  return out;
}

Verdict ParseCheckpointText(std::string_view text, Checkpoint& out) {
  auto malformed = [](std::string why) {
    return Verdict::Fail(VerdictCode::kMalformed, "point de contrôle illisible : " + why);
  };
  if (!IsValidNoteText(text)) return malformed("texte de note invalide");
  std::vector<std::string_view> lines;
  for (std::size_t at = 0; at < text.size();) {
    auto eol = text.find('\n', at);
    lines.push_back(text.substr(at, eol - at));
    at = eol + 1;
  }
  if (lines.size() < 3) return malformed("moins de trois lignes");
  Checkpoint cp;
  cp.origin = std::string(lines[0]);
  if (cp.origin.empty()) return malformed("origine vide");
  const auto& size_line = lines[1];
  auto [end, ec] = std::from_chars(size_line.data(), size_line.data() + size_line.size(), cp.size);
  if (ec != std::errc() || end != size_line.data() + size_line.size() || size_line.empty() ||
      (size_line.size() > 1 && size_line[0] == '0')) {
    return malformed("taille d'arbre invalide");
  }
  auto root = FromBase64(lines[2]);
  if (!root || root->size() != kHashSize) return malformed("racine invalide");
  std::copy(root->begin(), root->end(), cp.root.begin());
  for (std::size_t i = 3; i < lines.size(); ++i) {
    if (lines[i].empty()) return malformed("ligne d'extension vide");
    cp.extensions.emplace_back(lines[i]);
  }
  out = std::move(cp);
  return Verdict::Ok();
}

std::string SignCheckpoint(const Checkpoint& checkpoint, const Ed25519Signer& signer) {
  Note note{checkpoint.Text(), {}};
  note.signatures.push_back(SignNoteText(note.text, checkpoint.origin, signer));
  return FormatNote(note);
}

std::uint32_t CosignerKeyId(std::string_view name, const Ed25519PublicKey& key) {
  return NoteKeyId(name, kCosignatureType, key);
}

std::string FormatCosignerVerifierKey(std::string_view name, const Ed25519PublicKey& key) {
  char id[9];
  std::snprintf(id, sizeof id, "%08x", CosignerKeyId(name, key));
  Bytes typed{kCosignatureType};
  typed.insert(typed.end(), key.begin(), key.end());
  return std::string(name) + "+" + id + "+" + ToBase64(typed);
}

NoteSignature Cosign(std::string_view checkpoint_text, std::string_view cosigner_name,
                     const Ed25519Signer& cosigner, std::uint64_t time_seconds) {
  auto sig = cosigner.Sign(AsBytes(CosignedMessage(checkpoint_text, time_seconds)));
  NoteSignature out{std::string(cosigner_name), CosignerKeyId(cosigner_name, cosigner.public_key()),
                    {}};
  for (int i = 7; i >= 0; --i) out.signature.push_back(static_cast<std::uint8_t>(time_seconds >> (8 * i)));
  out.signature.insert(out.signature.end(), sig.begin(), sig.end());
  return out;
}

bool VerifyCosignature(std::string_view checkpoint_text, const NoteSignature& sig,
                       std::string_view name, const Ed25519PublicKey& key,
                       std::uint64_t* time_seconds) {
  if (sig.name != name || sig.key_id != CosignerKeyId(name, key) ||
      sig.signature.size() != 8 + kEd25519SignatureSize) {
    return false;
  }
  std::uint64_t t = 0;
  for (int i = 0; i < 8; ++i) t = t << 8 | sig.signature[i];
  Ed25519Signature raw;
  std::copy(sig.signature.begin() + 8, sig.signature.end(), raw.begin());
  if (!Ed25519Verify(key, AsBytes(CosignedMessage(checkpoint_text, t)), raw)) return false;
  if (time_seconds) *time_seconds = t;
  return true;
}

}  // namespace ess
