// Catch-up throughput of region-to-hub replication, end to end with the real processes, and
// PostgreSQL's own replication of the same rows in the same run, on the same server.
//
// Ours: a node's journal holds N signed initiative revisions (100 per transaction, as a busy
// node writes them); an ess-node and an empty ess-hub start, and the clock runs until the
// hub's replication state (stored in the transaction that stores the entries and builds the
// national tables) says the hub holds the last entry. Every entry is verified (signature,
// consistency, commitment, payload content), stored with its Merkle nodes and applied to the
// national view. Case one_node: one node of N entries; case three_nodes: three nodes of N
// entries each (regions 93, 76, 84) to one empty hub at once.
//
// Peers, on the same throwaway cluster (wal_level = logical):
//   - logical replication (CREATE PUBLICATION on the national rows, one per region with a row
//     filter / CREATE SUBSCRIPTION in a second database), its apply measured alone (the
//     subscription is enabled once the rows are in the source's WAL, in transactions of 1,000
//     rows), into the hub's own national_initiative table with every index the hub's
//     migrations give it ("indexed"), and into the same table without any index ("bare");
//   - a bare COPY of the node's log_entry rows to another database (psql \copy through a pipe).
// None of the peers verifies anything.
//
//   replication_bench [--quick | entries] [--run K] [--pg-stats]
// Full run: 200,000 entries per node; --quick: 20,000. --pg-stats prints the hub's top
// statements (pg_stat_statements) on stderr. Human output on stderr; one JSON object per case
// on stdout (docs/benchmarks.md, bench output contract).
#include <cstdio>
#include <iostream>
#include <thread>

#include "hub/store/hub_migrations.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

using Steady = std::chrono::steady_clock;

double Seconds(Steady::duration d) { return std::chrono::duration<double>(d).count(); }

const TestPlace kLyon{"69123", "69", "84", 45.75499, 4.78812};

struct Region {
  std::string code;
  const TestPlace* places[2];
};
const Region kRegions[] = {
    {"93", {&kMarseille, &kNice}}, {"76", {&kToulouse, &kToulouse}}, {"84", {&kLyon, &kLyon}}};

void Exec(const std::string& database, const std::string& sql) {
  pqxx::connection c(database);
  pqxx::nontransaction t(c);
  t.exec(sql);
}

std::uint64_t Count(const std::string& database, const std::string& sql) {
  pqxx::connection c(database);
  pqxx::nontransaction t(c);
  return t.exec1(sql)[0].as<std::uint64_t>();
}

