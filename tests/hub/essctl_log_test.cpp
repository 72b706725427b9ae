// essctl verify, status and export on a real PostgreSQL, on a node's database and on the
// hub's, with logs built by the test helpers that sign logs as a node does: a good log passes
// end to end; a payload altered, an entry deleted (a gap) or a checkpoint's signature altered
// in the database is reported at its index. Every command's --help, unknown options, and no
// progress bar when stderr is not a terminal.
#include <doctest/doctest.h>

#include <sstream>

#include "core/log_store.h"
#include "core/pg_migrations.h"
#include "hub/store/hub_migrations.h"
#include "node/node_migrations.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

const RecordId kErased = TestRecordId(900);

// A region log of 30 entries: 29 initiatives, one record erased (its put at 3, its tombstone
// at 15), a key rotation at 24 (the checkpoint at 25 signed by the old key, later ones by the
// new), checkpoints at 5, 10, 20, 25 and 30.
struct BuiltLog {
  SignedRegionLog log{"93", 1};
  std::vector<std::uint64_t> checkpoints = {5, 10, 20, 25, 30};
  std::map<std::uint64_t, std::string> notes;
  std::string first_key;

  BuiltLog() {
    first_key = log.VerifierKeyText();
    const Ed25519Signer next = Ed25519Signer::FromSeed(SeedOf(77));
    for (std::uint32_t i = 0; i < 30; ++i) {
      if (i == 3) {
        log.Initiative(kErased, InitiativePayload("Fiche effacée", "published"));
      } else if (i == 15) {
        log.Append(RecordKind::kInitiative, kErased, R"({"reason":"demande d'effacement"})",
                   Operation::kErase);
      } else if (i == 24) {
        KeyRotation rotation{*ParseVerifierKey(FormatVerifierKey(log.origin(), next.public_key())),
                             25};
        log.Append(RecordKind::kKeyRotation, TestRecordId(800), EncodeKeyRotation(rotation));
      } else {
        log.Initiative(TestRecordId(i),
                       InitiativePayload("Initiative " + std::to_string(i), "published"));
      }
      if (i + 1 == 25) {
        for (auto size : checkpoints) {
          if (size <= 25) notes[size] = log.SignedCheckpoint(size);
        }
        log.set_signer(next);
      }
    }
    notes[30] = log.SignedCheckpoint(30);
  }

  // Writes the log as node and hub store it (core/log_store.h), the erased payload erased.
  void WriteTo(const std::string& url) const {
    PgPool pool(
        {url, 1, std::chrono::seconds(10), [](pqxx::connection& c) { PrepareLogStatements(c); }});
    pool.WithTransaction([&](pqxx::work& txn) {
      LogStore store(txn, log.region());
      CompactRange range = store.ReadHead(true);
      std::uint64_t from = 0;
      for (auto size : checkpoints) {
        store.Append(range, std::span<const LogRecord>(log.records().data() + from, size - from));
        store.StoreCheckpoint(log.CheckpointAt(size), notes.at(size));
        from = size;
      }
      store.ErasePayloads(kErased);
      return 0;
    });
  }
};

std::string NodeDatabaseWith(const TestDatabase& db, const BuiltLog& built) {
  pqxx::connection c(db.connection_string());
  ApplyMigrations(c, node::NodeMigrations());
  built.WriteTo(db.connection_string());
  return db.connection_string();
}

std::string HubDatabaseWith(const TempDir& dir, const TestDatabase& db, const BuiltLog& built) {
  {
    pqxx::connection c(db.connection_string());
    ApplyMigrations(c, hub::HubMigrations());
  }
  auto enrolled = RunEssctl(dir, {"region", "enrol", "--database", db.connection_string(),
                                  "--region", "93", "--verifier-key", built.first_key});
  REQUIRE(enrolled.exit_code == 0);
  built.WriteTo(db.connection_string());
  return db.connection_string();
}

void Exec(const std::string& url, const std::string& sql) {
  pqxx::connection c(url);
  pqxx::work txn(c);
  txn.exec(sql);
  txn.commit();
}

std::size_t Lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Runs `program` (found on PATH by /usr/bin/env) with `args`, its output merged.
CommandResult RunCommand(const TempDir& dir, const std::string& program,
                         std::vector<std::string> args) {
  args.insert(args.begin(), program);
  const std::string log = dir.File(program + ".log");
  ChildProcess p("/usr/bin/env", args, log);
  auto code = p.Wait(60s);
  REQUIRE(code);
  return {*code, ReadFile(log)};
}

