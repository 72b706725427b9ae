// Multi-process: what happens when a node's log and the hub's copy disagree, and how admins
// resolve it with essctl (docs/replication.md).
//   - a node restored from an old backup finds the hub ahead: its journal refuses to append
//     until the hub's copy is reset, then it resyncs;
//   - a restored node that wrote on has forked: the hub keeps the evidence and stops the
//     region, the node's journal is blocked; a reset resolves it;
//   - a key rotation journalled with essctl is followed by the hub.
#include <doctest/doctest.h>

#include "core/log_store.h"
#include "node/replication/hub_replication_store.h"
#include "node/store/database_fault.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

template <typename T>
T Scalar(const std::string& database, const std::string& sql) {
  pqxx::connection c(database);
  pqxx::nontransaction txn(c);
  auto r = txn.exec(sql);
  return r.empty() || r[0][0].is_null() ? T{} : r[0][0].as<T>();
}

bool AppendBlocked(const std::string& node_database) {
  return Scalar<bool>(node_database,
                      "SELECT append_blocked FROM hub_replication_state WHERE region = '93'");
}

// Writes `transactions` transactions of two admitted initiatives each.
void Write(NodeJournal& journal, int transactions, const std::string& prefix) {
  for (int t = 0; t < transactions; ++t) {
    std::vector<LogChange> changes;
    for (int k = 0; k < 2; ++k) {
      changes.push_back(PutInitiative(
          NewRecordId(), InitiativePayload(prefix + " " + std::to_string(t) + "-" + std::to_string(k), "admitted")));
    }
    journal.Append(std::move(changes));
  }
}

// Copies the first `size` entries and the checkpoint at `size` of one node database into
// another: a backup taken when the log had `size` entries.
void RestoreBackup(NodeJournal& from, NodeJournal& to, std::uint64_t size) {
  auto records = from.Records(0, size);
  auto note = from.Transaction([&](pqxx::work& txn) { return *LogStore(txn, "93").CheckpointNote(size); });
  to.Transaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    CompactRange range = store.ReadHead(/*lock=*/true);
    store.Append(range, records);
    Checkpoint cp;
    cp.origin = RegionOrigin(kDefaultFederation, "93");
    cp.size = size;
    cp.root = range.Root();
    store.StoreCheckpoint(cp, note);
  });
}

struct Federation {
  TempDir dir;
  TestDatabase hub_db, live_db, backup_db;
  HubProcess hub{dir, hub_db.connection_string()};
  std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");

  Federation() {
    Enrol(dir, hub_db.connection_string(), "93", key);
    hub.Start();
  }
  // A node database with the node's schema, the node not running.
  void PrepareSchema(const std::string& database) {
    NodeProcess n(dir, "93", database, key);
    n.Start("");
    n.Stop();
  }
  // Where both restore stories start: the live node wrote 10 entries and the hub holds them;
  // the live node is stopped and `backup_db` holds a backup taken at 6 entries. Returns the
  // journal of the backup's database.
  NodeJournal& OldBackup() {
    NodeProcess live(dir, "93", live_db.connection_string(), key);
    live.Start(hub.grpc_address());
    NodeJournal live_journal(live_db.connection_string(), "93", key);
    Write(live_journal, 5, "Avant");
    REQUIRE(WaitUntil(30s, [&] { return hub.TreeSize("93") == 10; }));
    live.Stop();
    PrepareSchema(backup_db.connection_string());
    restored_journal.emplace(backup_db.connection_string(), "93", key);
    RestoreBackup(live_journal, *restored_journal, 6);
    return *restored_journal;
  }
  std::optional<NodeJournal> restored_journal;
};

}  // namespace

TEST_CASE("a node restored from an old backup refuses to append until the hub is reset") {
  Federation f;
  NodeJournal& restored_journal = f.OldBackup();
  NodeProcess restored(f.dir, "93", f.backup_db.connection_string(), f.key);
  restored.Start(f.hub.grpc_address());
  REQUIRE(WaitUntil(30s, [&] { return AppendBlocked(f.backup_db.connection_string()); }));

  // The journal refuses, whatever writes: the database itself says why.
  try {
    Write(restored_journal, 1, "Refusée");
    FAIL("the journal accepted an entry while the hub is ahead");
  } catch (const pqxx::sql_error& e) {
    CHECK(e.sqlstate() == "ESHUB");
    CHECK(node::DatabaseFaultOf(e) == node::DatabaseFault::kAppendBlocked);
    CHECK(std::string(e.what()).find("ancienne sauvegarde") != std::string::npos);
  }
  {
    // What the node's domain asks before a change, to refuse it with a clear message.
    pqxx::connection c(f.backup_db.connection_string());
    node::PrepareHubReplicationStatements(c);
    pqxx::work txn(c);
    auto block = node::HubAppendBlock(txn, "93");
    REQUIRE(block);
    CHECK(block->find("le hub détient 10 entrées") != std::string::npos);
  }
  CHECK(restored_journal.Head().size() == 6);
  auto status = RunEssctl(f.dir, {"node", "replication-status", "--database",
                                  f.backup_db.connection_string(), "--region", "93"});
  CHECK(status.exit_code == 0);
  CHECK(status.output.find("JOURNAL BLOQUÉ") != std::string::npos);
  // The hub is untouched: nothing was sent, nothing refused. It reports the node behind it
  // (from the size the node announced in its authenticated hello), to its pages and essctl.
  CHECK(f.hub.TreeSize("93") == 10);
  CHECK(f.hub.Region("93")["rejected_count"] == 0);
  REQUIRE(WaitUntil(30s, [&] { return f.hub.Region("93")["node_behind_entries"] == 4; }));
  CHECK(f.hub.Region("93")["node_tree_size"] == 6);
  CHECK(f.hub.Region("93")["lag_entries"] == 0);
  CHECK(f.hub.Region("93")["status"] == "active");
  const std::string hub_db = f.hub_db.connection_string();
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"region", "show", "--database", hub_db, "--region", "93"},
        std::vector<std::string>{"status", "--database", hub_db}}) {
    auto shown = RunEssctl(f.dir, args);
    CHECK(shown.exit_code == 0);
    CHECK_MESSAGE(shown.output.find("NŒUD EN RETARD SUR LE HUB : le nœud de la région annonce 6 "
                                    "entrées, le hub en détient 10") != std::string::npos,
                  shown.output);
  }

  // Resolution chosen here: the restored node is the truth; the hub forgets its copy. The
  // node sees a consistent hub again, lifts the block by itself and resyncs from index 0.
  auto reset = RunEssctl(f.dir, {"region", "reset", "--database", f.hub_db.connection_string(),
                                 "--region", "93", "--confirm"});
  REQUIRE(reset.exit_code == 0);
  REQUIRE(WaitUntil(60s, [&] { return !AppendBlocked(f.backup_db.connection_string()); }));
  CHECK(WaitUntil(30s, [&] { return f.hub.TreeSize("93") == 6; }));
  CHECK(f.hub.Region("93")["node_behind_entries"] == 0);
  Write(restored_journal, 1, "Après");
  CHECK(WaitUntil(30s, [&] { return f.hub.TreeSize("93") == 8; }));
  CHECK(GetJson(f.hub.http_port(), "/api/initiatives?region=93")["total"] == 8);
  restored.Stop();
  f.hub.Stop();
}

