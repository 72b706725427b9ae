#include "core/region_log_writer.h"

#include <map>
#include <stdexcept>

#include "core/log_store.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"

namespace ess {

RegionLogWriter::RegionLogWriter(std::string region, std::string origin, Ed25519Signer signer,
                                 const Clock& clock, JournalPayloadCheck check_payload)
    : region_(std::move(region)),
      origin_(std::move(origin)),
      signer_(std::move(signer)),
      clock_(clock),
      check_payload_(std::move(check_payload)) {}

AppendedRecords RegionLogWriter::Append(pqxx::transaction_base& txn,
                                        std::span<const LogChange> changes) const {
  if (changes.empty()) throw std::invalid_argument("RegionLogWriter::Append: no change");
  if (check_payload_) {
    for (const auto& change : changes) {
      if (Verdict v = check_payload_(change, region_); !v.ok()) {
        throw std::logic_error("RegionLogWriter::Append: payload " +
                               std::string(RecordKindName(change.kind)) + " refusé : " + v.reason);
      }
    }
  }
  LogStore store(txn, region_);
  CompactRange range = store.ReadHead(/*lock=*/true);
  AppendedRecords out;
  const std::int64_t now = clock_.NowMillis();
  // Two changes of one record in the same call: versions follow each other.
  std::vector<RecordId> record_ids;
  for (const auto& change : changes) record_ids.push_back(change.record_id);
  std::map<RecordId, std::uint32_t> next_version = store.NextRecordVersions(record_ids);
  for (const auto& change : changes) {
    LogRecord rec;
    rec.entry.operation = change.operation;
    rec.entry.kind = change.kind;
    rec.entry.index = range.size() + out.records.size();
    rec.entry.timestamp_ms = now;
    rec.entry.region = region_;
    rec.entry.record_id = change.record_id;
    rec.entry.record_version = next_version[change.record_id]++;
    rec.salt = NewSalt();
    rec.payload = ToBytes(change.payload);
    rec.entry.payload_commitment = PayloadCommitment(*rec.salt, *rec.payload);
    rec.entry_bytes = EncodeLogEntry(rec.entry);
    rec.leaf_hash = LeafHash(rec.entry_bytes);
    out.records.push_back(std::move(rec));
  }
  store.Append(range, out.records);
  out.checkpoint = {origin_, range.size(), range.Root(), {}};
  out.checkpoint_note = SignCheckpoint(out.checkpoint, signer_);
  store.StoreCheckpoint(out.checkpoint, out.checkpoint_note);
  return out;
}

}  // namespace ess
