#include "core/region_log_verifier.h"

#include "core/verify.h"

namespace ess {

namespace {

BatchVerdict Failed(BatchVerdict result, Verdict verdict,
                    std::optional<std::uint64_t> index = std::nullopt) {
  result.verdict = std::move(verdict);
  result.failed_index = index;
  result.new_entries.clear();
  result.new_nodes.clear();
  result.rotation.reset();
  return result;
}

std::string At(std::uint64_t index) { return "entrée " + std::to_string(index) + " : "; }

}  // namespace

BatchVerdict VerifyBatch(const ReplicaTree& replica, const RegionKeyRing& keys,
                         std::string_view region, std::string_view checkpoint_note,
                         std::span<const Hash> consistency_proof,
                         std::span<const IncomingEntry> entries,
                         const PayloadCheck& check_payload) {
  BatchVerdict result;
  result.new_range = replica.range;
  if (entries.size() > kMaxBatchEntries) {
    return Failed(std::move(result),
                  Verdict::Fail(VerdictCode::kMalformed,
                                "lot de " + std::to_string(entries.size()) + " entrées, maximum " +
                                    std::to_string(kMaxBatchEntries)));
  }
  Checkpoint cp;
  if (Verdict v = VerifyCheckpointNote(checkpoint_note, keys, cp); !v.ok()) {
    return Failed(std::move(result), std::move(v));
  }
  result.checkpoint = cp;
  const std::uint64_t held = replica.range.size();
  const std::uint64_t n = cp.size;

  if (n < held) {
    if (replica.stored_root(n) != cp.root) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kFork,
                                  "point de contrôle signé de taille " + std::to_string(n) +
                                      " dont la racine diffère de l'arbre déjà reçu"));
    }
  } else if (n == held) {
    if (replica.range.Root() != cp.root) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kFork, "même taille " + std::to_string(n) +
                                                          ", autre racine"));
    }
  } else if (!VerifyConsistency(held, n, replica.range.Root(), cp.root, consistency_proof)) {
    return Failed(std::move(result),
                  Verdict::Fail(VerdictCode::kFork,
                                "l'arbre signé de taille " + std::to_string(n) +
                                    " ne prolonge pas l'arbre reçu de taille " +
                                    std::to_string(held)));
  }

  std::optional<std::uint64_t> expected;  // index the next entry must have
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const IncomingEntry& in = entries[i];
    LogEntry entry;
    if (Verdict v = VerifyEntry(in.entry, region, entry); !v.ok()) {
      return Failed(std::move(result), std::move(v), expected);
    }
    const std::uint64_t index = entry.index;
    if (!expected) {
      if (index > held) {
        return Failed(std::move(result),
                      Verdict::Fail(VerdictCode::kGap, At(index) + "attendu l'index " +
                                                           std::to_string(held) + " au plus"),
                      index);
      }
    } else if (index != *expected) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kGap, At(index) + "attendu l'index " +
                                                         std::to_string(*expected)),
                    index);
    }
    expected = index + 1;
    if (index >= n) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kMalformed,
                                  At(index) + "au-delà du point de contrôle de taille " +
                                      std::to_string(n)),
                    index);
    }
    const Hash leaf = LeafHash(in.entry);
    if (index < held) {
      if (replica.stored_leaf_hash(index) != leaf) {
        return Failed(std::move(result),
                      Verdict::Fail(VerdictCode::kFork,
                                    At(index) + "autres octets que l'entrée déjà reçue"),
                      index);
      }
      ++result.resent_entries;
      continue;
    }
    if (in.payload.has_value() != in.salt.has_value()) {
      return Failed(std::move(result),
                    Verdict::Fail(VerdictCode::kMalformed, At(index) + "contenu sans sel"), index);
    }
    if (in.payload) {
      if (in.payload->size() > kMaxPayloadSize) {
        return Failed(std::move(result),
                      Verdict::Fail(VerdictCode::kPayloadInvalid,
                                    At(index) + "contenu de " + std::to_string(in.payload->size()) +
                                        " octets, maximum " + std::to_string(kMaxPayloadSize)),
                      index);
      }
      if (Verdict v = VerifyPayload(entry, *in.payload, *in.salt); !v.ok()) {
        return Failed(std::move(result), std::move(v), index);
      }
    }
    if (entry.kind == RecordKind::kKeyRotation) {
      KeyRotation rotation;
      Verdict v = in.payload ? DecodeKeyRotation(*in.payload, rotation)
                             : Verdict::Fail(VerdictCode::kPayloadInvalid,
                                             "rotation de clé sans contenu");
      if (v.ok() && (index + 1 != n || rotation.from_index != n)) {
        v = Verdict::Fail(VerdictCode::kPayloadInvalid,
                          "une rotation de clé doit terminer son lot et prendre effet à l'index "
                          "suivant (" + std::to_string(n) + ")");
      }
      if (v.ok() && rotation.next_key.name != keys.origin()) {
        v = Verdict::Fail(VerdictCode::kWrongRegion,
                          "nouvelle clé nommée « " + rotation.next_key.name + " »");
      }
      if (!v.ok()) {
        v.reason = At(index) + v.reason;
        return Failed(std::move(result), std::move(v), index);
      }
      result.rotation = rotation;
    } else if (in.payload && check_payload) {
      if (Verdict v = check_payload(entry, *in.payload); !v.ok()) {
        v.reason = At(index) + v.reason;
        return Failed(std::move(result), std::move(v), index);
      }
    }
    auto nodes = result.new_range.Append(leaf);
    result.new_nodes.insert(result.new_nodes.end(), nodes.begin(), nodes.end());
    result.new_entries.push_back({std::move(entry), in.entry, leaf, in.payload, in.salt});
  }

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
