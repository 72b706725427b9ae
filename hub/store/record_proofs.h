#pragma once
// The proof of a record on the national map, assembled from what the hub holds (its replica of
// the region's log, hub/store/region_replicas.h, and the region's keys,
// hub/store/region_registry.h): the record's entry and payload with its inclusion proof in the
// latest checkpoint the region signed, as core's RecordProof, which anyone checks offline with
// VerifyRecordProof (core/verify.h), without trusting the hub. Works inside the caller's
// transaction. Connections need the hub statements (PrepareHubStatements).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/clock.h"
#include "core/verify.h"
#include "hub/store/region_registry.h"

namespace ess::hub {

struct NationalRecordProof {
  std::string region;
  std::string record_id;
  std::uint64_t log_index = 0;
  std::uint64_t tree_size = 0;  // of the checkpoint the proof leads to
  RecordProof proof;
  // Every key the hub holds for the region (none if the region left the hub).
  std::vector<EnrolledKey> keys;
  // The key that signed the checkpoint: valid for tree_size - 1 (RegionKey::Covers), not
  // revoked, and named by one of the note's signatures. A hint for a browser, which must
  // still compare its fingerprint out of band; the hub does not check the signature here.
  std::optional<EnrolledKey> signing_key;
};

class RecordProofs {
 public:
  RecordProofs(pqxx::transaction_base& txn, std::string federation, const Clock& clock)
      : txn_(txn), federation_(std::move(federation)), clock_(clock) {}

  // nullopt if the record is not on the national map, or no checkpoint covers it yet.
  std::optional<NationalRecordProof> Find(const std::string& region, const std::string& record_id);

 private:
  pqxx::transaction_base& txn_;
  std::string federation_;
  const Clock& clock_;
};

}  // namespace ess::hub