bool Has(const CommandResult& r, const std::string& text) {
  return r.output.find(text) != std::string::npos;
}

}  // namespace

TEST_CASE(
    "essctl verify: a good log passes end to end, from a node's and from the hub's database") {
  TempDir dir;
  BuiltLog built;
  const std::string root = ToBase64(built.log.tree().Root());

  TestDatabase node_db;
  const std::string node = NodeDatabaseWith(node_db, built);
  auto ok = RunEssctl(
      dir, {"verify", "--database", node, "--region", "93", "--verifier-key", built.first_key});
  INFO(ok.output);
  CHECK(ok.exit_code == 0);
  CHECK(Has(ok, "journal de la région 93 (la base du nœud) : vérifié de bout en bout"));
  CHECK(Has(ok, "entrées : 30 (dont 1 au contenu effacé)"));
  CHECK(Has(ok, "points de contrôle signés : 5 ; rotations de clé : 1"));
  CHECK(Has(ok, "tête : 30"));
  CHECK(Has(ok, "racine : " + root));
  // Not a terminal: no progress bar.
  CHECK_FALSE(Has(ok, "\r"));
  CHECK_FALSE(Has(ok, "vérification ["));
  // On a terminal (util-linux's script gives the command one): the bar, then its line cleared.
  if (std::system("command -v script >/dev/null") == 0) {
    const std::string command = BuiltExecutable("essctl/essctl") + " verify --database '" + node +
                                "' --region 93 --verifier-key '" + built.first_key + "'";
    auto on_terminal = RunCommand(dir, "script", {"-qec", command, "/dev/null"});
    INFO(on_terminal.output);
    CHECK(on_terminal.exit_code == 0);
    CHECK(Has(on_terminal, "vérification [##############################] 100 % (30/30)"));
    CHECK(Has(on_terminal, "vérifié de bout en bout"));
  }
  // A node's database holds no key: the region's first one is given.
  auto no_key = RunEssctl(dir, {"verify", "--database", node, "--region", "93"});
  CHECK(no_key.exit_code == 2);
  CHECK(Has(no_key, "--verifier-key est requis sur la base d'un nœud"));
  // Another key than the region's: the first entry that needs a signature fails (the erased
  // one at 3, whose tombstone's checkpoint is not signed by that key).
  auto wrong = RunEssctl(dir, {"verify", "--database", node, "--region", "93", "--verifier-key",
                               SignedRegionLog("93", 9).VerifierKeyText()});
  CHECK(wrong.exit_code == 1);
  CHECK(Has(wrong, "PROBLÈME à l'index 3 [payload_invalid]"));

  TestDatabase hub_db;
  const std::string hub = HubDatabaseWith(dir, hub_db, built);
  auto at_hub = RunEssctl(dir, {"verify", "--database", hub, "--region", "93"});
  INFO(at_hub.output);
  CHECK(at_hub.exit_code == 0);
  CHECK(Has(at_hub, "journal de la région 93 (la base du hub) : vérifié de bout en bout"));
  CHECK(Has(at_hub, "racine : " + root));
  CHECK(RunEssctl(dir, {"verify", "--database", hub, "--region", "76"}).exit_code == 1);
}

