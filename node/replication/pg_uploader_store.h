#pragma once
// The uploader's store in the node's PostgreSQL: core/log_store.h for the region's log,
// node/replication/hub_replication_store.h for the record of the hub, one transaction per call.
// It has its own pool of one connection, so a slow hub never holds one the API needs.

#include <string>

#include "core/pg_pool.h"
#include "node/replication/uploader_store.h"

namespace ess::node {

class PgUploaderStore final : public UploaderStore {
 public:
  // `database` is a libpq connection string; nothing connects before the first call.
  PgUploaderStore(const std::string& database, std::string region);

  std::uint64_t LogSize() override;
  Hash RootAt(std::uint64_t size) override;
  std::vector<LogRecord> ReadRecords(std::uint64_t from, std::uint64_t to) override;
  std::vector<std::uint64_t> CheckpointSizes(std::uint64_t after, std::uint64_t up_to,
                                             std::size_t limit) override;
  std::optional<std::string> CheckpointNote(std::uint64_t size) override;
  void StoreCheckpoint(const Checkpoint& checkpoint, const std::string& note) override;
  std::vector<Hash> InclusionProof(std::uint64_t index, std::uint64_t size) override;
  std::vector<Hash> ConsistencyProof(std::uint64_t size1, std::uint64_t size2) override;
  std::optional<std::uint64_t> EraseIndexOf(const RecordId& record_id) override;
  std::optional<std::uint64_t> LatestIndexOfKind(RecordKind kind) override;

  void RecordHubState(std::uint64_t tree_size, const Hash& root,
                      const std::string& region_status) override;
  void RecordReceipt(std::uint64_t tree_size, const std::string& cosigned_checkpoint) override;
  void RecordError(const std::string& message) override;
  void ClearError() override;
  void BlockAppends(const std::string& reason) override;
  bool UnblockAppends() override;

 private:
  template <typename Work>
  auto OnLog(Work&& work);
  template <typename Work>
  auto OnHubReplication(Work&& work);

  PgPool pool_;
  std::string region_;
};

}  // namespace ess::node
