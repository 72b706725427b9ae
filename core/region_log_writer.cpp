#include "core/region_log_writer.h"

#include <map>
#include <stdexcept>

#include "core/log_store.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"

namespace ess {

namespace {

// 1 + the highest logged version of each record id of `changes` (1 for a new record), in one
// query for the whole batch.
std::map<RecordId, std::uint32_t> NextRecordVersions(pqxx::transaction_base& txn,
                                                     const std::string& region,
                                                     std::span<const LogChange> changes) {
  std::map<RecordId, std::uint32_t> next;
  std::string ids;
  for (const auto& change : changes) {
    if (!next.emplace(change.record_id, 1).second) continue;
    ids += (ids.empty() ? "" : ",") + RecordIdToString(change.record_id);
  }
  auto rows = txn.exec_params(
      "SELECT record_id::text, max(record_version) FROM log_entry "
      "WHERE region = $1 AND record_id = ANY($2::uuid[]) GROUP BY record_id",
      region, "{" + ids + "}");
  for (const auto& row : rows) {
    next[*RecordIdFromString(row[0].c_str())] = row[1].as<std::uint32_t>() + 1;
  }
  return next;
}

}  // namespace

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
  std::map<RecordId, std::uint32_t> next_version = NextRecordVersions(txn, region_, changes);
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
