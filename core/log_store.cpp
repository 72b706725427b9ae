#include "core/log_store.h"

#include <map>
#include <stdexcept>

namespace ess {

namespace {

pqxx::binarystring Bin(ByteView b) { return pqxx::binarystring(b.data(), b.size()); }

Bytes ToBytesField(const pqxx::field& f) {
  pqxx::binarystring bs(f);
  return Bytes(bs.begin(), bs.end());
}

Hash ToHashField(const pqxx::field& f) {
  pqxx::binarystring bs(f);
  if (bs.size() != kHashSize) throw std::runtime_error("stored hash of wrong size");
  Hash h;
  std::copy(bs.begin(), bs.end(), h.begin());
  return h;
}

// A PostgreSQL array literal built element by element: numbers and UUIDs as they are, text
// quoted, bytea as quoted hex ("\\x0a0b"), NULL unquoted.
class ArrayLiteral {
 public:
  void Add(const std::string& value) { Element("\"" + Escaped(value) + "\""); }
  void AddBytes(ByteView bytes) { Element("\"\\\\x" + ToHex(bytes) + "\""); }
  void AddNull() { Element("NULL"); }
  std::string Text() const { return "{" + text_ + "}"; }

 private:
  void Element(const std::string& e) {
    if (!text_.empty()) text_ += ",";
    text_ += e;
  }
  static std::string Escaped(const std::string& value) {
    std::string out;
    for (char c : value) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    return out;
  }
  std::string text_;
};


}  // namespace

void PrepareLogStatements(pqxx::connection& c) {
  c.prepare("log_head_read",
            "SELECT tree_size, compact_range FROM log_head WHERE region = $1");
  c.prepare("log_head_create",
            "INSERT INTO log_head (region, tree_size, compact_range, root) "
            "VALUES ($1, 0, ''::bytea, $2) ON CONFLICT (region) DO NOTHING");
  c.prepare("log_head_lock",
            "SELECT tree_size, compact_range FROM log_head WHERE region = $1 FOR UPDATE");
  c.prepare("log_head_update",
            "UPDATE log_head SET tree_size = $2, compact_range = $3, root = $4 WHERE region = $1");
  // Bulk inserts: one statement per Append, the columns as arrays (text literals).
  c.prepare("log_entry_insert",
            "INSERT INTO log_entry (region, log_index, entry, leaf_hash, operation, kind, "
            "record_id, record_version, payload, salt) "
            "SELECT $1, * FROM unnest($2::bigint[], $3::bytea[], $4::bytea[], $5::text[], "
            "$6::text[], $7::uuid[], $8::integer[], $9::bytea[], $10::bytea[])");
  c.prepare("merkle_node_insert",
            "INSERT INTO merkle_node (region, level, node_index, hash) "
            "SELECT $1, * FROM unnest($2::smallint[], $3::bigint[], $4::bytea[])");
  c.prepare("merkle_nodes_read",
            "SELECT n.level, n.node_index, n.hash FROM merkle_node n "
            "JOIN unnest($2::smallint[], $3::bigint[]) AS want(level, node_index) "
            "ON n.level = want.level AND n.node_index = want.node_index WHERE n.region = $1");
  c.prepare("log_checkpoint_insert",
            "INSERT INTO log_checkpoint (region, tree_size, root, note) VALUES ($1, $2, $3, $4) "
            "ON CONFLICT (region, tree_size) DO NOTHING");
  c.prepare("log_checkpoint_latest",
            "SELECT note FROM log_checkpoint WHERE region = $1 ORDER BY tree_size DESC LIMIT 1");
  c.prepare("log_checkpoint_latest_size",
            "SELECT max(tree_size) FROM log_checkpoint WHERE region = $1");
  c.prepare("log_checkpoint_at",
            "SELECT note FROM log_checkpoint WHERE region = $1 AND tree_size = $2");
  c.prepare("log_checkpoint_sizes",
            "SELECT tree_size FROM log_checkpoint WHERE region = $1 AND tree_size > $2 "
            "AND tree_size <= $3 ORDER BY tree_size LIMIT $4");
  c.prepare("log_entry_leaf_hash",
            "SELECT leaf_hash FROM log_entry WHERE region = $1 AND log_index = $2");
  c.prepare("log_entry_range",
            "SELECT log_index, entry, leaf_hash, payload, salt FROM log_entry "
            "WHERE region = $1 AND log_index >= $2 AND log_index < $3 ORDER BY log_index");
  c.prepare("log_entry_erase_index",
            "SELECT min(log_index) FROM log_entry WHERE region = $1 AND record_id = $2::uuid "
            "AND operation = 'erase'");
  c.prepare("log_entry_latest_of_kind",
            "SELECT max(log_index) FROM log_entry WHERE region = $1 AND kind = $2");
  c.prepare("log_entry_max_versions",
            "SELECT record_id::text, max(record_version) FROM log_entry "
            "WHERE region = $1 AND record_id = ANY($2::uuid[]) GROUP BY record_id");
  c.prepare("log_entry_erase",
            "UPDATE log_entry SET payload = NULL, salt = NULL, erased_at = now() "
            "WHERE region = $1 AND record_id = $2::uuid AND payload IS NOT NULL "
            "AND operation <> 'erase'");
}

CompactRange LogStore::ReadHead(bool lock) {
  if (lock) {
    Hash empty = EmptyTreeRoot();
    txn_.exec_prepared("log_head_create", region_, Bin(empty));
  }
  auto r = txn_.exec_prepared(lock ? "log_head_lock" : "log_head_read", region_);
  if (r.empty()) return {};
  auto size = r[0][0].as<std::uint64_t>();
  Bytes packed = ToBytesField(r[0][1]);
  if (packed.size() % kHashSize != 0) throw std::runtime_error("corrupt log_head.compact_range");
  std::vector<Hash> hashes(packed.size() / kHashSize);
  for (std::size_t i = 0; i < hashes.size(); ++i) {
    std::copy_n(packed.begin() + i * kHashSize, kHashSize, hashes[i].begin());
  }
  auto range = CompactRange::FromHashes(size, std::move(hashes));
  if (!range) throw std::runtime_error("corrupt log_head for region " + region_);
  return *range;
}

void LogStore::Append(CompactRange& range, std::span<const LogRecord> records) {
  if (records.empty()) return;
  ArrayLiteral indexes, entries, leaves, operations, kinds, record_ids, versions, payloads, salts;
  ArrayLiteral levels, node_indexes, node_hashes;
  for (const auto& rec : records) {
    if (rec.entry.index != range.size()) {
      throw std::logic_error("LogStore::Append: index " + std::to_string(rec.entry.index) +
                             " does not continue the log at " + std::to_string(range.size()));
    }
    indexes.Add(std::to_string(rec.entry.index));
    entries.AddBytes(rec.entry_bytes);
    leaves.AddBytes(rec.leaf_hash);
    operations.Add(std::string(OperationName(rec.entry.operation)));
    kinds.Add(std::string(RecordKindName(rec.entry.kind)));
    record_ids.Add(RecordIdToString(rec.entry.record_id));
    versions.Add(std::to_string(rec.entry.record_version));
    // An erased record travels without payload and salt: stored as NULL.
    rec.payload ? payloads.AddBytes(*rec.payload) : payloads.AddNull();
    rec.salt ? salts.AddBytes(*rec.salt) : salts.AddNull();
    for (const auto& [id, hash] : range.Append(rec.leaf_hash)) {
      levels.Add(std::to_string(id.level));
      node_indexes.Add(std::to_string(id.index));
      node_hashes.AddBytes(hash);
    }
  }
  txn_.exec_prepared("log_entry_insert", region_, indexes.Text(), entries.Text(), leaves.Text(),
                     operations.Text(), kinds.Text(), record_ids.Text(), versions.Text(),
                     payloads.Text(), salts.Text());
  txn_.exec_prepared("merkle_node_insert", region_, levels.Text(), node_indexes.Text(),
                     node_hashes.Text());
  Bytes packed;
  for (const auto& h : range.hashes()) packed.insert(packed.end(), h.begin(), h.end());
  Hash root = range.Root();
  txn_.exec_prepared("log_head_update", region_, range.size(), Bin(packed), Bin(root));
}

void LogStore::StoreCheckpoint(const Checkpoint& checkpoint, const std::string& note) {
  txn_.exec_prepared("log_checkpoint_insert", region_, checkpoint.size, Bin(checkpoint.root),
                     note);
}

std::optional<std::string> LogStore::LatestCheckpointNote() {
  auto r = txn_.exec_prepared("log_checkpoint_latest", region_);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

std::optional<std::uint64_t> LogStore::LatestCheckpointSize() {
  auto r = txn_.exec_prepared("log_checkpoint_latest_size", region_);
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<std::uint64_t>();
}

std::optional<std::string> LogStore::CheckpointNote(std::uint64_t tree_size) {
  auto r = txn_.exec_prepared("log_checkpoint_at", region_, tree_size);
  if (r.empty()) return std::nullopt;
  return r[0][0].as<std::string>();
}

std::vector<std::uint64_t> LogStore::CheckpointSizes(std::uint64_t after, std::uint64_t up_to,
                                                     std::size_t limit) {
  std::vector<std::uint64_t> out;
  for (const auto& row : txn_.exec_prepared("log_checkpoint_sizes", region_, after, up_to, limit)) {
    out.push_back(row[0].as<std::uint64_t>());
  }
  return out;
}

Hash LogStore::LeafHashAt(std::uint64_t index) {
  auto r = txn_.exec_prepared("log_entry_leaf_hash", region_, index);
  if (r.empty()) throw std::out_of_range("no log entry " + std::to_string(index));
  return ToHashField(r[0][0]);
}

std::vector<Hash> LogStore::ReadNodes(const std::vector<NodeId>& ids) {
  ArrayLiteral levels, indexes;
  for (const auto& id : ids) {
    levels.Add(std::to_string(id.level));
    indexes.Add(std::to_string(id.index));
  }
  std::map<NodeId, Hash> found;
  for (const auto& row :
       txn_.exec_prepared("merkle_nodes_read", region_, levels.Text(), indexes.Text())) {
    found[{static_cast<std::uint8_t>(row[0].as<int>()), row[1].as<std::uint64_t>()}] =
        ToHashField(row[2]);
  }
  std::vector<Hash> out;
  for (const auto& id : ids) {
    auto it = found.find(id);
    if (it == found.end()) {
      throw std::runtime_error("missing Merkle node (" + std::to_string(id.level) + ", " +
                               std::to_string(id.index) + ") for region " + region_);
    }
    out.push_back(it->second);
  }
  return out;
}

NodeReader LogStore::ReaderFor(const std::vector<NodeId>& ids) {
  auto hashes = ReadNodes(ids);
  auto nodes = std::make_shared<std::map<NodeId, Hash>>();
  for (std::size_t i = 0; i < ids.size(); ++i) (*nodes)[ids[i]] = hashes[i];
  return [nodes](NodeId id) { return nodes->at(id); };
}

Hash LogStore::RootAt(std::uint64_t size) {
  return RootFromNodes(size, ReaderFor(RootNodes(size)));
}

std::vector<Hash> LogStore::InclusionProof(std::uint64_t index, std::uint64_t size) {
  return ess::InclusionProof(index, size, ReaderFor(InclusionProofNodes(index, size)));
}

std::vector<Hash> LogStore::ConsistencyProof(std::uint64_t size1, std::uint64_t size2) {
  return ess::ConsistencyProof(size1, size2, ReaderFor(ConsistencyProofNodes(size1, size2)));
}

std::optional<RecordProof> LogStore::ProveRecord(std::uint64_t index, std::uint64_t tree_size) {
  return AssembleRecordProof(*this, index, tree_size);
}

std::vector<LogRecord> LogStore::ReadRecords(std::uint64_t from, std::uint64_t to) {
  std::vector<LogRecord> out;
  for (const auto& row : txn_.exec_prepared("log_entry_range", region_, from, to)) {
    LogRecord rec;
    rec.entry_bytes = ToBytesField(row[1]);
    if (Verdict v = DecodeLogEntry(rec.entry_bytes, rec.entry); !v.ok()) {
      throw std::runtime_error("corrupt stored entry " + row[0].as<std::string>() + ": " + v.reason);
    }
    rec.leaf_hash = ToHashField(row[2]);
    if (!row[3].is_null()) {
      rec.payload = ToBytesField(row[3]);
      Bytes salt = ToBytesField(row[4]);
      if (salt.size() != kSaltSize) throw std::runtime_error("stored salt of wrong size");
      rec.salt.emplace();
      std::copy(salt.begin(), salt.end(), rec.salt->begin());
    }
    out.push_back(std::move(rec));
  }
  return out;
}

std::optional<std::uint64_t> LogStore::EraseIndexOf(const RecordId& record_id) {
  auto r = txn_.exec_prepared("log_entry_erase_index", region_, RecordIdToString(record_id));
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<std::uint64_t>();
}

std::optional<std::uint64_t> LogStore::LatestIndexOfKind(RecordKind kind) {
  auto r =
      txn_.exec_prepared("log_entry_latest_of_kind", region_, std::string(RecordKindName(kind)));
  if (r.empty() || r[0][0].is_null()) return std::nullopt;
  return r[0][0].as<std::uint64_t>();
}

std::map<RecordId, std::uint32_t> LogStore::NextRecordVersions(
    std::span<const RecordId> record_ids) {
  std::map<RecordId, std::uint32_t> next;
  std::string ids;
  for (const RecordId& id : record_ids) {
    if (!next.emplace(id, 1).second) continue;
    ids += (ids.empty() ? "" : ",") + RecordIdToString(id);
  }
  if (next.empty()) return next;
  for (const auto& row : txn_.exec_prepared("log_entry_max_versions", region_, "{" + ids + "}")) {
    next[*RecordIdFromString(row[0].c_str())] = row[1].as<std::uint32_t>() + 1;
  }
  return next;
}

std::size_t LogStore::ErasePayloads(const RecordId& record_id) {
  return txn_.exec_prepared("log_entry_erase", region_, RecordIdToString(record_id))
      .affected_rows();
}

}  // namespace ess
