#include "node/replication/pg_uploader_store.h"

#include "core/log_store.h"
#include "node/replication/hub_replication_store.h"

namespace ess::node {

PgUploaderStore::PgUploaderStore(const std::string& database, std::string region)
    : pool_({database, 1, std::chrono::seconds(10),
             [](pqxx::connection& conn) {
               PrepareLogStatements(conn);
               PrepareHubReplicationStatements(conn);
             }}),
      region_(std::move(region)) {}

template <typename Work>
auto PgUploaderStore::OnLog(Work&& work) {
  return pool_.WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, region_);
    return work(store);
  });
}

template <typename Work>
auto PgUploaderStore::OnHubReplication(Work&& work) {
  return pool_.WithTransaction([&](pqxx::work& txn) {
    HubReplicationStore store(txn, region_);
    return work(store);
  });
}

std::uint64_t PgUploaderStore::LogSize() {
  return OnLog([](LogStore& s) { return s.ReadHead(/*lock=*/false).size(); });
}

Hash PgUploaderStore::RootAt(std::uint64_t size) {
  return OnLog([&](LogStore& s) { return s.RootAt(size); });
}

std::vector<LogRecord> PgUploaderStore::ReadRecords(std::uint64_t from, std::uint64_t to) {
  return OnLog([&](LogStore& s) { return s.ReadRecords(from, to); });
}

std::vector<std::uint64_t> PgUploaderStore::CheckpointSizes(std::uint64_t after,
                                                            std::uint64_t up_to,
                                                            std::size_t limit) {
  return OnLog([&](LogStore& s) { return s.CheckpointSizes(after, up_to, limit); });
}

std::optional<std::string> PgUploaderStore::CheckpointNote(std::uint64_t size) {
  return OnLog([&](LogStore& s) { return s.CheckpointNote(size); });
}

void PgUploaderStore::StoreCheckpoint(const Checkpoint& checkpoint, const std::string& note) {
  OnLog([&](LogStore& s) { s.StoreCheckpoint(checkpoint, note); });
}

std::vector<Hash> PgUploaderStore::InclusionProof(std::uint64_t index, std::uint64_t size) {
  return OnLog([&](LogStore& s) { return s.InclusionProof(index, size); });
}

std::vector<Hash> PgUploaderStore::ConsistencyProof(std::uint64_t size1, std::uint64_t size2) {
  return OnLog([&](LogStore& s) { return s.ConsistencyProof(size1, size2); });
}

std::optional<std::uint64_t> PgUploaderStore::EraseIndexOf(const RecordId& record_id) {
  return OnLog([&](LogStore& s) { return s.EraseIndexOf(record_id); });
}

std::optional<std::uint64_t> PgUploaderStore::LatestIndexOfKind(RecordKind kind) {
  return OnLog([&](LogStore& s) { return s.LatestIndexOfKind(kind); });
}

void PgUploaderStore::RecordHubState(std::uint64_t tree_size, const Hash& root,
                                     const std::string& region_status) {
  OnHubReplication(
      [&](HubReplicationStore& s) { s.RecordHubState(tree_size, root, region_status); });
}

void PgUploaderStore::RecordReceipt(std::uint64_t tree_size,
                                    const std::string& cosigned_checkpoint) {
  OnHubReplication(
      [&](HubReplicationStore& s) { s.RecordReceipt(tree_size, cosigned_checkpoint); });
}

void PgUploaderStore::RecordError(const std::string& message) {
  OnHubReplication([&](HubReplicationStore& s) { s.RecordError(message); });
}

void PgUploaderStore::ClearError() {
  OnHubReplication([](HubReplicationStore& s) { s.ClearError(); });
}

void PgUploaderStore::BlockAppends(const std::string& reason) {
  OnHubReplication([&](HubReplicationStore& s) {
    s.BlockAppends(reason);
    s.RecordError(reason);
  });
}

bool PgUploaderStore::UnblockAppends() {
  return OnHubReplication([](HubReplicationStore& s) { return s.UnblockAppends(); });
}

}  // namespace ess::node