TEST_CASE("a restored node that wrote on has forked: evidence at the hub, journal blocked") {
  Federation f;
  NodeJournal& restored_journal = f.OldBackup();
  Write(restored_journal, 3, "Divergente");  // 12 entries, 6..11 unlike the hub's
  NodeProcess restored(f.dir, "93", f.backup_db.connection_string(), f.key);
  restored.Start(f.hub.grpc_address());
  REQUIRE(WaitUntil(30s, [&] { return AppendBlocked(f.backup_db.connection_string()); }));
  REQUIRE(WaitUntil(30s, [&] { return f.hub.Region("93")["status"] == "forked"; }));
  auto region = f.hub.Region("93");
  CHECK(region["latest_rejections"][0]["code"] == "fork");
  CHECK(region["latest_rejections"][0]["fork_evidence"] == true);
  CHECK(f.hub.TreeSize("93") == 10);
  auto show = RunEssctl(f.dir, {"region", "show", "--database", f.hub_db.connection_string()});
  CHECK(show.output.find("forked") != std::string::npos);

  REQUIRE(RunEssctl(f.dir, {"region", "reset", "--database", f.hub_db.connection_string(),
                            "--region", "93", "--confirm"})
              .exit_code == 0);
  REQUIRE(WaitUntil(60s, [&] { return f.hub.TreeSize("93") == 12; }));
  CHECK_FALSE(AppendBlocked(f.backup_db.connection_string()));
  CHECK(GetJson(f.hub.http_port(), "/api/initiatives?q=divergente")["total"] == 6);
  CHECK(GetJson(f.hub.http_port(), "/api/regions/93")["status"] == "active");
  restored.Stop();
  f.hub.Stop();
}

TEST_CASE("a key rotation journalled with essctl is followed by the hub") {
  Federation f;
  NodeProcess node(f.dir, "93", f.live_db.connection_string(), f.key);
  node.Start(f.hub.grpc_address());
  {
    NodeJournal journal(f.live_db.connection_string(), "93", f.key);
    Write(journal, 2, "Ancienne clé");
  }
  REQUIRE(WaitUntil(30s, [&] { return f.hub.TreeSize("93") == 4; }));
  node.Stop();

  const std::string next_key = MakeKey(f.dir, "ess-federation/region/93", "paca-2.key");
  auto rotate = RunEssctl(f.dir, {"node", "rotate-key", "--database", f.live_db.connection_string(),
                                  "--region", "93", "--key", f.key, "--next-key", next_key});
  REQUIRE_MESSAGE(rotate.exit_code == 0, rotate.output);
  CHECK(rotate.output.find("à partir de l'index 5") != std::string::npos);

  NodeProcess rotated(f.dir, "93", f.live_db.connection_string(), next_key);
  rotated.Start(f.hub.grpc_address());
  NodeJournal journal(f.live_db.connection_string(), "93", next_key);
  Write(journal, 2, "Nouvelle clé");
  REQUIRE(WaitUntil(30s, [&] { return f.hub.TreeSize("93") == 9; }));
  auto region = f.hub.Region("93");
  CHECK(region["rejected_count"] == 0);
  REQUIRE(region["keys"].size() == 2);
  CHECK(region["keys"][0]["valid_until_index"] == 5);
  CHECK(region["keys"][1]["added_by"] == "rotation");
  CHECK(region["key_fingerprint"] == KeyFingerprint(ReadKeyFile(next_key).signer.public_key()));
  auto fingerprint = RunEssctl(f.dir, {"fingerprint", "--verifier-key", VerifierKeyOf(next_key)});
  CHECK(fingerprint.output.find(region["key_fingerprint"].get<std::string>()) != std::string::npos);
  rotated.Stop();
  f.hub.Stop();
}