TEST_CASE("essctl verify: the first problem in the database, with its index") {
  TempDir dir;
  BuiltLog built;
  auto verify_node = [&](const std::string& corruption) {
    TestDatabase db;
    const std::string url = NodeDatabaseWith(db, built);
    Exec(url, corruption);
    return RunEssctl(
        dir, {"verify", "--database", url, "--region", "93", "--verifier-key", built.first_key});
  };
  auto altered = verify_node(
      "UPDATE log_entry SET payload = convert_to('{\"name\":\"Autre\"}', 'UTF8') "
      "WHERE log_index = 7");
  INFO(altered.output);
  CHECK(altered.exit_code == 1);
  CHECK(Has(altered, "PROBLÈME à l'index 7 [payload_mismatch]"));
  CHECK(Has(altered, "vérifié jusque-là : 7 entrées, 1 points de contrôle"));

  auto gap = verify_node("DELETE FROM log_entry WHERE log_index = 12");
  INFO(gap.output);
  CHECK(gap.exit_code == 1);
  CHECK(Has(gap,
            "PROBLÈME à l'index 12 [gap] entrée 12 : absente (l'entrée suivante stockée est 13)"));

  // One character of the signature of the checkpoint of size 10 (index 9) changed (not the one
  // of size 20: it proves the erasure of entry 3, which would fail first).
  std::string note = built.notes.at(10);
  const std::size_t signature_at = note.find("\n\n— ");
  REQUIRE(signature_at != std::string::npos);
  const std::size_t changed = note.find(' ', signature_at + 6) + 12;  // past the key id
  note[changed] = note[changed] == 'A' ? 'B' : 'A';
  auto signature =
      verify_node("UPDATE log_checkpoint SET note = $note$" + note + "$note$ WHERE tree_size = 10");
  INFO(signature.output);
  CHECK(signature.exit_code == 1);
  CHECK(Has(signature, "PROBLÈME à l'index 9 [bad_signature] point de contrôle de taille 10"));

  // The erased payload's tombstone gone: the erasure is no longer proven.
  auto tombstone = verify_node("DELETE FROM log_entry WHERE log_index = 15");
  CHECK(tombstone.exit_code == 1);
  CHECK(Has(tombstone, "PROBLÈME à l'index 3 [payload_invalid]"));

  // The same from the hub's database: the hub's copy, its keys from its registry.
  TestDatabase hub_db;
  const std::string hub = HubDatabaseWith(dir, hub_db, built);
  Exec(hub, "UPDATE log_entry SET payload = convert_to('{}', 'UTF8') WHERE log_index = 27");
  auto at_hub = RunEssctl(dir, {"verify", "--database", hub, "--region", "93"});
  INFO(at_hub.output);
  CHECK(at_hub.exit_code == 1);
  CHECK(Has(at_hub, "(la base du hub) : PROBLÈME à l'index 27 [payload_mismatch]"));
  // A stored Merkle node (leaves 0 to 3) altered: the stored tree at 5 no longer gives the
  // signed root.
  TestDatabase hub_db2;
  const std::string hub2 = HubDatabaseWith(dir, hub_db2, built);
  Exec(hub2, "UPDATE merkle_node SET hash = sha256(hash) WHERE level = 2 AND node_index = 0");
  auto tree = RunEssctl(dir, {"verify", "--database", hub2, "--region", "93"});
  INFO(tree.output);
  CHECK(tree.exit_code == 1);
  CHECK(Has(tree, "PROBLÈME à l'index 4 [bad_signature] arbre stocké de taille 5"));
}

TEST_CASE("essctl status and export: what a node's and the hub's database hold") {
  TempDir dir;
  BuiltLog built;
  TestDatabase node_db;
  const std::string node = NodeDatabaseWith(node_db, built);
  auto status = RunEssctl(dir, {"status", "--database", node});
  INFO(status.output);
  CHECK(status.exit_code == 0);
  CHECK(Has(status, "la base du nœud : 1 région(s)"));
  CHECK(Has(status,
            "région 93\n  tête : 30 entrées ; racine : " + ToBase64(built.log.tree().Root())));
  CHECK(Has(status, "dernier point de contrôle : taille 30"));
  CHECK(Has(status, "accusé par le hub (dernier reçu) : aucun"));
  CHECK(Has(status, "dernière erreur : aucune"));

  TestDatabase hub_db;
  const std::string hub = HubDatabaseWith(dir, hub_db, built);
  auto hub_status = RunEssctl(dir, {"status", "--database", hub, "--region", "93"});
  INFO(hub_status.output);
  CHECK(hub_status.exit_code == 0);
  CHECK(Has(hub_status, "la base du hub : 1 région(s)"));
  CHECK(Has(hub_status, "statut : active"));
  CHECK(Has(hub_status, "dernière erreur : aucune"));

  // The log as JSON lines: one per entry, the erased payload null, the rest as written.
  auto log = RunEssctl(dir, {"export", "--database", node, "--region", "93"});
  REQUIRE(log.exit_code == 0);
  CHECK(Lines(log.output) == 30);
  std::istringstream lines(log.output);
  std::string line;
  std::vector<nlohmann::json> entries;
  while (std::getline(lines, line)) entries.push_back(nlohmann::json::parse(line));
  REQUIRE(entries.size() == 30);
  CHECK(entries[3]["payload"].is_null());
  CHECK(entries[3]["salt"].is_null());
  CHECK(entries[3]["record_id"] == RecordIdToString(kErased));
  CHECK(entries[15]["operation"] == "erase");
  CHECK(entries[24]["kind"] == "key_rotation");
  CHECK(entries[7]["payload"]["name"] == "Initiative 7");
  CHECK(entries[7]["entry"] == ToBase64(built.log.records()[7].entry_bytes));
  // CSV to a file, from the hub's copy.
  auto csv = RunEssctl(dir, {"export", "--database", hub, "--region", "93", "--format", "csv",
                             "--out", dir.File("log.csv")});
  CHECK(csv.exit_code == 0);
  CHECK(Has(csv, "30 lignes écrites"));
  const std::string csv_text = ReadFile(dir.File("log.csv"));
  CHECK(csv_text.rfind("index,operation,kind,record_id,record_version,timestamp_ms,", 0) == 0);
  CHECK(Lines(csv_text) == 31);
  // The public records: the latest revision of each record, the erased one left out (27
  // initiatives; the rotation is no record).
  auto records =
      RunEssctl(dir, {"export", "--database", node, "--region", "93", "--what", "records"});
  CHECK(records.exit_code == 0);
  CHECK(Lines(records.output) == 27);
  CHECK(records.output.find(RecordIdToString(kErased)) == std::string::npos);
  auto bad = RunEssctl(dir, {"export", "--database", node, "--region", "93", "--format", "xml"});
  CHECK(bad.exit_code == 2);
  CHECK(Has(bad, "--format attend « jsonl » ou « csv », pas « xml »"));
}

