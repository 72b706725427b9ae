// PostgreSQL restarted under running services, during traffic: the node's server and the hub's
// server, each stopped fast (`pg_ctl stop -m fast`) and immediately (`-m immediate`, crash
// recovery at the next start) while clients write to the node and the node replicates to the
// hub. Neither service is restarted: both reconnect by themselves; every acknowledged write
// survives with its journal entry, nothing unacknowledged is half there, and the hub ends with
// the node's whole log, entry by entry.
//   ESS_FAULT_PG_RESTARTS  rounds of the four restarts (default 1, the suite's)
//   ESS_FAULT_SEED         the seed of the restart moments and of the clients (printed)
#include <doctest/doctest.h>

#include <signal.h>

#include <iostream>
#include <random>
#include <sstream>

#include <pqxx/pqxx>

#include "tests/faults/node_fault_support.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;

namespace {

// The region's log in `database`, one hex entry per index.
std::vector<std::string> LogEntries(const std::string& database) {
  pqxx::connection conn(database);
  pqxx::nontransaction txn(conn);
  std::vector<std::string> entries;
  for (const auto& row : txn.exec("SELECT log_index, encode(entry, 'hex') FROM log_entry WHERE "
                                  "region = '93' ORDER BY log_index")) {
    CHECK(row[0].as<std::size_t>() == entries.size());
    entries.push_back(row[1].as<std::string>());
  }
  return entries;
}

std::optional<std::uint64_t> HubTreeSize(const HubProcess& hub) {
  try {
    return hub.TreeSize("93");
  } catch (const std::exception&) {
    return std::nullopt;  // the hub's database is down, or the region not yet seen
  }
}

// How many streams or batches the hub could not handle: its log's error lines
// "réplication <region or ?> (<peer>) : <why>" (it answered UNAVAILABLE to each).
std::size_t HubFailures(const HubProcess& hub) {
  std::istringstream log(ReadFile(hub.log_file()));
  std::size_t count = 0;
  for (std::string line; std::getline(log, line);) {
    if (line.find("[error] réplication ") != std::string::npos) ++count;
  }
  return count;
}

// The lines of a service's log at level error.
std::string ErrorLines(const std::string& log_file) {
  std::istringstream log(ReadFile(log_file));
  std::string lines;
  for (std::string line; std::getline(log, line);) {
    if (line.find("[error]") != std::string::npos) lines += line + "\n";
  }
  return lines;
}

}  // namespace

