#include "essctl/commands/log_commands.h"

#include <deque>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>

#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/csv.h"
#include "core/log_store.h"
#include "core/region_log_audit.h"
#include "essctl/databases.h"
#include "essctl/progress_bar.h"
#include "hub/store/region_registry.h"
#include "hub/store/replication_status.h"
#include "node/replication/hub_replication_store.h"

namespace ess::essctl {

namespace {

// Entries read at once: memory stays bounded whatever the log's size.
constexpr std::size_t kPageEntries = 1024;
constexpr std::uint64_t kNoLimit = std::numeric_limits<std::int64_t>::max();

const OptionSpec kLogDatabase{"--database", "URL",
                              "la base du hub ou celle d'un nœud (URI libpq), lue sans rien y "
                              "écrire",
                              true};
const OptionSpec kFederation{"--federation", "NOM", "nom de la fédération", false, true};

Bytes BytesOf(const pqxx::field& f) {
  pqxx::binarystring bs(f);
  return Bytes(bs.begin(), bs.end());
}

// One stored row of the log, read as it is (a damaged row is the audit's to report).
struct StoredRow {
  std::uint64_t index = 0;
  LogRecord record;
  std::string operation, kind, record_id;
};

constexpr const char* kRowColumns =
    "log_index, entry, leaf_hash, payload, salt, operation, kind, record_id::text AS record_text";

std::vector<StoredRow> RowsOf(const pqxx::result& result) {
  std::vector<StoredRow> out;
  for (const auto& row : result) {
    StoredRow r;
    r.index = row[0].as<std::uint64_t>();
    r.record.entry_bytes = BytesOf(row[1]);
    Bytes leaf = BytesOf(row[2]);
    if (leaf.size() == kHashSize) std::copy(leaf.begin(), leaf.end(), r.record.leaf_hash.begin());
    DecodeLogEntry(r.record.entry_bytes, r.record.entry);  // the audit reports a bad one
    if (!row[3].is_null() && !row[4].is_null()) {
      r.record.payload = BytesOf(row[3]);
      Bytes salt = BytesOf(row[4]);
      if (salt.size() == kSaltSize) {
        r.record.salt.emplace();
        std::copy(salt.begin(), salt.end(), r.record.salt->begin());
      }
    }
    r.operation = row[5].as<std::string>();
    r.kind = row[6].as<std::string>();
    r.record_id = row[7].as<std::string>();
    out.push_back(std::move(r));
  }
  return out;
}

// Rows of `region` from `from` on, in index order, at most `limit`.
std::vector<StoredRow> ReadRows(pqxx::transaction_base& txn, const std::string& region,
                                std::uint64_t from, std::size_t limit) {
  return RowsOf(txn.exec_params(std::string("SELECT ") + kRowColumns +
                                    " FROM log_entry WHERE region = $1 AND log_index >= $2 "
                                    "ORDER BY log_index LIMIT $3",
                                region, from, limit));
}

// The latest row of each record after `after` (a record id), by record id, at most `limit`
// (its highest version: the index log_entry_by_record gives the order).
std::vector<StoredRow> LatestRows(pqxx::transaction_base& txn, const std::string& region,
                                  const std::optional<std::string>& after, std::size_t limit) {
  // Two statements rather than "$2 IS NULL OR ...", which would keep the index from bounding
  // the scan.
  const std::string select = std::string("SELECT DISTINCT ON (record_id) ") + kRowColumns +
                             " FROM log_entry WHERE region = $1 AND kind <> 'key_rotation' ";
  const std::string order = " ORDER BY record_id, record_version DESC LIMIT $2";
  if (!after) return RowsOf(txn.exec_params(select + order, region, limit));
  return RowsOf(
      txn.exec_params(select + "AND record_id > $3::uuid" + order, region, limit, *after));
}

// The stored checkpoint sizes in ascending order, read in pages.
class CheckpointCursor {
 public:
  CheckpointCursor(LogStore& store) : store_(store) {}
  // The smallest stored size > `after`, if any.
  std::optional<std::uint64_t> After(std::uint64_t after) {
    while (!sizes_.empty() && sizes_.front() <= after) sizes_.pop_front();
    if (sizes_.empty() && !done_) {
      auto page = store_.CheckpointSizes(std::max(after, loaded_), kNoLimit, kPageEntries);
      if (page.size() < kPageEntries) done_ = true;
      if (!page.empty()) loaded_ = page.back();
      sizes_.assign(page.begin(), page.end());
    }
    if (sizes_.empty()) return std::nullopt;
    return sizes_.front();
  }