TEST_CASE("essctl --help on every command and group; unknown options named") {
  TempDir dir;
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> commands = {
      {{"keygen"}, {"--name NOM", "--out FICHIER"}},
      {{"pubkey"}, {"--key FICHIER"}},
      {{"fingerprint"}, {"--verifier-key CLÉ"}},
      {{"hub", "key"}, {"--key-file FICHIER"}},
      {{"region", "enrol"}, {"--database URL", "--region CODE", "--verifier-key", "--from-index"}},
      {{"region", "add-key"}, {"--from-index N"}},
      {{"region", "revoke-key"}, {"--key EMPREINTE|ID", "--reason TEXTE"}},
      {{"region", "show"}, {"--database URL"}},
      {{"region", "reactivate"}, {"--region CODE"}},
      {{"region", "reset"}, {"--confirm"}},
      {{"pilot", "add"}, {"--email ADRESSE", "--name NOM", "--password-stdin"}},
      {{"pilot", "set-password"}, {"--password-stdin"}},
      {{"pilot", "disable"}, {"--email ADRESSE"}},
      {{"pilot", "enable"}, {"--email ADRESSE"}},
      {{"pilot", "list"}, {"--database URL"}},
      {{"node", "rotate-key"}, {"--key ANCIENNE", "--next-key NOUVELLE"}},
      {{"node", "replication-status"}, {"--region CODE"}},
      {{"node", "unblock"}, {"--region CODE"}},
      {{"verify"}, {"--database URL", "--region CODE", "--verifier-key CLÉ"}},
      {{"status"}, {"--database URL", "--region CODE"}},
      {{"export"}, {"--what log|records", "--format jsonl|csv", "--out FICHIER"}},
  };
  for (const auto& [path, options] : commands) {
    for (const std::string help : {"--help", "-h"}) {
      std::vector<std::string> args = path;
      args.push_back(help);
      auto r = RunEssctl(dir, args);
      INFO(r.output);
      CHECK(r.exit_code == 0);
      CHECK(r.output.rfind("usage : essctl " + path[0], 0) == 0);
      CHECK(Has(r, "Options :"));
      CHECK(Has(r, "-h, --help"));
      for (const auto& o : options) CHECK(Has(r, o));
    }
    std::vector<std::string> unknown = path;
    unknown.push_back("--frobnicate");
    auto r = RunEssctl(dir, unknown);
    CHECK(r.exit_code == 2);
    CHECK(Has(r, "option inconnue : --frobnicate"));
  }
  for (const std::string group : {"region", "pilot", "node", "hub"}) {
    auto r = RunEssctl(dir, {group, "--help"});
    CHECK(r.exit_code == 0);
    CHECK(Has(r, "essctl " + group + " "));
  }
  auto top = RunEssctl(dir, {"--help"});
  CHECK(top.exit_code == 0);
  CHECK(Has(top, "essctl verify --database URL --region CODE"));
  CHECK(Has(top, "essctl export"));
  auto missing_value = RunEssctl(dir, {"verify", "--database"});
  CHECK(missing_value.exit_code == 2);
  CHECK(Has(missing_value, "--database attend une valeur (URL)"));
  auto stray = RunEssctl(dir, {"status", "--database", "x", "encore"});
  CHECK(stray.exit_code == 2);
  CHECK(Has(stray, "argument inattendu : « encore »"));
}
