#include "core/verify.h"

#include "core/merkle.h"

namespace ess {

std::string_view VerdictCodeName(VerdictCode code) {
  switch (code) {
    case VerdictCode::kOk: return "ok";
    case VerdictCode::kMalformed: return "malformed";
    case VerdictCode::kUnknownKey: return "unknown_key";
    case VerdictCode::kRevokedKey: return "revoked_key";
    case VerdictCode::kBadSignature: return "bad_signature";
    case VerdictCode::kGap: return "gap";
    case VerdictCode::kBadProof: return "bad_proof";
    case VerdictCode::kEntryMismatch: return "entry_mismatch";
    case VerdictCode::kFork: return "fork";
    case VerdictCode::kWrongRegion: return "wrong_region";
    case VerdictCode::kPayloadMismatch: return "payload_mismatch";
    case VerdictCode::kPayloadInvalid: return "payload_invalid";
  }
  return "unknown";
}

Verdict VerifyCheckpointNote(std::string_view note_text, const RegionKeyRing& keys,
                             Checkpoint& out) {
  std::string error;
  auto note = ParseNote(note_text, &error);
  if (!note) return Verdict::Fail(VerdictCode::kMalformed, "note signée illisible : " + error);
  Checkpoint cp;
  if (Verdict v = ParseCheckpointText(note->text, cp); !v.ok()) return v;
  if (cp.origin != keys.origin()) {
    return Verdict::Fail(VerdictCode::kWrongRegion, "point de contrôle de « " + cp.origin +
                                                        " », attendu « " + keys.origin() + " »");
  }
  const std::uint64_t last_index = cp.size == 0 ? 0 : cp.size - 1;
  const RegionKey* verified = nullptr;
  const RegionKey* retired = nullptr;
  for (const auto& sig : note->signatures) {
    if (sig.name != keys.origin()) continue;
    const RegionKey* key = keys.FindByKeyId(sig.key_id);
    if (!key) continue;
    if (!VerifyNoteSignature(note->text, sig, key->key)) {
      return Verdict::Fail(VerdictCode::kBadSignature,
                           "signature invalide par la clé " + KeyFingerprint(key->key.public_key));
    }
    if (key->revoked || !key->Covers(last_index)) {
      retired = key;
    } else {
      verified = key;
    }
  }
  if (verified) {
    out = std::move(cp);
    return Verdict::Ok();
  }
  if (retired) {
    std::string why = retired->revoked ? "révoquée"
                                       : "hors de sa période de validité pour l'index " +
                                             std::to_string(last_index);
    return Verdict::Fail(VerdictCode::kRevokedKey,
                         "clé " + KeyFingerprint(retired->key.public_key) + " " + why);
  }
  return Verdict::Fail(VerdictCode::kUnknownKey,
                       "aucune signature par une clé enregistrée pour " + keys.origin());
}

Verdict VerifyEntry(ByteView entry_bytes, std::string_view region, LogEntry& out) {
  LogEntry e;
  if (Verdict v = DecodeLogEntry(entry_bytes, e); !v.ok()) return v;
  if (e.region != region) {
    return Verdict::Fail(VerdictCode::kWrongRegion, "entrée " + std::to_string(e.index) +
                                                        " de la région " + e.region +
                                                        ", attendu " + std::string(region));
  }
  out = std::move(e);
  return Verdict::Ok();
}

Verdict VerifyPayload(const LogEntry& entry, ByteView payload, const Salt& salt) {
  if (PayloadCommitment(salt, payload) != entry.payload_commitment) {
    return Verdict::Fail(VerdictCode::kPayloadMismatch,
                         "le contenu de l'entrée " + std::to_string(entry.index) +
                             " ne correspond pas à son engagement");
  }
  return Verdict::Ok();
}

Verdict VerifyRecordProof(const RecordProof& proof, std::string_view region,
                          const RegionKeyRing& keys, LogEntry* entry_out) {
  Checkpoint cp;
  if (Verdict v = VerifyCheckpointNote(proof.checkpoint_note, keys, cp); !v.ok()) return v;
  LogEntry entry;
  if (Verdict v = VerifyEntry(proof.entry, region, entry); !v.ok()) return v;
  if (!VerifyInclusion(entry.index, cp.size, LeafHash(proof.entry), proof.inclusion_proof,
                       cp.root)) {
    return Verdict::Fail(VerdictCode::kBadSignature,
                         "l'entrée " + std::to_string(entry.index) +
                             " n'est pas dans l'arbre signé de taille " + std::to_string(cp.size));
  }
  if (proof.payload.has_value() != proof.salt.has_value()) {
    return Verdict::Fail(VerdictCode::kMalformed, "contenu sans sel, ou sel sans contenu");
  }
  if (proof.payload) {
    if (Verdict v = VerifyPayload(entry, *proof.payload, *proof.salt); !v.ok()) return v;
  }
  if (entry_out) *entry_out = std::move(entry);
  return Verdict::Ok();
}

}  // namespace ess