 private:
  LogStore& store_;
  std::deque<std::uint64_t> sizes_;
  std::uint64_t loaded_ = 0;
  bool done_ = false;
};

// Every region whose log the database holds (a node's: its own).
std::vector<std::string> StoredRegions(pqxx::transaction_base& txn) {
  std::vector<std::string> out;
  for (const auto& row : txn.exec("SELECT region FROM log_head ORDER BY region")) {
    out.push_back(row[0].as<std::string>());
  }
  return out;
}

// A consistent snapshot of the whole log, read only.
template <typename Work>
auto InSnapshot(PgPool& db, Work&& work) {
  return db.WithTransaction([&](pqxx::work& txn) {
    txn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    return work(txn);
  });
}

RegionKeyRing AuditKeyRing(const Args& args, DatabaseKind kind, pqxx::transaction_base& txn,
                           const std::string& region, const std::string& origin) {
  RegionKeyRing ring(origin);
  if (args.Has("--verifier-key")) {
    auto key = ParseVerifierKey(args.Get("--verifier-key"));
    if (!key) throw UsageError("verify : clé de vérification illisible");
    if (Verdict v = ring.Add({*key, 0, std::nullopt, false}); !v.ok()) {
      throw UsageError("verify : " + v.reason);
    }
    return ring;
  }
  if (kind == DatabaseKind::kNode) {
    throw UsageError(
        "verify : --verifier-key est requis sur la base d'un nœud (la première clé de la région, "
        "celle de son inscription au hub)");
  }
  SystemClock clock;
  hub::RegionRegistry registry(txn, args.Get("--federation", std::string(kDefaultFederation)),
                               clock);
  auto record = registry.Find(region);
  if (!record) throw std::runtime_error("région " + region + " non inscrite au hub");
  // A key revoked since still vouches for what the hub stored while it was valid.
  for (const auto& k : record->keys) {
    RegionKey key = k.ToRegionKey();
    key.revoked = false;
    if (Verdict v = ring.Add(key); !v.ok()) {
      throw std::runtime_error("trousseau incohérent pour la région " + region + " : " + v.reason);
    }
  }
  return ring;
}

int Verify(const Args& args) {
  DatabaseKind kind;
  auto db = LogDatabase(args.Get("--database"), kind);
  const std::string region = args.Get("--region");
  const std::string origin =
      RegionOrigin(args.Get("--federation", std::string(kDefaultFederation)), region);
  return InSnapshot(*db, [&](pqxx::work& txn) {
    LogStore store(txn, region);
    RegionLogAudit audit(region, AuditKeyRing(args, kind, txn, region, origin));
    const CompactRange head = store.ReadHead(false);
    CheckpointCursor checkpoints(store);
    ProgressBar progress("vérification", head.size());
    // Checks the stored checkpoint of the audit's size, if there is one, and the stored
    // Merkle nodes against it.
    auto checkpoint_here = [&]() {
      const std::uint64_t size = audit.size();
      if (size == 0 || checkpoints.After(size - 1) != size) return;
      audit.Checkpoint(size, *store.CheckpointNote(size));
      if (audit.problem()) return;
      try {
        if (store.RootAt(size) != audit.root()) {
          audit.StoredTreeDiffers(size, "ses nœuds de Merkle ne donnent pas la racine signée");
        }
      } catch (const std::exception& e) {
        audit.StoredTreeDiffers(size, e.what());
      }
    };
    std::uint64_t from = 0;
    while (!audit.problem()) {
      auto rows = ReadRows(txn, region, from, kPageEntries);
      if (rows.empty()) break;
      for (const auto& row : rows) {
        std::optional<RecordProof> erasure;
        if (!row.record.payload) {
          if (auto tombstone = store.EraseIndexOf(row.record.entry.record_id)) {
            auto sizes = store.CheckpointSizes(*tombstone, kNoLimit, 1);
            if (!sizes.empty()) erasure = store.ProveRecord(*tombstone, sizes.front());
          }
        }
        const auto covering = checkpoints.After(row.index);
        if (!audit.Entry(row.index, row.record, erasure, covering)) break;
        checkpoint_here();
        if (audit.problem()) break;
      }
      from = rows.back().index + 1;
      progress.Update(audit.size());
    }
    if (!audit.problem()) {
      if (auto beyond = checkpoints.After(audit.size())) {
        audit.StoredTreeDiffers(*beyond, "point de contrôle au-delà des " +
                                             std::to_string(audit.size()) + " entrées stockées");
      } else if (head.size() != audit.size()) {
        audit.StoredTreeDiffers(head.size(), "la tête stockée compte " +
                                                 std::to_string(head.size()) +
                                                 " entrées, le "
                                                 "journal " +
                                                 std::to_string(audit.size()));
      } else if (head.Root() != audit.root()) {
        audit.StoredTreeDiffers(head.size(),
                                "la racine de la tête stockée n'est pas celle des "
                                "entrées");
      }
    }
    const std::string where = "journal de la région " + region + " (" + DatabaseName(kind) + ")";
    if (const auto& p = audit.problem()) {
      std::cout << where << " : PROBLÈME à l'index " << p->index << " ["
                << VerdictCodeName(p->verdict.code) << "] " << p->verdict.reason << "\n"
                << "  vérifié jusque-là : " << audit.size() << " entrées, " << audit.checkpoints()
                << " points de contrôle\n";
      return 1;
    }
    std::cout << where << " : vérifié de bout en bout\n"
              << "  entrées : " << audit.size() << " (dont " << audit.erased_entries()
              << " au contenu effacé)\n"
              << "  points de contrôle signés : " << audit.checkpoints()
              << " ; rotations de clé : " << audit.rotations() << "\n"
              << "  tête : " << head.size() << "\n"
              << "  racine : " << ToBase64(audit.root()) << "\n";
    return 0;
  });
}

std::string Optional(const std::optional<std::string>& v, const std::string& none = "jamais") {
  return v.value_or(none);
}

int Status(const Args& args) {
  DatabaseKind kind;
  auto db = LogDatabase(args.Get("--database"), kind);
  return InSnapshot(*db, [&](pqxx::work& txn) {
    std::vector<std::string> regions;
    if (args.Has("--region")) {
      regions.push_back(args.Get("--region"));
    } else {
      regions = StoredRegions(txn);
    }
    SystemClock clock;
    std::cout << DatabaseName(kind) << " : " << regions.size() << " région(s)\n";
    for (const auto& region : regions) {
      LogStore store(txn, region);
      const CompactRange head = store.ReadHead(false);
      const auto last = store.LatestCheckpointSize();
      std::cout << "région " << region << "\n  tête : " << head.size()
                << " entrées ; racine : " << ToBase64(head.Root())
                << "\n  dernier point de contrôle : "
                << (last ? "taille " + std::to_string(*last) : std::string("aucun")) << "\n";
      if (kind == DatabaseKind::kHub) {
        hub::ReplicationStatusReader reader(txn, clock);
        auto s = reader.One(region, 1);
        if (!s) {
          std::cout << "  non inscrite au hub\n";
          continue;
        }
        std::cout << "  statut : " << s->status;
        if (s->status_reason) std::cout << " — " << *s->status_reason;
        std::cout << "\n  accusé aux nœuds (reçus contresignés) : jusqu'à " << s->tree_size
                  << " entrées\n  le nœud annonçait : "
                  << (s->node_tree_size ? std::to_string(*s->node_tree_size) + " entrées (retard " +
                                              std::to_string(s->lag_entries) + " entrées, " +
                                              std::to_string(s->lag_seconds) + " s)"
                                        : std::string("rien"))
                  << (s->node_behind_entries ? "\n  " + hub::NodeBehindWarning(*s) : "")
                  << "\n  dernier contact : " << Optional(s->last_contact_at)
                  << " ; dernier lot accepté : " << Optional(s->last_accepted_at) << "\n"
                  << "  refus : " << s->rejected_count;
        if (!s->latest_rejections.empty()) {
          const auto& r = s->latest_rejections.front();
          std::cout << " ; dernière erreur (" << r.rejected_at << ") : [" << r.code << "] "
                    << r.reason;
          if (r.log_index) std::cout << " (index " << *r.log_index << ")";
        } else {
          std::cout << " ; dernière erreur : aucune";
        }
        std::cout << "\n";
      } else {
        auto s = node::HubReplicationStore(txn, region).Read();
        std::cout << "  accusé par le hub (dernier reçu) : "
                  << (s.last_receipt_size ? "taille " + std::to_string(*s.last_receipt_size)
                                          : std::string("aucun"))
                  << "\n  copie au hub : "
                  << (s.hub_tree_size ? std::to_string(*s.hub_tree_size) + " entrées"
                                      : std::string("inconnue"))
                  << " ; dernier contact : " << Optional(s.last_contact_at) << "\n"
                  << "  dernière erreur : "
                  << (s.last_error ? *s.last_error + " (" + Optional(s.last_error_at, "?") + ")"
                                   : std::string("aucune"))
                  << "\n";
        if (s.append_block) std::cout << "  JOURNAL BLOQUÉ : " << *s.append_block << "\n";
      }
    }
    return 0;
  });
}

// A payload as JSON when it is, else as a string; null once erased.
nlohmann::json PayloadJson(const std::optional<Bytes>& payload) {
  if (!payload) return nullptr;
  std::string text(payload->begin(), payload->end());
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  return parsed.is_discarded() ? nlohmann::json(text) : parsed;
}

const std::vector<std::string> kLogColumns = {
    "index",        "operation",          "kind",      "record_id", "record_version",
    "timestamp_ms", "payload_commitment", "leaf_hash", "entry",     "salt",
    "payload"};

int Export(const Args& args) {
  const std::string what = args.Get("--what", "log");
  const std::string format = args.Get("--format", "jsonl");
  if (what != "log" && what != "records") {
    throw UsageError("export : --what attend « log » ou « records », pas « " + what + " »");
  }
  if (format != "jsonl" && format != "csv") {
    throw UsageError("export : --format attend « jsonl » ou « csv », pas « " + format + " »");
  }
  DatabaseKind kind;
  auto db = LogDatabase(args.Get("--database"), kind);
  const std::string region = args.Get("--region");
  std::unique_ptr<std::ofstream> file;
  if (args.Has("--out")) {
    file = std::make_unique<std::ofstream>(args.Get("--out"), std::ios::binary | std::ios::trunc);
    if (!*file) throw std::runtime_error("export : impossible d'écrire " + args.Get("--out"));
  }
  std::ostream& out = file ? *file : std::cout;
  const bool csv = format == "csv";
  if (csv) out << CsvLine(std::span<const std::string>(kLogColumns));
  auto write = [&](const StoredRow& row) {
    const LogEntry& e = row.record.entry;
    const std::string salt = row.record.salt ? ToBase64(*row.record.salt) : "";
    if (csv) {
      std::vector<std::string> fields = {
          std::to_string(row.index),
          row.operation,
          row.kind,
          row.record_id,
          std::to_string(e.record_version),
          std::to_string(e.timestamp_ms),
          ToHex(e.payload_commitment),
          ToHex(row.record.leaf_hash),
          ToBase64(row.record.entry_bytes),
          salt,
          row.record.payload ? std::string(row.record.payload->begin(), row.record.payload->end())
                             : std::string()};
      out << CsvLine(std::span<const std::string>(fields));
      return;
    }
    nlohmann::json j = {{"index", row.index},
                        {"operation", row.operation},
                        {"kind", row.kind},
                        {"record_id", row.record_id},
                        {"record_version", e.record_version},
                        {"timestamp_ms", e.timestamp_ms},
                        {"payload_commitment", ToHex(e.payload_commitment)},
                        {"leaf_hash", ToHex(row.record.leaf_hash)},
                        {"entry", ToBase64(row.record.entry_bytes)},
                        {"salt", row.record.salt ? nlohmann::json(salt) : nlohmann::json(nullptr)},
                        {"payload", PayloadJson(row.record.payload)}};
    out << j.dump() << "\n";
  };
  const std::uint64_t count = InSnapshot(*db, [&](pqxx::work& txn) {
    LogStore store(txn, region);
    std::uint64_t written = 0;
    if (what == "log") {
      ProgressBar progress("export", store.ReadHead(false).size());
      std::uint64_t from = 0;
      for (;;) {
        auto rows = ReadRows(txn, region, from, kPageEntries);
        if (rows.empty()) break;
        for (const auto& row : rows) write(row);
        written += rows.size();
        from = rows.back().index + 1;
        progress.Update(written);
      }
      return written;
    }
    // The public records: the latest entry of each record, unless it erased the record.
    const std::uint64_t total = txn.exec_params(
                                       "SELECT count(DISTINCT record_id) FROM log_entry "
                                       "WHERE region = $1",
                                       region)[0][0]
                                    .as<std::uint64_t>();
    ProgressBar progress("export", total);
    std::optional<std::string> after;
    std::uint64_t seen = 0;
    for (;;) {
      auto rows = LatestRows(txn, region, after, kPageEntries);
      if (rows.empty()) break;
      for (const auto& row : rows) {
        if (row.operation == "erase" || !row.record.payload) continue;
        write(row);
        ++written;
      }
      seen += rows.size();
      after = rows.back().record_id;
      progress.Update(seen);
    }
    return written;
  });
  out.flush();
  if (file) {
    std::cerr << "essctl : " << count << " lignes écrites dans " << args.Get("--out") << "\n";
  }
  return 0;
}

}  // namespace

std::vector<Command> LogCommands() {
  std::vector<Command> out;
  out.push_back(
      {{"verify",
        "vérifie le journal entier d'une région, de bout en bout : chaque entrée à sa place (sans\n"
        "trou), son contenu contre son engagement (ou la preuve de son effacement), chaque point\n"
        "de contrôle signé par la clé de la région et la racine des entrées, l'arbre de Merkle\n"
        "et la tête stockés ; affiche le premier problème avec son index (code de sortie 1) ou\n"
        "un résumé. Lit le journal par pages, dans un instantané de la base.",
        {kLogDatabase,
         {"--region", "CODE", "la région dont le journal est vérifié", true},
         {"--verifier-key", "CLÉ",
          "la première clé de la région (valide dès l'index 0) ; requise sur la base d'un "
          "nœud (au hub : ses clés inscrites)"},
         kFederation}},
       Verify});
  out.push_back({{"status",
                  "l'état des journaux de la base : tête, dernier point de contrôle ; au hub, pour "
                  "chaque région,\nce qui est accusé, ce que le nœud annonçait, la dernière "
                  "erreur ; au nœud, ce que le hub a accusé",
                  {kLogDatabase, {"--region", "CODE", "une seule région"}}},
                 Status});
  out.push_back(
      {{"export",
        "exporte le journal d'une région (--what log : chaque entrée avec ses octets, son sel et\n"
        "son contenu) ou ses fiches publiques (--what records : la dernière révision de chaque\n"
        "enregistrement non effacé), en lignes JSON (jsonl) ou en CSV, sur la sortie standard\n"
        "ou dans un fichier",
        {kLogDatabase,
         {"--region", "CODE", "la région exportée", true},
         {"--what", "log|records", "quoi exporter (log par défaut)"},
         {"--format", "jsonl|csv", "le format (jsonl par défaut)"},
         {"--out", "FICHIER", "le fichier écrit (la sortie standard par défaut)"}}},
       Export});
  return out;
}

}  // namespace ess::essctl
