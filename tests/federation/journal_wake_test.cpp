// The uploader is woken by the database, not only by its own process (decision 0015): a
// node whose uploader polls only every 10 minutes still sends at once an entry that ANOTHER
// process journalled on the same database (node/sql/200_journal_notify.sql notifies at commit,
// node/replication/journal_listener.h listens), so the hub holds it well before the poll.
#include <doctest/doctest.h>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

TEST_CASE("another process's journalled commit wakes the node's uploader at once") {
  TempDir dir;
  TestDatabase hub_db, node_db;
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  Enrol(dir, hub_db.connection_string(), "93", key);
  HubProcess hub(dir, hub_db.connection_string());
  hub.Start();

  NodeProcess node(dir, "93", node_db.connection_string(), key);
  // The schema first (the node applies it), then one transaction already journalled.
  node.Start("");
  node.Stop();
  NodeJournal other_process(node_db.connection_string(), "93", key);
  other_process.Append(
      {PutInitiative(NewRecordId(), InitiativePayload("Avant le départ", "admitted"))});

  // The poll is 10 minutes (the heartbeat waits for a poll too): only a wake-up sends soon.
  node.Start(
      "", {"--hub", hub.grpc_address(), "--hub-poll-ms", "600000", "--hub-max-backoff-ms", "500"});
  REQUIRE(WaitUntil(30s, [&] { return hub.TreeSize("93") == 1; }));

  // Written by this test's process, not by the node: the node's own commit signal says
  // nothing, the database's notification does.
  for (int i = 1; i <= 3; ++i) {
    other_process.Append(
        {PutInitiative(NewRecordId(),
                       InitiativePayload("Écrite ailleurs " + std::to_string(i), "admitted")),
         PutInitiative(NewRecordId(),
                       InitiativePayload("Et sa voisine " + std::to_string(i), "admitted"))});
    const std::uint64_t expected = 1 + 2 * static_cast<std::uint64_t>(i);
    CHECK_MESSAGE(WaitUntil(30s, [&] { return hub.TreeSize("93") == expected; }),
                  "the hub did not get entry ", expected, " before the bound (poll: 10 min)");
  }
  node.Stop();
}
