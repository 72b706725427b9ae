// Acceptance, multi-process: a real PostgreSQL, an ess-hub and ess-node processes over real
// gRPC on loopback. A change journalled at a node appears in the hub's national search and
// its erasure removes it; a 10,000-entry catch-up survives a node kill and a hub kill in the
// middle and ends with the hub's checkpoint equal to the node's head, nothing lost or
// duplicated. The example consumer of the change feed (docs/examples/follow-changes.mjs) keeps
// its copy equal to the national search, the erasure included.
#include <doctest/doctest.h>

#include <set>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

std::uint64_t SearchTotal(const HubProcess& hub, const std::string& query) {
  return GetJson(hub.http_port(), "/api/initiatives?" + query)["total"].get<std::uint64_t>();
}

// Runs docs/interop.md's example consumer of the change feed on `copy`; its output.
std::string FollowChanges(const TempDir& dir, const HubProcess& hub, const std::string& copy) {
  const std::string log = dir.File("follow-changes.log");
  ChildProcess follow("/usr/bin/env",
                      {"node", std::string(ESS_SOURCE_DIR) + "/docs/examples/follow-changes.mjs",
                       "http://127.0.0.1:" + std::to_string(hub.http_port()), copy},
                      log);
  const std::optional<int> status = follow.Wait(60s);
  INFO(ReadFile(log));
  REQUIRE(status == 0);
  return ReadFile(log);
}

// The keys (region/id) of the consumer's copy, and of the national search.
std::set<std::string> CopyKeys(const std::string& copy) {
  std::set<std::string> out;
  const nlohmann::json held = nlohmann::json::parse(ReadFile(copy));
  for (const auto& [key, record] : held["initiatives"].items()) {
    CHECK(record["region"].get<std::string>() + "/" + record["id"].get<std::string>() == key);
    out.insert(key);
  }
  return out;
}
std::set<std::string> SearchKeys(const HubProcess& hub) {
  std::set<std::string> out;
  const nlohmann::json page = GetJson(hub.http_port(), "/api/initiatives?per_page=100");
  for (const auto& item : page["items"]) {
    out.insert(item["region"].get<std::string>() + "/" + item["id"].get<std::string>());
  }
  return out;
}

template <typename T>
T Scalar(const std::string& database, const std::string& sql) {
  pqxx::connection c(database);
  pqxx::nontransaction txn(c);
  return txn.exec(sql)[0][0].as<T>();
}

}  // namespace

