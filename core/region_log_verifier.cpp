#include "core/region_log_verifier.h"

#include "core/verify.h"

namespace ess {

namespace {

BatchVerdict Failed(BatchVerdict result, Verdict verdict,
                    std::optional<std::uint64_t> index = std::nullopt,
                    std::optional<std::size_t> position = std::nullopt) {
  result.verdict = std::move(verdict);
  result.failed_index = index;
  result.failed_position = position;
  result.new_entries.clear();
  result.new_nodes.clear();
  result.rotation.reset();
  return result;
}

std::string At(std::uint64_t index) { return "entrée " + std::to_string(index) + " : "; }
std::string Sizes(std::uint64_t n) { return std::to_string(n); }

// A put entry without its payload: the region must show the tombstone that erased it.
Verdict VerifyErasure(const LogEntry& entry, const std::optional<RecordProof>& erasure,
                      std::string_view region, const RegionKeyRing& keys) {
  if (entry.operation != Operation::kPut || entry.kind == RecordKind::kKeyRotation) {
    return Verdict::Fail(VerdictCode::kPayloadInvalid,
                         "contenu absent : seules les révisions d'un enregistrement effacé "
                         "voyagent sans contenu");
  }
  if (!erasure) {
    return Verdict::Fail(VerdictCode::kPayloadInvalid,
                         "contenu absent sans la preuve de l'effacement de l'enregistrement");
  }
  LogEntry tombstone;
  if (Verdict v = VerifyRecordProof(*erasure, region, keys, &tombstone); !v.ok()) {
    v.code = VerdictCode::kPayloadInvalid;
    v.reason = "preuve d'effacement invalide : " + v.reason;
    return v;
  }
  if (tombstone.operation != Operation::kErase || tombstone.record_id != entry.record_id ||
      tombstone.index <= entry.index) {
    return Verdict::Fail(VerdictCode::kPayloadInvalid,
                         "la preuve jointe n'est pas l'effacement de cet enregistrement");
  }
  return Verdict::Ok();
}

}  // namespace

Verdict VerifyNewEntry(const IncomingEntry& in, const LogEntry& entry,
                       std::uint64_t checkpoint_size, std::string_view region,
                       const RegionKeyRing& keys, const PayloadCheck& check_payload,
                       std::optional<KeyRotation>& rotation) {
  rotation.reset();
  const std::uint64_t index = entry.index;
  const std::uint64_t n = checkpoint_size;
  std::optional<Salt> salt;  // set when the entry comes with its payload
  if (in.erased()) {
    if (Verdict v = VerifyErasure(entry, in.erasure, region, keys); !v.ok()) {
      v.reason = At(index) + v.reason;
      return v;
    }
  } else {
    if (in.payload.size() > kMaxPayloadSize) {
      return Verdict::Fail(VerdictCode::kPayloadInvalid,
                           At(index) + "contenu de " + std::to_string(in.payload.size()) +
                               " octets, maximum " + std::to_string(kMaxPayloadSize));
    }
    if (in.salt.size() != kSaltSize) {
      return Verdict::Fail(VerdictCode::kMalformed, At(index) + "sel de " + Sizes(in.salt.size()) +
                                                        " octets, attendu " + Sizes(kSaltSize));
    }
    salt.emplace();
    std::copy(in.salt.begin(), in.salt.end(), salt->begin());
    if (Verdict v = VerifyPayload(entry, in.payload, *salt); !v.ok()) return v;
  }
  if (entry.kind == RecordKind::kKeyRotation) {
    KeyRotation decoded;
    Verdict v = salt ? DecodeKeyRotation(in.payload, decoded)
                     : Verdict::Fail(VerdictCode::kPayloadInvalid, "rotation de clé sans contenu");
    if (v.ok() && (index + 1 != n || decoded.from_index != n)) {
      v = Verdict::Fail(VerdictCode::kPayloadInvalid,
                        "une rotation de clé doit terminer son lot et prendre effet à l'index "
                        "suivant (" +
                            std::to_string(n) + ")");
    }
    if (v.ok() && decoded.next_key.name != keys.origin()) {
      v = Verdict::Fail(VerdictCode::kWrongRegion,
                        "nouvelle clé nommée « " + decoded.next_key.name + " »");
    }
    if (!v.ok()) {
      v.reason = At(index) + v.reason;
      return v;
    }
    rotation = decoded;
  } else if (salt && check_payload) {
    if (Verdict v = check_payload(entry, in.payload); !v.ok()) {
      v.reason = At(index) + v.reason;
      return v;
    }
  }
  return Verdict::Ok();
}

BatchVerdict VerifyBatch(const ReplicaTree& replica, const RegionKeyRing& keys,
                         std::string_view region, std::string_view checkpoint_note,
                         std::uint64_t from_tree_size, std::span<const Hash> consistency_proof,
                         std::span<const IncomingEntry> entries,
                         const PayloadCheck& check_payload) {
  BatchVerdict result;
  result.new_range = replica.range;
  // 1. Shape.
  if (entries.size() > kMaxBatchEntries) {
    return Failed(
        std::move(result),
        Verdict::Fail(VerdictCode::kMalformed, "lot de " + Sizes(entries.size()) +
                                                   " entrées, maximum " + Sizes(kMaxBatchEntries)));
  }
  if (checkpoint_note.size() > kMaxCheckpointNoteBytes) {
    return Failed(std::move(result),
                  Verdict::Fail(VerdictCode::kMalformed,
                                "point de contrôle de " + Sizes(checkpoint_note.size()) +
                                    " octets, maximum " + Sizes(kMaxCheckpointNoteBytes)));
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const IncomingEntry& in = entries[i];
    if (in.erased() || in.salt.size() == kSaltSize) continue;
    LogEntry decoded;
    std::optional<std::uint64_t> index;
    if (DecodeLogEntry(in.entry, decoded).ok()) index = decoded.index;
    return Failed(
        std::move(result),
        Verdict::Fail(VerdictCode::kMalformed,
                      "sel de " + Sizes(in.salt.size()) + " octets, attendu " + Sizes(kSaltSize)),
        index, i);
  }
  // 2. The signature.
  Checkpoint cp;
  if (Verdict v = VerifyCheckpointNote(checkpoint_note, keys, cp); !v.ok()) {
    return Failed(std::move(result), std::move(v));
  }
  result.checkpoint = cp;
  const std::uint64_t held = replica.range.size();
  const std::uint64_t n = cp.size;
  const std::uint64_t from = from_tree_size;

  // 3. Where the batch starts.
  if (from > held) {
    return Failed(
        std::move(result),
        Verdict::Fail(VerdictCode::kGap, "le lot reprend à l'index " + Sizes(from) +
                                             " mais le hub n'en détient que " + Sizes(held)),
        held);
  }
  if (from > n) {
    return Failed(std::move(result),
                  Verdict::Fail(VerdictCode::kMalformed,
                                "le lot reprend à l'index " + Sizes(from) +
                                    ", au-delà de son point de contrôle de taille " + Sizes(n)));
  }

  // 4. Signed evidence against the held tree, and the consistency proof.
  const Hash held_root_at_from = from == held ? replica.range.Root() : replica.stored_root(from);
  if (n <= held) {
    const Hash held_root_at_n = n == held ? replica.range.Root() : replica.stored_root(n);
    if (held_root_at_n != cp.root) {
      result.fork_evidence_size = n;
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kFork,
                                  "la région a signé un arbre de taille " + Sizes(n) +
                                      " dont la racine diffère de celle de l'arbre déjà reçu"));
    }
    if (!VerifyConsistency(from, n, held_root_at_from, cp.root, consistency_proof)) {
      return Failed(
          std::move(result),
          Verdict::Fail(VerdictCode::kBadProof,
                        "preuve de cohérence de " + Sizes(from) + " à " + Sizes(n) + " invalide (" +
                            Sizes(consistency_proof.size()) + " empreintes)"));
    }
  } else if (from == 0) {
    if (!consistency_proof.empty()) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kBadProof,
                                  "preuve de cohérence depuis l'arbre vide : elle doit être vide"));
    }
  } else {
    auto roots = ConsistencyProofRoots(from, n, held_root_at_from, consistency_proof);
    if (!roots || roots->new_root != cp.root) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kBadProof,
                                  "preuve de cohérence de " + Sizes(from) + " à " + Sizes(n) +
                                      " invalide (" + Sizes(consistency_proof.size()) +
                                      " empreintes) : elle ne mène pas à la racine signée"));
    }
    if (roots->old_root != held_root_at_from) {
      result.fork_evidence_size = from;
      return Failed(
          std::move(result),
          Verdict::Fail(VerdictCode::kFork, "l'arbre signé de taille " + Sizes(n) +
                                                " a pour préfixe de taille " + Sizes(from) +
                                                " un autre arbre que celui déjà reçu"));
    }
  }

  // 5. The entries.
  std::uint64_t expected = from;  // index the next entry must have
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const IncomingEntry& in = entries[i];
    LogEntry entry;
    if (Verdict v = VerifyEntry(in.entry, region, entry); !v.ok()) {
      return Failed(std::move(result), std::move(v), expected, i);
    }
    const std::uint64_t index = entry.index;
    if (index != expected) {
      return Failed(std::move(result),
                    Verdict::Fail(i == 0 ? VerdictCode::kMalformed : VerdictCode::kGap,
                                  At(index) + "attendu l'index " + Sizes(expected)),
                    index, i);
    }
    expected = index + 1;
    if (index >= n) {
      return Failed(
          std::move(result),
          Verdict::Fail(VerdictCode::kMalformed,
                        At(index) + "au-delà du point de contrôle de taille " + std::to_string(n)),
          index, i);
    }
    const Hash leaf = LeafHash(in.entry);
    if (index < held) {
      if (replica.stored_leaf_hash(index) != leaf) {
        return Failed(std::move(result),
                      Verdict::Fail(VerdictCode::kEntryMismatch,
                                    At(index) + "autres octets que l'entrée déjà reçue à cet "
                                                "index (lot refusé, la région reste active)"),
                      index, i);
      }
      ++result.resent_entries;
      continue;
    }
    std::optional<KeyRotation> rotation;
    if (Verdict v = VerifyNewEntry(in, entry, n, region, keys, check_payload, rotation); !v.ok()) {
      return Failed(std::move(result), std::move(v), index, i);
    }
    if (rotation) result.rotation = rotation;
    std::optional<Salt> salt;  // set when the entry comes with its payload
    if (!in.erased()) {
      salt.emplace();
      std::copy(in.salt.begin(), in.salt.end(), salt->begin());  // its size checked in step 1
    }
    auto nodes = result.new_range.Append(leaf);
    result.new_nodes.insert(result.new_nodes.end(), nodes.begin(), nodes.end());
    std::optional<Bytes> payload;
    if (salt) payload = in.payload;
    result.new_entries.push_back({std::move(entry), in.entry, leaf, std::move(payload), salt});
  }

  // 7. The new entries are the signed ones.
  if (n > held) {
    if (result.new_range.size() != n) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kGap,
                                  "le lot s'arrête à l'index " +
                                      std::to_string(result.new_range.size()) +
                                      " mais son point de contrôle couvre " + std::to_string(n) +
                                      " entrées"),
                    result.new_range.size());
    }
    if (result.new_range.Root() != cp.root) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kBadSignature,
                                  "les entrées reçues ne sont pas celles du point de contrôle "
                                  "signé (octet modifié en route ?)"));
    }
  }
  result.verdict = Verdict::Ok();
  return result;
}

}  // namespace ess