TEST_CASE(
    "PostgreSQL restarted fast and immediately under the node and under the hub during traffic") {
  const std::uint64_t seed = FaultSeed();
  const int rounds = FaultCount("ESS_FAULT_PG_RESTARTS", 1);
  std::mt19937_64 random(seed);
  TempDir dir;
  TestCluster node_pg, hub_pg;
  TestDatabase node_db(node_pg.url()), hub_db(hub_pg.url());
  HubProcess hub(dir, hub_db.connection_string());
  hub.Start();
  const pid_t hub_pid = hub.pid();
  FaultNode node(
      dir, node_db.connection_string(),
      {"--hub", hub.grpc_address(), "--hub-poll-ms", "50", "--hub-max-backoff-ms", "500"});
  Enrol(dir, hub_db.connection_string(), "93", node.key_file());
  node.Setup();

  WriteLedger ledger;
  WriteTraffic traffic(node.port(), 3, random(), ledger);
  struct Restart {
    TestCluster* cluster;
    std::string server;
    std::string mode;
  };
  const std::vector<Restart> restarts = {{&node_pg, "node", "fast"},
                                         {&node_pg, "node", "immediate"},
                                         {&hub_pg, "hub", "fast"},
                                         {&hub_pg, "hub", "immediate"}};
  const auto started = std::chrono::steady_clock::now();
  for (int round = 0; round < rounds; ++round) {
    for (const Restart& restart : restarts) {
      INFO("round ", round, ": the ", restart.server, "'s PostgreSQL stopped ", restart.mode);
      const bool under_node = restart.cluster == &node_pg;
      REQUIRE(traffic.WaitForAcknowledged(std::uniform_int_distribution<std::size_t>(1, 30)(random),
                                          60s));
      const std::size_t failures_before = traffic.failures();
      const std::size_t hub_failures_before = HubFailures(hub);
      restart.cluster->Stop(restart.mode);
      if (under_node) {
        // The node notices: its writes are refused while its database is down.
        CHECK(traffic.WaitForFailures(3, 30s));
      } else {
        // The node goes on taking writes; its uploader meets a hub that cannot store them
        // (the hub logs each batch it could not handle and answers UNAVAILABLE).
        CHECK(traffic.WaitForAcknowledged(10, 30s));
        const bool noticed = WaitUntil(30s, [&] { return HubFailures(hub) > hub_failures_before; });
        const std::string hub_log = ReadFile(hub.log_file());
        CHECK_MESSAGE(noticed, "the hub's log ends with: ",
                      hub_log.substr(hub_log.size() > 3000 ? hub_log.size() - 3000 : 0));
      }
      restart.cluster->Start();
      // Reconnected by themselves: the node's writes succeed again and the hub catches up.
      CHECK(traffic.WaitForAcknowledged(10, 60s));
      const std::uint64_t head = LogEntries(node_db.connection_string()).size();
      CHECK(WaitUntil(60s, [&] { return HubTreeSize(hub).value_or(0) >= head; }));
      MESSAGE(restart.server, " ", restart.mode, ": ", traffic.failures() - failures_before,
              " writes refused");
    }
  }
  traffic.Stop();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  // The hub ends with the node's whole log, entry by entry, and its checkpoint.
  const std::vector<std::string> node_log = LogEntries(node_db.connection_string());
  CHECK(WaitUntil(60s, [&] { return HubTreeSize(hub) == node_log.size(); }));
  CHECK(LogEntries(hub_db.connection_string()) == node_log);
  {
    pqxx::connection conn(node_db.connection_string());
    pqxx::nontransaction txn(conn);
    const std::string note = txn.exec1(
                                    "SELECT note FROM log_checkpoint WHERE region = '93' ORDER BY "
                                    "tree_size DESC LIMIT 1")[0]
                                 .as<std::string>();
    CHECK(hub.Region("93")["checkpoint"] == note);
  }
  CHECK(hub.Region("93")["rejected_count"] == 0);
  // While its database was down the node answered 503 database_unavailable, or
  // outcome_unknown when the connection broke during the commit (or nothing, to a request
  // caught in the middle), never a 500.
  for (const auto& [status, n] : traffic.failures_by_status()) {
    CHECK_MESSAGE((status == 503 || status == 0), n, " writes answered ", status, ": ",
                  traffic.last_refusal(status), "; the node logged: ", ErrorLines(node.log_file()));
  }
  CHECK(traffic.last_refusal(503).find("database_unavailable") != std::string::npos);
  // Neither service was restarted.
  CHECK(hub.pid() == hub_pid);
  CHECK(kill(hub_pid, 0) == 0);
  CHECK(node.Stop(SIGTERM) == 0);
  hub.Stop();

  const JournalFigures figures =
      CheckNodeJournal(node_db.connection_string(), ledger.Snapshot(), node.KeyRing());
  std::string refusals;
  for (const auto& [status, n] : traffic.failures_by_status()) {
    refusals += " " + std::to_string(n) + " x " +
                (status == 0 ? std::string("no answer") : std::to_string(status));
  }
  std::cout << "pg_restart_test: " << rounds * 4 << " PostgreSQL restarts in " << seconds << " s, "
            << traffic.acknowledged()
            << " writes acknowledged, refused while the node's database was down:" << refusals
            << "; the log: " << figures.entries << " entries, " << figures.checkpoints
            << " checkpoints, the same at the hub" << std::endl;
}