TEST_CASE("a change journalled at a node reaches the national search; erasure removes it") {
  TempDir dir;
  TestDatabase hub_db, paca_db, occitanie_db;
  HubProcess hub(dir, hub_db.connection_string());
  const std::string paca_key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  const std::string occitanie_key = MakeKey(dir, "ess-federation/region/76", "occitanie.key");
  Enrol(dir, hub_db.connection_string(), "93", paca_key);
  Enrol(dir, hub_db.connection_string(), "76", occitanie_key);
  hub.Start();
  NodeProcess paca(dir, "93", paca_db.connection_string(), paca_key);
  NodeProcess occitanie(dir, "76", occitanie_db.connection_string(), occitanie_key);
  // Batches of two entries at most: a transaction of more has no stored checkpoint where a
  // batch must end, so the node's uploader signs one there.
  paca.Start(hub.grpc_address(), {"--hub-batch-entries", "2"});
  occitanie.Start(hub.grpc_address());
  NodeJournal paca_journal(paca_db.connection_string(), "93", paca_key);
  NodeJournal occitanie_journal(occitanie_db.connection_string(), "76", occitanie_key);

  const RecordId epicerie = NewRecordId();
  paca_journal.Append({PutInitiative(epicerie, InitiativePayload("Épicerie solidaire du Panier", "pending"))});
  paca_journal.Append({PutInitiative(epicerie, InitiativePayload("Épicerie solidaire du Panier", "admitted"))});
  occitanie_journal.Append(
      {PutInitiative(NewRecordId(), InitiativePayload("Garage solidaire", "admitted", kToulouse))});

  CHECK(WaitUntil(30s, [&] { return SearchTotal(hub, "q=epicerie%20solidaire") == 1; }));
  CHECK(WaitUntil(30s, [&] { return SearchTotal(hub, "q=garage&region=76") == 1; }));
  // The hub's checkpoint is the node's head, and the node holds the hub's receipt.
  CHECK(WaitUntil(30s, [&] { return hub.TreeSize("93") == 2; }));
  CHECK(hub.Region("93")["checkpoint"] == *paca_journal.LatestCheckpointNote());
  CHECK(WaitUntil(30s, [&] {
    return Scalar<std::uint64_t>(paca_db.connection_string(),
                                 "SELECT coalesce(max(tree_size), 0) FROM hub_receipt") == 2;
  }));
  const std::string receipt =
      Scalar<std::string>(paca_db.connection_string(),
                          "SELECT cosigned_checkpoint FROM hub_receipt ORDER BY tree_size DESC LIMIT 1");
  CHECK(receipt.find("— ess-federation/hub ") != std::string::npos);

  std::vector<LogChange> several;
  for (int i = 0; i < 5; ++i) {
    several.push_back(PutInitiative(NewRecordId(), InitiativePayload("Coopérative " + std::to_string(i), "admitted")));
  }
  paca_journal.Append(several);  // one transaction, one checkpoint at 7
  CHECK(WaitUntil(30s, [&] { return hub.TreeSize("93") == 7; }));
  CHECK(SearchTotal(hub, "q=cooperative") == 5);
  CHECK(Scalar<std::uint64_t>(paca_db.connection_string(), "SELECT count(*) FROM log_checkpoint") > 3);
  CHECK(hub.Region("93")["checkpoint"] == *paca_journal.LatestCheckpointNote());

  // The change feed's example consumer copies the map.
  const std::string copy = dir.File("copy.json");
  MESSAGE(FollowChanges(dir, hub, copy));
  CHECK(CopyKeys(copy) == SearchKeys(hub));
  CHECK(CopyKeys(copy).size() == 7);

  // Erasure at the node removes the initiative and its personal data at the hub.
  paca_journal.Append({EraseInitiative(epicerie)});
  CHECK(WaitUntil(30s, [&] { return SearchTotal(hub, "q=epicerie") == 0; }));
  // ... and from the consumer's copy, resumed from its cursor: one change.
  const std::string second = FollowChanges(dir, hub, copy);
  CHECK(second.find("changes applied: 1, initiatives in the copy: 6") != std::string::npos);
  CHECK(CopyKeys(copy) == SearchKeys(hub));
  CHECK(HttpGet(hub.http_port(), "/api/initiatives/93/" + RecordIdToString(epicerie)).status == 404);
  CHECK(Scalar<std::uint64_t>(hub_db.connection_string(),
                              "SELECT count(*) FROM log_entry WHERE region = '93' AND operation = 'put' "
                              "AND payload IS NOT NULL AND record_id = '" + RecordIdToString(epicerie) + "'") == 0);
  CHECK(Scalar<std::uint64_t>(hub_db.connection_string(),
                              "SELECT count(*) FROM log_entry WHERE region = '93' AND record_id = '" +
                                  RecordIdToString(epicerie) + "'") == 3);  // the entries stay
  CHECK(SearchTotal(hub, "region=76") == 1);
  // A hub that starts the region over receives the erased revisions without their payload,
  // each with the proof of its tombstone, and accepts them (the node's next write wakes it).
  REQUIRE(RunEssctl(dir, {"region", "reset", "--database", hub_db.connection_string(), "--region",
                          "93", "--confirm"})
              .exit_code == 0);
  paca_journal.Append(
      {PutInitiative(NewRecordId(), InitiativePayload("Après la remise à zéro", "admitted"))});
  const std::uint64_t head = paca_journal.Head().size();
  CHECK(WaitUntil(30s, [&] { return hub.TreeSize("93") == head; }));
  CHECK(SearchTotal(hub, "q=epicerie") == 0);
  CHECK(SearchTotal(hub, "q=cooperative") == 5);
  auto status = hub.Region("93");
  CHECK(status["rejected_count"] == 0);
  CHECK(status["lag_entries"] == 0);
  CHECK(status["last_contact_at"].is_string());

  paca.Stop();
  occitanie.Stop();
  hub.Stop();
}

