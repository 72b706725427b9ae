#pragma once
// The hub's side of replication (docs/protocol.md section 7), without sockets: what the gRPC
// adapter (hub/grpc/grpc_replication_service.h) calls for each stream and each batch.
//
// OpenStream() reads the public state the hub holds for a region (the resume point) and
// writes nothing: anyone may ask. Authenticate() checks the stream's answer to its challenge
// with the region's key ring; only an authenticated stream is recorded (contact, the node's
// reported size) and may send batches. ApplyBatch() verifies one batch with core's
// VerifyBatch against the stored tree and the region's key ring, then stores, in ONE
// transaction: the entries and their Merkle nodes, the checkpoint, the national tables, a key
// rotation, and the replication counters; it answers with the checkpoint cosigned by the hub.
// Nothing is ever stored before it verified, so the hub's checkpoint never runs ahead of its
// entries; re-sent identical entries change nothing.
//
// A rejected batch stores nothing of its own; it is recorded (hub_batch_rejection) by its
// size, digest and reason with its first invalid entry quarantined, and only the newest
// `max_rejections_kept` rows of a region are kept (counts stay exact). Only signed evidence
// (kFork from VerifyBatch) stops the region (status "forked") until an admin acts
// (RegionRegistry); the evidence is kept with the rejection.
//
// Expected outcomes are values; database failures are exceptions (the adapter turns them
// into UNAVAILABLE and the node retries). Thread-safe: one instance serves every stream.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.h"
#include "core/ed25519.h"
#include "core/pg_pool.h"
#include "core/referential.h"
#include "core/region_log_verifier.h"
#include "core/replication_auth.h"
#include "core/verdict.h"
#include "hub/domain/payload_rules.h"

namespace ess::hub {

void PrepareRegionReplicasStatements(pqxx::connection& conn);

struct ReplicaLimits {
  std::size_t max_batch_entries = kMaxBatchEntries;
  // Largest NodeMessage the hub accepts (its serialized size), enforced by gRPC itself
  // (RESOURCE_EXHAUSTED, nothing recorded) and announced to nodes, which cut batches to fit.
  std::size_t max_message_bytes = 4 * 1024 * 1024;
  std::uint32_t max_batches_in_flight = 4;
  // Refused batches kept per region (oldest dropped first; fork evidence always kept).
  std::size_t max_rejections_kept = 100;
  // A batch after which the node is still more than this many entries ahead leaves the
  // national aggregates to be counted once at the end of the catch-up
  // (NationalAggregatesDuringBatch, hub/store/national_aggregates.h).
  std::uint64_t aggregates_backlog = 2000;
};

// The name a region's client certificate carries (CN or a SAN) under mutual TLS.
std::string RegionPeerName(const std::string& region);

struct ReplicaState {
  std::string region;
  std::uint64_t tree_size = 0;
  Hash root{};
  std::string checkpoint_note;  // empty if none stored yet
  std::string region_status;
};

enum class StreamRefusal {
  kNone,
  kNotEnrolled,  // no such region at the hub
  kForked,       // stopped on a fork until an admin acts
  kWrongPeer,    // the client certificate names another region
};

enum class AuthOutcome {
  kAuthenticated,
  kRefused,      // the answer does not prove the region's key: nothing recorded
  kNotEnrolled,  // the region left the hub meanwhile
};

struct StreamStart {
  StreamRefusal refusal = StreamRefusal::kNone;
  std::string reason;  // French, when refused
  ReplicaState state;  // also set for kForked (the node learns its status)
};

struct IncomingBatch {
  std::uint64_t from_tree_size = 0;
  std::uint64_t node_tree_size = 0;
  std::string checkpoint_note;
  std::vector<Bytes> consistency_proof;
  std::vector<IncomingEntry> entries;  // as received (core/region_log_verifier.h)
  std::size_t message_bytes = 0;  // serialized size of the message that carried it
  // SHA-256 of that message, computed only when the batch is refused (recorded with it).
  std::function<Hash()> message_sha256;
};

struct BatchOutcome {
  enum class Kind {
    kAccepted,
    kRejected,       // verification failed: recorded, the stream stops
    kRegionStopped,  // region not enrolled, or forked meanwhile
  };
  Kind kind = Kind::kAccepted;
  std::uint64_t tree_size = 0;       // accepted: the hub's tree size now
  std::string cosigned_checkpoint;   // accepted: the receipt
  std::size_t resent_entries = 0;
  std::size_t new_entries = 0;
  Verdict verdict;                   // rejected: why
  std::optional<std::uint64_t> failed_index;
};

class RegionReplicas {
 public:
  // `pool` connections must have the hub statements prepared (PrepareHubStatements).
  // `referential` and `pool` must outlive this object.
  RegionReplicas(PgPool& pool, std::string federation, const Clock& clock, NamedSigner cosigner,
                 const Referential& referential, ReplicaLimits limits = {});

  const ReplicaLimits& limits() const { return limits_; }
  const std::string& cosigner_name() const { return cosigner_.name; }
  const Ed25519PublicKey& cosigner_key() const { return cosigner_.signer.public_key(); }

  // The public state of `region` for a new stream; writes nothing. `peer_names` are the names
  // of the client certificate when mutual TLS is on (nullopt otherwise): they must include
  // RegionPeerName(region).
  StreamStart OpenStream(const std::string& region,
                         const std::optional<std::vector<std::string>>& peer_names);

  // Checks `answer` to `challenge` with the region's keys, or with the next key that
  // `rotation` vouches for (core/replication_auth.h). On success records the contact:
  // `node_tree_size` (from the hello), `peer`, and the hello's `site_url`
  // (RegionRegistry::AnnounceSiteUrl). `reason` gets the French reason of a refusal.
  AuthOutcome Authenticate(const std::string& region, const ReplicationChallenge& challenge,
                           ByteView answer, const RecordProof* rotation,
                           std::uint64_t node_tree_size, const std::string& peer,
                           std::string& reason, std::string_view site_url = {});

  // For an authenticated stream of `region` only.
  BatchOutcome ApplyBatch(const std::string& region, const IncomingBatch& batch,
                          const std::string& peer);

 private:
  struct Rejection {
    Verdict verdict;
    std::optional<std::uint64_t> failed_index;
    const IncomingEntry* quarantined = nullptr;
  };
  BatchOutcome Reject(const std::string& region, const IncomingBatch& batch, Rejection rejection,
                      const std::string& peer);
  std::string CosignNote(const std::string& note) const;

  PgPool& pool_;
  std::string federation_;
  const Clock& clock_;
  NamedSigner cosigner_;
  PayloadRules rules_;
  ReplicaLimits limits_;
};

}  // namespace ess::hub
