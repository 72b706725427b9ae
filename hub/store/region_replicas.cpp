#include "hub/store/region_replicas.h"

#include <algorithm>

#include "core/checkpoint.h"
#include "core/log_store.h"
#include "core/signed_note.h"
#include "core/verify.h"
#include "hub/store/national_aggregates.h"
#include "hub/store/national_view.h"
#include "hub/store/region_registry.h"

namespace ess::hub {

namespace {

// A real entry is 72 + n bytes; anything larger is not worth keeping as evidence.
constexpr std::size_t kMaxQuarantinedEntryBytes = 128;

pqxx::binarystring Bin(ByteView b) { return pqxx::binarystring(b.data(), b.size()); }

// Reasons may quote what a region sent: keep them storable and printable (valid UTF-8, no
// control characters).
std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool valid = len > 0 && i + len <= text.size();
    for (std::size_t k = 1; valid && k < len; ++k) {
      valid = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    }
    if (!valid) {
      out += '?';
      ++i;
    } else if (len == 1 && (c < 0x20 || c == 0x7F)) {
      out += c == '\n' ? '\n' : ' ';
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
  return out;
}

}  // namespace

void PrepareRegionReplicasStatements(pqxx::connection& c) {
  c.prepare("hub_region_status", "SELECT status FROM hub_region WHERE region = $1");
  c.prepare(
      "hub_replication_contact",
      "UPDATE hub_region_replication SET last_contact_at = to_timestamp($2::bigint / 1000.0), "
      "node_tree_size = $3, last_peer = $4, caught_up_at = CASE WHEN $5::bigint >= $3::bigint "
      "THEN to_timestamp($2::bigint / 1000.0) ELSE caught_up_at END WHERE region = $1");
  c.prepare(
      "hub_replication_accepted",
      "UPDATE hub_region_replication SET last_contact_at = to_timestamp($2::bigint / 1000.0), "
      "last_accepted_at = to_timestamp($2::bigint / 1000.0), node_tree_size = $3, "
      "accepted_batches = accepted_batches + 1, accepted_entries = accepted_entries + $4, "
      "caught_up_at = CASE WHEN $5::bigint >= $3::bigint "
      "THEN to_timestamp($2::bigint / 1000.0) ELSE caught_up_at END, last_peer = $6 "
      "WHERE region = $1");
  c.prepare(
      "hub_replication_rejected",
      "UPDATE hub_region_replication SET rejected_count = rejected_count + 1, "
      "last_contact_at = to_timestamp($2::bigint / 1000.0), last_peer = $3 WHERE region = $1");
  c.prepare("hub_batch_rejection_insert",
            "INSERT INTO hub_batch_rejection (region, rejected_at, code, reason, log_index, "
            "record_id, entry, payload, salt, checkpoint_note, held_checkpoint_note, peer, "
            "message_bytes, message_sha256) VALUES ($1, to_timestamp($2::bigint / 1000.0), "
            "$3, $4, $5, $6::uuid, NULLIF($7, ''::bytea), NULLIF($8, ''::bytea), "
            "NULLIF($9, ''::bytea), $10, $11, $12, $13, NULLIF($14, ''::bytea))");
  // Keeps the newest $2 rows of a region; fork evidence is never dropped.
  c.prepare("hub_batch_rejection_prune",
            "DELETE FROM hub_batch_rejection WHERE region = $1 AND code <> 'fork' AND id < "
            "(SELECT min(id) FROM (SELECT id FROM hub_batch_rejection WHERE region = $1 AND "
            "code <> 'fork' ORDER BY id DESC LIMIT $2) AS newest)");
}

std::string RegionPeerName(const std::string& region) { return "region-" + region; }

RegionReplicas::RegionReplicas(PgPool& pool, std::string federation, const Clock& clock,
                               NamedSigner cosigner, const Referential& referential,
                               ReplicaLimits limits)
    : pool_(pool),
      federation_(std::move(federation)),
      clock_(clock),
      cosigner_(std::move(cosigner)),
      rules_(referential),
      limits_(limits) {}

StreamStart RegionReplicas::OpenStream(const std::string& region,
                                       const std::optional<std::vector<std::string>>& peer_names) {
  return pool_.WithTransaction([&](pqxx::work& txn) {
    StreamStart out;
    auto status = txn.exec_prepared("hub_region_status", region);
    if (status.empty()) {
      out.refusal = StreamRefusal::kNotEnrolled;
      out.reason = "la région « " + region + " » n'est pas inscrite au hub";
      return out;
    }
    if (peer_names) {
      const std::string wanted = RegionPeerName(region);
      if (std::find(peer_names->begin(), peer_names->end(), wanted) == peer_names->end()) {
        std::string shown;
        for (const auto& n : *peer_names) shown += (shown.empty() ? "" : ", ") + n;
        out.refusal = StreamRefusal::kWrongPeer;
        out.reason = "certificat client « " + (shown.empty() ? std::string("sans nom") : shown) +
                     " » pour un flux de la région " + region + " (attendu « " + wanted + " »)";
        return out;
      }
    }
    LogStore store(txn, region);
    CompactRange range = store.ReadHead(/*lock=*/false);
    out.state = {region, range.size(), range.Root(), store.LatestCheckpointNote().value_or(""),
                 status[0][0].as<std::string>()};
    if (out.state.region_status == kRegionForked) {
      out.refusal = StreamRefusal::kForked;
      out.reason = "la région " + region +
                   " est arrêtée sur une divergence (fork) : un administrateur doit intervenir";
    }
    return out;
  });
}

AuthOutcome RegionReplicas::Authenticate(const std::string& region,
                                         const ReplicationChallenge& challenge, ByteView answer,
                                         const RecordProof* rotation, std::uint64_t node_tree_size,
                                         const std::string& peer, std::string& reason,
                                         std::string_view site_url) {
  return pool_.WithTransaction([&](pqxx::work& txn) {
    auto status = txn.exec_prepared("hub_region_status", region);
    if (status.empty()) {
      reason = "la région « " + region + " » n'est pas inscrite au hub";
      return AuthOutcome::kNotEnrolled;
    }
    RegionKeyRing ring = RegionRegistry(txn, federation_, clock_).LoadKeyRing(region);
    if (Verdict v =
            VerifyReplicationAuth(ring, region, cosigner_.name, challenge, answer, rotation);
        !v.ok()) {
      reason = "authentification refusée : " + v.reason;
      return AuthOutcome::kRefused;
    }
    CompactRange range = LogStore(txn, region).ReadHead(/*lock=*/false);
    txn.exec_prepared("hub_replication_contact", region, clock_.NowMillis(), node_tree_size,
                      Printable(peer), range.size());
    RegionRegistry(txn, federation_, clock_).AnnounceSiteUrl(region, site_url);
    return AuthOutcome::kAuthenticated;
  });
}

BatchOutcome RegionReplicas::ApplyBatch(const std::string& region, const IncomingBatch& batch,
                                        const std::string& peer) {
  // Shape checks first: they need no database and keep oversize input away from it.
  if (batch.entries.size() > limits_.max_batch_entries) {
    return Reject(region, batch,
                  {Verdict::Fail(VerdictCode::kMalformed,
                                 "lot de " + std::to_string(batch.entries.size()) +
                                     " entrées, maximum " +
                                     std::to_string(limits_.max_batch_entries)),
                   std::nullopt, nullptr},
                  peer);
  }
  std::vector<Hash> proof;
  for (const auto& h : batch.consistency_proof) {
    if (h.size() != kHashSize) {
      return Reject(region, batch,
                    {Verdict::Fail(VerdictCode::kMalformed,
                                   "preuve de cohérence : empreinte de " +
                                       std::to_string(h.size()) + " octets"),
                     std::nullopt, nullptr},
                    peer);
    }
    Hash hash;
    std::copy(h.begin(), h.end(), hash.begin());
    proof.push_back(hash);
  }
  std::optional<Rejection> rejection;
  BatchOutcome outcome = pool_.WithTransaction([&](pqxx::work& txn) {
    rejection.reset();
    BatchOutcome out;
    LogStore store(txn, region);
    CompactRange range = store.ReadHead(/*lock=*/true);  // serialises the region's writers
    auto status = txn.exec_prepared("hub_region_status", region);
    if (status.empty() || status[0][0].as<std::string>() != kRegionActive) {
      out.kind = BatchOutcome::Kind::kRegionStopped;
      out.verdict = status.empty()
                        ? Verdict::Fail(VerdictCode::kWrongRegion, "région non inscrite au hub")
                        : Verdict::Fail(VerdictCode::kFork,
                                        "région arrêtée sur une divergence (fork) : un "
                                        "administrateur doit intervenir");
      return out;
    }
    RegionRegistry registry(txn, federation_, clock_);
    RegionKeyRing ring = registry.LoadKeyRing(region);
    ReplicaTree replica{range, [&store](std::uint64_t i) { return store.LeafHashAt(i); },
                        [&store](std::uint64_t size) { return store.RootAt(size); }};
    ParsedInitiatives parsed;  // handed on to the national view: no payload parsed twice
    PayloadCheck check = [&](const LogEntry& e, ByteView p) { return rules_.Check(e, p, &parsed); };
    BatchVerdict verdict = VerifyBatch(replica, ring, region, batch.checkpoint_note,
                                       batch.from_tree_size, proof, batch.entries, check);
    if (verdict.verdict.ok() && verdict.rotation) {
      // The ring's own rules (key named after the region, not already enrolled...).
      RegionKeyRing next = ring;
      if (Verdict v = next.Rotate(verdict.rotation->next_key, verdict.rotation->from_index);
          !v.ok()) {
        verdict.verdict = v;
        verdict.verdict.reason = "rotation de clé refusée : " + v.reason;
        verdict.failed_index = verdict.new_entries.back().entry.index;
        verdict.failed_position = batch.entries.size() - 1;  // a rotation ends its batch
      }
    }
    if (!verdict.verdict.ok()) {
      out.kind = BatchOutcome::Kind::kRejected;
      out.verdict = verdict.verdict;
      out.failed_index = verdict.failed_index;
      const IncomingEntry* quarantined =
          verdict.failed_position ? &batch.entries[*verdict.failed_position] : nullptr;
      rejection = Rejection{verdict.verdict, verdict.failed_index, quarantined};
      return out;
    }
    const std::uint64_t held = range.size();
    store.Append(range, verdict.new_entries);
    if (verdict.checkpoint.size >= held) {
      store.StoreCheckpoint(verdict.checkpoint, batch.checkpoint_note);
    }
    NationalAggregatesDuringBatch aggregates(
        txn, region, batch.node_tree_size > range.size() ? batch.node_tree_size - range.size() : 0,
        limits_.aggregates_backlog);
    NationalView(txn, rules_).Apply(region, verdict.new_entries, std::move(parsed));
    aggregates.Finish();
    if (verdict.rotation) {
      registry.ApplyRotation(region, *verdict.rotation, verdict.new_entries.back().entry.index);
    }
    txn.exec_prepared("hub_replication_accepted", region, clock_.NowMillis(), batch.node_tree_size,
                      verdict.new_entries.size(), range.size(), peer);
    out.kind = BatchOutcome::Kind::kAccepted;
    out.tree_size = range.size();
    out.cosigned_checkpoint = CosignNote(batch.checkpoint_note);
    out.resent_entries = verdict.resent_entries;
    out.new_entries = verdict.new_entries.size();
    return out;
  });
  if (outcome.kind == BatchOutcome::Kind::kRejected && rejection) {
    return Reject(region, batch, *rejection, peer);
  }
  return outcome;
}

BatchOutcome RegionReplicas::Reject(const std::string& region, const IncomingBatch& batch,
                                    Rejection rejection, const std::string& peer) {
  const bool fork = rejection.verdict.code == VerdictCode::kFork;
  pool_.WithTransaction([&](pqxx::work& txn) {
    auto status = txn.exec_prepared("hub_region_status", region);
    if (status.empty()) return;  // not enrolled: nowhere to record it
    LogStore store(txn, region);
    std::optional<std::string> held_note;
    if (fork) {
      store.ReadHead(/*lock=*/true);
      held_note = store.LatestCheckpointNote();
      RegionRegistry(txn, federation_, clock_).MarkForked(region, rejection.verdict.reason);
    }
    Bytes none;
    const IncomingEntry* q = rejection.quarantined;
    std::optional<std::string> record_id;
    if (q) {
      LogEntry decoded;
      if (DecodeLogEntry(q->entry, decoded).ok() && decoded.region == region) {
        record_id = RecordIdToString(decoded.record_id);
      }
    }
    std::optional<std::string> index;
    if (rejection.failed_index) index = std::to_string(*rejection.failed_index);
    // The checkpoint is kept only as a readable note of bounded size; otherwise its size and
    // the message digest say what was sent.
    std::optional<std::string> note;
    if (!batch.checkpoint_note.empty() && batch.checkpoint_note.size() <= kMaxCheckpointNoteBytes &&
        IsValidNoteText(batch.checkpoint_note)) {
      note = batch.checkpoint_note;
    }
    Bytes digest;
    if (batch.message_sha256) {
      const Hash h = batch.message_sha256();
      digest.assign(h.begin(), h.end());
    }
    const bool keep_payload =
        q && q->salt.size() == kSaltSize && q->payload.size() <= kMaxPayloadSize;
    txn.exec_prepared("hub_batch_rejection_insert", region, clock_.NowMillis(),
                      std::string(VerdictCodeName(rejection.verdict.code)),
                      Printable(rejection.verdict.reason), index ? index->c_str() : nullptr,
                      record_id ? record_id->c_str() : nullptr,
                      Bin(q && q->entry.size() <= kMaxQuarantinedEntryBytes ? ByteView(q->entry)
                                                                            : ByteView(none)),
                      Bin(keep_payload ? ByteView(q->payload) : ByteView(none)),
                      Bin(keep_payload ? ByteView(q->salt) : ByteView(none)),
                      note ? note->c_str() : nullptr, held_note ? held_note->c_str() : nullptr,
                      Printable(peer), static_cast<std::int64_t>(batch.message_bytes), Bin(digest));
    txn.exec_prepared("hub_batch_rejection_prune", region,
                      static_cast<std::int64_t>(limits_.max_rejections_kept));
    txn.exec_prepared("hub_replication_rejected", region, clock_.NowMillis(), Printable(peer));
  });
  BatchOutcome out;
  out.kind = BatchOutcome::Kind::kRejected;
  out.verdict = std::move(rejection.verdict);
  out.verdict.reason = Printable(out.verdict.reason);
  out.failed_index = rejection.failed_index;
  return out;
}

std::string RegionReplicas::CosignNote(const std::string& note_text) const {
  auto note = ParseNote(note_text);
  if (!note) throw std::logic_error("cosigning a note that does not parse");
  const auto seconds = static_cast<std::uint64_t>(clock_.NowMillis() / 1000);
  note->signatures.push_back(Cosign(note->text, cosigner_.name, cosigner_.signer, seconds));
  return FormatNote(*note);
}

}  // namespace ess::hub