void Shell(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// Fills a node database of `region` with `n` initiative revisions (the node applies its
// schema at its first start, without a hub).
void FillNode(NodeProcess& node, const Region& region, std::uint64_t n) {
  node.Start("");
  node.Stop();
  NodeJournal journal(node.database(), region.code, node.key_file());
  const auto tag = static_cast<std::uint8_t>(std::stoi(region.code));
  for (std::uint64_t i = 0; i < n; i += 100) {
    std::vector<LogChange> changes;
    for (std::uint64_t k = i; k < std::min(n, i + 100); ++k) {
      changes.push_back(
          PutInitiative(TestRecordId(static_cast<std::uint32_t>(k), tag),
                        InitiativePayload("Initiative " + region.code + " " + std::to_string(k),
                                          "admitted", *region.places[k % 2])));
    }
    journal.Append(std::move(changes));
  }
}

// Seconds from the nodes' start to the hub holding every entry of every node.
double CatchUp(HubProcess& hub, std::vector<NodeProcess*> nodes, std::uint64_t n) {
  const auto start = Steady::now();
  for (NodeProcess* node : nodes) node->Start(hub.grpc_address());
  const bool done = WaitUntil(std::chrono::minutes(30), [&] {
    for (NodeProcess* node : nodes) {
      if (hub.TreeSize(node->region()) != n) return false;
    }
    return true;
  });
  const double seconds = Seconds(Steady::now() - start);
  for (NodeProcess* node : nodes) node->Stop();
  if (!done) throw std::runtime_error("the hub did not catch up in 30 minutes");
  return seconds;
}

void PrintTopStatements(const std::string& database) {
  pqxx::connection c(database);
  pqxx::nontransaction t(c);
  auto rows = t.exec(
      "SELECT round(total_exec_time)::bigint, calls, rows, "
      "round(100 * total_exec_time / sum(total_exec_time) OVER ())::int, "
      "left(regexp_replace(query, '\\s+', ' ', 'g'), 90) FROM pg_stat_statements "
      "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) "
      "ORDER BY total_exec_time DESC LIMIT 10");
  std::cerr << "hub's top statements (ms, calls, rows, % of SQL time, query):\n";
  for (const auto& r : rows) {
    std::cerr << "  " << r[0].c_str() << "  " << r[1].c_str() << "  " << r[2].c_str() << "  "
              << r[3].c_str() << "%  " << r[4].c_str() << "\n";
  }
}

// The columns national_initiative stores (its generated column excluded).
std::string StoredColumns(const std::string& database) {
  pqxx::connection c(database);
  pqxx::nontransaction t(c);
  return t
      .exec1(
          "SELECT string_agg(column_name, ', ' ORDER BY ordinal_position) FROM "
          "information_schema.columns WHERE table_name = 'national_initiative' AND "
          "is_generated = 'NEVER'")[0]
      .as<std::string>();
}

// The source of the logical replication peer: the hub's national tables' schema, the rows the
// hub built, copied into a staging table (peer_rows, in log order per region) of `source`.
void FillPeerSource(const std::string& hub_db, const std::string& source) {
  pqxx::connection c(source);
  ApplyMigrations(c, hub::HubMigrations());
  const std::string columns = StoredColumns(source);
  Exec(source,
       "CREATE TABLE peer_rows AS SELECT " + columns + " FROM national_initiative WITH NO DATA");
  Shell("psql -q '" + hub_db + "' -c '\\copy (SELECT " + columns +
        " FROM national_initiative ORDER BY region, log_index) TO STDOUT' | psql -q '" + source +
        "' -c '\\copy peer_rows FROM STDIN'");
  Exec(source, "ALTER TABLE peer_rows ADD COLUMN seq bigserial");
  // The hub's own triggers (if any) are not the peer's work: the source only holds rows.
  Exec(source, "ALTER TABLE national_initiative DISABLE TRIGGER USER");
  for (const Region& r : kRegions) {
    // Inserts only: the source's TRUNCATE before each load must not reach the target, where
    // one region's subscription would empty the rows another's had already applied.
    Exec(source, "CREATE PUBLICATION peer_" + r.code +
                     " FOR TABLE national_initiative WHERE (region = '" + r.code +
                     "') WITH (publish = 'insert')");
  }
}

// Logical replication of `regions`' rows (one publication and subscription each, all at once)
// from `source` into a fresh database of `server`: the apply's seconds.
double LogicalReplication(const std::string& server, const std::string& source, std::size_t regions,
                          bool indexed) {
  TestDatabase target(server);
  {
    pqxx::connection c(target.connection_string());
    ApplyMigrations(c, hub::HubMigrations());
  }
  if (!indexed) {
    Exec(target.connection_string(),
         "DO $$ DECLARE i record; BEGIN "
         "FOR i IN SELECT conname FROM pg_constraint WHERE conrelid = "
         "'national_initiative'::regclass AND contype IN ('p', 'u') LOOP "
         "EXECUTE format('ALTER TABLE national_initiative DROP CONSTRAINT %I', i.conname); "
         "END LOOP; "
         "FOR i IN SELECT indexrelid::regclass::text AS name FROM pg_index WHERE indrelid = "
         "'national_initiative'::regclass LOOP EXECUTE 'DROP INDEX ' || i.name; END LOOP; END $$");
  }
  std::vector<std::string> subscriptions;
  for (std::size_t i = 0; i < regions; ++i) {
    const std::string sub = "peer_" + std::string(indexed ? "i" : "b") + kRegions[i].code;
    subscriptions.push_back(sub);
    // A subscription to a database of its own cluster cannot create its slot itself.
    Exec(source, "SELECT pg_create_logical_replication_slot('" + sub + "', 'pgoutput')");
    Exec(target.connection_string(), "CREATE SUBSCRIPTION " + sub + " CONNECTION '" + source +
                                         "' PUBLICATION peer_" + kRegions[i].code +
                                         " WITH (create_slot = false, slot_name = '" + sub +
                                         "', copy_data = false, "
                                         "enabled = false)");
  }
  // The rows enter the source's WAL in transactions of 1,000, as the hub's batches do.
  Exec(source, "TRUNCATE national_initiative");
  std::string regions_list;
  for (std::size_t i = 0; i < regions; ++i) {
    regions_list += (i ? ", '" : "'") + kRegions[i].code + "'";
  }
  const std::string columns = StoredColumns(source);
  Exec(source,
       "DO $$ DECLARE lo bigint; hi bigint; BEGIN "
       "SELECT min(seq), max(seq) INTO lo, hi FROM peer_rows; "
       "WHILE lo <= hi LOOP INSERT INTO national_initiative (" +
           columns + ") SELECT " + columns +
           " FROM peer_rows WHERE seq >= lo AND seq < lo + 1000 AND region IN (" + regions_list +
           "); COMMIT; lo := lo + 1000; END LOOP; END $$");
  const std::uint64_t expected = Count(source, "SELECT count(*) FROM national_initiative");
  const auto start = Steady::now();
  for (const auto& sub : subscriptions) {
    Exec(target.connection_string(), "ALTER SUBSCRIPTION " + sub + " ENABLE");
  }
  const bool done = WaitUntil(std::chrono::minutes(30), [&] {
    return Count(target.connection_string(), "SELECT count(*) FROM national_initiative") ==
           expected;
  });
  const double seconds = Seconds(Steady::now() - start);
  for (const auto& sub : subscriptions) {
    Exec(target.connection_string(), "ALTER SUBSCRIPTION " + sub + " DISABLE");
    Exec(target.connection_string(), "ALTER SUBSCRIPTION " + sub + " SET (slot_name = NONE)");
    Exec(target.connection_string(), "DROP SUBSCRIPTION " + sub);
    WaitUntil(std::chrono::seconds(30), [&] {
      return Count(source, "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + sub +
                               "' AND active") == 0;
    });
    Exec(source, "SELECT pg_drop_replication_slot('" + sub + "')");
  }
  if (!done) throw std::runtime_error("logical replication did not finish in 30 minutes");
  return seconds;
}

// Copies log_entry from `from` to a fresh database of `server` (the same table, made first
// from core/sql) with psql's \copy through a pipe; returns the seconds the copy took.
double CopyWithPostgres(const std::string& server, const std::string& from) {
  TestDatabase to(server);
  Exec(to.connection_string(),
       ReadFile(std::string(ESS_SOURCE_DIR) + "/core/sql/001_region_log.sql"));
  const auto start = Steady::now();
  Shell("psql -q '" + from + "' -c '\\copy log_entry TO STDOUT' | psql -q '" +
        to.connection_string() + "' -c '\\copy log_entry FROM STDIN'");
  return Seconds(Steady::now() - start);
}

struct Peers {
  double indexed, bare, copy;  // rows/s
};

void Report(const std::string& name, int run, std::uint64_t n, std::uint64_t entries, double ours,
            const Peers& peers, bool quick) {
  const bool met = ours >= 5 * peers.indexed && ours >= 0.5 * peers.bare;
  nlohmann::json line = {
      {"bench", "catch_up"},
      {"case", name + "_" + std::to_string(n / 1000) + "k"},
      {"run", run},
      {"ours", {{"value", std::lround(ours)}, {"unit", "entries/s"}}},
      {"peer",
       {{{"name", "logical replication, indexed"},
         {"value", std::lround(peers.indexed)},
         {"unit", "rows/s"}},
        {{"name", "logical replication, bare table"},
         {"value", std::lround(peers.bare)},
         {"unit", "rows/s"}},
        {{"name", "COPY of log_entry, unverified"},
         {"value", std::lround(peers.copy)},
         {"unit", "rows/s"}}}},
      {"ratio_indexed", std::round(100 * ours / peers.indexed) / 100},
      {"ratio_bare", std::round(100 * ours / peers.bare) / 100},
      {"entries", entries},
      {"target", ">= 5x logical replication, indexed and >= 0.5x logical replication, bare"},
      {"met", met},
      {"command", quick ? "bench/replication.sh --quick" : "bench/replication.sh"}};
  std::cout << line.dump() << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t n = 200'000;
  int run = 1;
  bool quick = false, pg_stats = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--quick") {
      quick = true;
      n = 20'000;
    } else if (a == "--run" && i + 1 < argc) {
      run = std::stoi(argv[++i]);
    } else if (a == "--pg-stats") {
      pg_stats = true;
    } else {
      n = std::stoull(a);
    }
  }
  TempDir dir;
  TestCluster cluster;
  // One statement each: several in one string run as one transaction block, which ALTER
  // SYSTEM refuses.
  for (const char* setting :
       {"wal_level = logical", "max_replication_slots = 16", "max_wal_senders = 16",
        "max_logical_replication_workers = 8", "shared_preload_libraries = 'pg_stat_statements'"}) {
    Exec(cluster.url(), std::string("ALTER SYSTEM SET ") + setting);
  }
  cluster.Stop("fast");
  cluster.Start();
  const std::string server = cluster.url();

  std::vector<std::unique_ptr<TestDatabase>> node_dbs;
  std::vector<std::unique_ptr<NodeProcess>> nodes;
  const auto fill_start = Steady::now();
  for (const Region& r : kRegions) {
    node_dbs.push_back(std::make_unique<TestDatabase>(server));
    const std::string key =
        MakeKey(dir, "ess-federation/region/" + r.code, "node" + r.code + ".key");
    nodes.push_back(
        std::make_unique<NodeProcess>(dir, r.code, node_dbs.back()->connection_string(), key));
    FillNode(*nodes.back(), r, n);
  }
  std::cerr << "journals of 3 x " << n << " entries filled in "
            << Seconds(Steady::now() - fill_start) << " s\n";

  // One node to an empty hub.
  TestDatabase hub1_db(server);
  double one_node = 0;
  {
    HubProcess hub(dir, hub1_db.connection_string());
    hub.Start();
    Enrol(dir, hub1_db.connection_string(), "93", nodes[0]->key_file());
    if (pg_stats) {
      Exec(hub1_db.connection_string(),
           "CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset()");
    }
    one_node = CatchUp(hub, {nodes[0].get()}, n);
    const auto on_map = GetJson(hub.http_port(), "/api/indicators")["on_map"].get<std::uint64_t>();
    hub.Stop();
    std::cerr << "one node: " << n << " entries (on the national map: " << on_map << ") in "
              << one_node << " s, " << std::lround(n / one_node) << " entries/s\n";
    if (pg_stats) PrintTopStatements(hub1_db.connection_string());
  }

  // Three nodes at once to another empty hub.
  TestDatabase hub3_db(server);
  double three_nodes = 0;
  {
    HubProcess hub(dir, hub3_db.connection_string());
    hub.Start();
    for (std::size_t i = 0; i < nodes.size(); ++i) {
      Enrol(dir, hub3_db.connection_string(), kRegions[i].code, nodes[i]->key_file());
    }
    three_nodes = CatchUp(hub, {nodes[0].get(), nodes[1].get(), nodes[2].get()}, n);
    hub.Stop();
    std::cerr << "three nodes: " << 3 * n << " entries in " << three_nodes << " s, "
              << std::lround(3 * n / three_nodes) << " entries/s\n";
  }

  TestDatabase source(server);
  FillPeerSource(hub3_db.connection_string(), source.connection_string());
  Peers one{}, three{};
  one.indexed = n / LogicalReplication(server, source.connection_string(), 1, true);
  one.bare = n / LogicalReplication(server, source.connection_string(), 1, false);
  three.indexed = 3 * n / LogicalReplication(server, source.connection_string(), 3, true);
  three.bare = 3 * n / LogicalReplication(server, source.connection_string(), 3, false);
  one.copy = three.copy = n / CopyWithPostgres(server, node_dbs[0]->connection_string());
  std::cerr << "peer, logical replication, indexed: " << std::lround(one.indexed)
            << " rows/s (three at once: " << std::lround(three.indexed) << ")\n"
            << "peer, logical replication, bare table: " << std::lround(one.bare)
            << " rows/s (three at once: " << std::lround(three.bare) << ")\n"
            << "peer, COPY of log_entry: " << std::lround(one.copy) << " rows/s\n";
  Report("one_node", run, n, n, n / one_node, one, quick);
  Report("three_nodes", run, n, 3 * n, 3 * n / three_nodes, three, quick);
  return 0;
}
