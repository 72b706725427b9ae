// kill -9 of a real ess-node at random moments during bursts of HTTP writes (several clients
// submitting and editing at once), then a restart on the same database, many times: every
// acknowledged write survives with its journal entry, nothing unacknowledged is half there,
// the log stays dense and its checkpoints and records verify.
//   ESS_FAULT_NODE_KILLS  number of kills (default 10, the suite's; docs/reliability.md)
//   ESS_FAULT_SEED        the seed of the kill moments and of the clients (printed)
#include <doctest/doctest.h>

#include <signal.h>

#include <iostream>
#include <random>

#include "tests/faults/node_fault_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;

TEST_CASE(
    "kill -9 of the node during bursts of writes: acknowledged writes survive, nothing half "
    "there") {
  const std::uint64_t seed = FaultSeed();
  const int kills = FaultCount("ESS_FAULT_NODE_KILLS", 10);
  constexpr int kClients = 4;
  std::mt19937_64 random(seed);
  TempDir dir;
  TestDatabase db;
  FaultNode node(dir, db.connection_string());
  node.Setup();
  WriteLedger ledger;
  std::size_t acknowledged = 0;
  std::size_t in_flight_failures = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int kill = 0; kill < kills; ++kill) {
    if (kill > 0) node.Start();  // the same database, after the kill
    WriteTraffic traffic(node.port(), kClients, random(), ledger);
    // The kill moment: after a random number of acknowledged writes of this round, while the
    // other clients' writes are in flight.
    const std::size_t moment = std::uniform_int_distribution<std::size_t>(1, 60)(random);
    REQUIRE_MESSAGE(traffic.WaitForAcknowledged(moment, 60s), "round ", kill, ": ",
                    traffic.last_refusal(0));
    CHECK(node.Stop(SIGKILL) == 128 + SIGKILL);
    traffic.Stop();
    acknowledged += traffic.acknowledged();
    in_flight_failures += traffic.failures();
    // Only the kill may refuse a write: no HTTP error before it.
    for (const auto& [status, n] : traffic.failures_by_status()) {
      CHECK_MESSAGE(status == 0, n, " writes answered ", status, ": ",
                    traffic.last_refusal(status));
    }
  }
  // A last start: the node serves on the database the kills left behind.
  node.Start();
  {
    WriteTraffic after(node.port(), 1, random(), ledger);
    CHECK(after.WaitForAcknowledged(5, 60s));
    after.Stop();
    acknowledged += after.acknowledged();
  }
  CHECK(node.Stop(SIGTERM) == 0);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

  const JournalFigures figures =
      CheckNodeJournal(db.connection_string(), ledger.Snapshot(), node.KeyRing());
  CHECK(figures.initiatives >= ledger.size());
  std::cout << "node_kill_test: " << kills << " kills in " << seconds << " s, " << acknowledged
            << " writes acknowledged (" << ledger.size() << " initiatives), " << in_flight_failures
            << " cut by the kills; the log: " << figures.entries << " entries, "
            << figures.checkpoints << " checkpoints, " << figures.initiatives
            << " initiatives, all verified" << std::endl;
}
