#include "core/region_log_writer.h"

#include <map>
#include <stdexcept>
#include <tuple>

#include "core/log_store.h"
#include "core/merkle.h"
#include "core/payload_commitment.h"

namespace ess {

namespace {

// The group open on this thread, if any (RegionLogWriter::CheckpointGroup).
thread_local RegionLogWriter::CheckpointGroup* t_checkpoint_group = nullptr;

}  // namespace

RegionLogWriter::CheckpointGroup::CheckpointGroup(const RegionLogWriter& writer) : writer_(writer) {
  if (t_checkpoint_group) throw std::logic_error("RegionLogWriter::CheckpointGroup: déjà ouvert");
  t_checkpoint_group = this;
}

RegionLogWriter::CheckpointGroup::~CheckpointGroup() { t_checkpoint_group = nullptr; }

bool RegionLogWriter::CheckpointGroup::Sign(pqxx::transaction_base& txn) {
  if (!appended_) return false;
  LogStore store(txn, writer_.region_);
  CompactRange range = store.ReadHead(/*lock=*/true);
  if (range.size() == 0 || store.LatestCheckpointSize() == range.size()) return false;
  writer_.StoreCheckpoint(txn, range);
  return true;
}

std::pair<Checkpoint, std::string> RegionLogWriter::StoreCheckpoint(
    pqxx::transaction_base& txn, const CompactRange& range) const {
  Checkpoint checkpoint{origin_, range.size(), range.Root(), {}};
  std::string note = SignCheckpoint(checkpoint, signer_);
  LogStore(txn, region_).StoreCheckpoint(checkpoint, note);
  return {std::move(checkpoint), std::move(note)};
}

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
  if (t_checkpoint_group && &t_checkpoint_group->writer_ == this) {
    t_checkpoint_group->appended_ = true;
    out.checkpoint = {origin_, range.size(), range.Root(), {}};
    return out;
  }
  std::tie(out.checkpoint, out.checkpoint_note) = StoreCheckpoint(txn, range);
  return out;
}

}  // namespace ess
