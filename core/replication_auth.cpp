#include "core/replication_auth.h"

#include <sodium.h>

namespace ess {

ReplicationChallenge NewReplicationChallenge() {
  ReplicationChallenge challenge;
  randombytes_buf(challenge.data(), challenge.size());
  return challenge;
}

std::string ReplicationAuthMessage(std::string_view region_origin, std::string_view hub_name,
                                   const ReplicationChallenge& challenge) {
  std::string message(kReplicationAuthContext);
  message += '\n';
  message += region_origin;
  message += '\n';
  message += hub_name;
  message += '\n';
  message += ToBase64(challenge);
  message += '\n';
  return message;
}

Bytes SignReplicationChallenge(std::string_view region_origin, const Ed25519Signer& signer,
                               std::string_view hub_name, const ReplicationChallenge& challenge) {
  const std::uint32_t key_id = NoteKeyId(region_origin, kEd25519SignatureType, signer.public_key());
  const Ed25519Signature signature =
      signer.Sign(AsBytes(ReplicationAuthMessage(region_origin, hub_name, challenge)));
  Bytes out;
  out.reserve(kReplicationAuthSignatureSize);
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back((key_id >> shift) & 0xFF);
  out.insert(out.end(), signature.begin(), signature.end());
  return out;
}

Verdict VerifyReplicationAuth(const RegionKeyRing& keys, std::string_view region,
                              std::string_view hub_name, const ReplicationChallenge& challenge,
                              ByteView answer, const RecordProof* rotation) {
  if (answer.size() != kReplicationAuthSignatureSize) {
    return Verdict::Fail(VerdictCode::kMalformed,
                         "réponse au défi de " + std::to_string(answer.size()) +
                             " octets, attendu " + std::to_string(kReplicationAuthSignatureSize));
  }
  std::uint32_t key_id = 0;
  for (int i = 0; i < 4; ++i) key_id = (key_id << 8) | answer[i];
  Ed25519PublicKey public_key;
  if (const RegionKey* key = keys.FindByKeyId(key_id)) {
    if (key->revoked) {
      return Verdict::Fail(VerdictCode::kRevokedKey, "défi signé par une clé révoquée");
    }
    public_key = key->key.public_key;
  } else if (rotation != nullptr) {
    LogEntry entry;
    if (Verdict v = VerifyRecordProof(*rotation, region, keys, &entry); !v.ok()) {
      v.reason = "preuve de rotation de clé : " + v.reason;
      return v;
    }
    KeyRotation next;
    Verdict v = entry.kind == RecordKind::kKeyRotation && rotation->payload
                    ? DecodeKeyRotation(*rotation->payload, next)
                    : Verdict::Fail(VerdictCode::kMalformed,
                                    "la preuve jointe n'est pas celle d'une rotation de clé");
    if (!v.ok()) return v;
    if (next.next_key.name != keys.origin() || next.next_key.key_id != key_id) {
      return Verdict::Fail(VerdictCode::kUnknownKey,
                           "la rotation jointe ne nomme pas la clé qui a signé le défi");
    }
    public_key = next.next_key.public_key;
  } else {
    return Verdict::Fail(VerdictCode::kUnknownKey, "défi signé par une clé inconnue de la région");
  }
  Ed25519Signature signature;
  std::copy(answer.begin() + 4, answer.end(), signature.begin());
  if (!Ed25519Verify(public_key,
                     AsBytes(ReplicationAuthMessage(keys.origin(), hub_name, challenge)),
                     signature)) {
    return Verdict::Fail(VerdictCode::kBadSignature, "signature du défi invalide");
  }
  return Verdict::Ok();
}

}  // namespace ess