TEST_CASE("node and hub killed in the middle of a 10,000-entry catch-up: nothing lost or duplicated") {
  TempDir dir;
  TestDatabase hub_db, node_db;
  HubProcess hub(dir, hub_db.connection_string());
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  Enrol(dir, hub_db.connection_string(), "93", key);
  NodeProcess node(dir, "93", node_db.connection_string(), key);
  node.Start("");  // applies the node's schema; no replication yet
  node.Stop();

  // 5,000 initiatives, each pending then admitted: 10,000 entries, 500 checkpoints.
  constexpr int kInitiatives = 5000;
  constexpr int kPerTransaction = 10;
  NodeJournal journal(node_db.connection_string(), "93", key);
  for (int i = 0; i < kInitiatives; i += kPerTransaction) {
    std::vector<LogChange> changes;
    for (int k = i; k < i + kPerTransaction; ++k) {
      const RecordId id = TestRecordId(static_cast<std::uint32_t>(k), 0x93);
      const std::string name = "Initiative numéro " + std::to_string(k);
      changes.push_back(PutInitiative(id, InitiativePayload(name, "pending")));
      changes.push_back(PutInitiative(id, InitiativePayload(name, "admitted")));
    }
    journal.Append(std::move(changes));
  }
  const CompactRange head = journal.Head();
  REQUIRE(head.size() == 10'000);

  hub.Start();
  // Small batches, so that the catch-up lasts long enough to be interrupted.
  const std::vector<std::string> slow = {"--hub-batch-entries", "40"};
  node.Start(hub.grpc_address(), slow);
  std::uint64_t seen = 0;
  REQUIRE(WaitUntil(120s, [&] {
    seen = hub.TreeSize("93");
    return seen > 0;
  }));
  REQUIRE_MESSAGE(seen < 10'000, "the catch-up ended before the node could be killed");
  node.Stop(SIGKILL);
  const std::uint64_t after_node_kill = hub.TreeSize("93");
  node.Start(hub.grpc_address(), slow);
  REQUIRE(WaitUntil(120s, [&] {
    seen = hub.TreeSize("93");
    return seen > after_node_kill;
  }));
  REQUIRE_MESSAGE(seen < 10'000, "the catch-up ended before the hub could be killed");
  hub.Stop(SIGKILL);
  hub.Start();  // same ports: the node reconnects by itself
  REQUIRE(WaitUntil(180s, [&] { return hub.TreeSize("93") == 10'000; }));

  // The hub's checkpoint is the node's head.
  auto status = hub.Region("93");
  CHECK(status["checkpoint"] == *journal.LatestCheckpointNote());
  CHECK(status["root"] == ToHex(head.Root()));
  CHECK(status["accepted_entries"] == 10'000);  // each entry stored exactly once
  CHECK(status["rejected_count"] == 0);
  const std::string hub_url = hub_db.connection_string();
  CHECK(Scalar<std::uint64_t>(hub_url, "SELECT count(*) FROM log_entry WHERE region = '93'") == 10'000);
  CHECK(Scalar<std::uint64_t>(hub_url, "SELECT max(log_index) FROM log_entry WHERE region = '93'") == 9'999);
  CHECK(Scalar<std::uint64_t>(hub_url, "SELECT count(*) FROM national_initiative") == kInitiatives);
  CHECK(Scalar<std::uint64_t>(hub_url, "SELECT count(DISTINCT record_id) FROM national_initiative_state") ==
        kInitiatives);
  CHECK(SearchTotal(hub, "q=numero%204999") >= 1);
  // The node holds the receipt of its head.
  CHECK(WaitUntil(30s, [&] {
    return Scalar<std::uint64_t>(node_db.connection_string(),
                                 "SELECT coalesce(max(tree_size), 0) FROM hub_receipt") == 10'000;
  }));
  node.Stop();
  hub.Stop();
}
