// The node's real journal, as its workflows write it (the node's in-process fixture behind
// its HTTP API: charter, committee, submission, votes, withdrawal, erasure), accepted by the
// hub: every payload the node journals passes the hub's rules, and the national map shows
// what the committee admitted. Then the same through the node's uploader and a real hub
// process over gRPC: an initiative admitted by the committee appears in the national search,
// an edit proposal leaves it as admitted until the committee admits the proposal, and its
// erasure at the node removes it.
#include <doctest/doctest.h>

#include "core/log_store.h"
#include "core/pg_migrations.h"
#include "hub/store/hub_migrations.h"
#include "hub/store/hub_statements.h"
#include "hub/store/national_queries.h"
#include "hub/store/region_registry.h"
#include "hub/store/region_replicas.h"
#include "node/replication/hub_channel.h"
#include "node/replication/hub_uploader.h"
#include "node/replication/pg_uploader_store.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

TEST_CASE("every record a node's workflows journal is accepted by the hub") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  std::vector<Session> members = {node.AddMember(admin, "Alice Martin", "usagers"),
                                  node.AddMember(admin, "Bruno Petit", "usagers"),
                                  node.AddMember(admin, "Chloé Roux", "pairs", "chair")};
  auto [kept, kept_token] = node.Submit({{"name", "Épicerie solidaire du Panier"}});
  node.VoteAll(members, kept, "admit");
  auto [gone, gone_token] = node.Submit({{"name", "Atelier vélo du Canet"}});
  node.VoteAll(members, gone, "admit");
  REQUIRE(node.Owner("POST", "/api/initiatives/" + gone + "/owner/withdraw", gone_token).status == 200);
  REQUIRE(node.Post("/api/admin/initiatives/" + gone + "/erase", json::object(), &admin).status == 200);
  auto [pending, pending_token] = node.Submit({{"name", "Recyclerie en attente"}});
  (void)kept_token;
  (void)pending_token;

  // The node's log as its uploader would send it: every entry (an erased one with the proof
  // of its tombstone), the latest checkpoint.
  std::vector<LogRecord> records;
  std::vector<IncomingEntry> envelopes;
  std::string note;
  node.pool().WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    const std::uint64_t size = store.ReadHead(false).size();
    records = store.ReadRecords(0, size);
    note = *store.LatestCheckpointNote();
    for (const auto& r : records) {
      IncomingEntry e{r.entry_bytes, {}, {}, std::nullopt};
      if (r.payload) e.payload = *r.payload;
      if (r.salt) e.salt.assign(r.salt->begin(), r.salt->end());
      if (!r.payload) {
        const std::uint64_t tomb = *store.EraseIndexOf(r.entry.record_id);
        const LogRecord t = store.ReadRecords(tomb, tomb + 1).front();
        e.erasure =
            RecordProof{t.entry_bytes, t.payload, t.salt, store.InclusionProof(tomb, size), note};
      }
      envelopes.push_back(std::move(e));
    }
  });
  REQUIRE(records.size() > 10);

  TestDatabase hub_db;
  {
    pqxx::connection c(hub_db.connection_string());
    ApplyMigrations(c, hub::HubMigrations());
  }
  PgPool pool({hub_db.connection_string(), 2, std::chrono::seconds(10),
               [](pqxx::connection& c) { hub::PrepareHubStatements(c); }});
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(kStartSeconds))};
  const Referential referential = Referential::FromFile(ESS_REFERENTIAL_FILE);
  hub::RegionReplicas replicas(pool, std::string(kDefaultFederation), clock,
                               NamedSigner{"ess-federation/hub", Ed25519Signer::FromSeed(SeedOf(0x40))},
                               referential);
  TestRegionLog node_key;  // the fixture's fixed region key
  pool.WithTransaction([&](pqxx::work& txn) {
    auto enrolled = hub::RegionRegistry(txn, std::string(kDefaultFederation), clock)
                        .Enrol("93", FormatVerifierKey(node_key.origin(), node_key.signer().public_key()));
    REQUIRE(enrolled.ok);
  });

  hub::IncomingBatch batch;
  batch.checkpoint_note = note;
  batch.node_tree_size = records.size();
  batch.entries = envelopes;
  hub::BatchOutcome out = replicas.ApplyBatch("93", batch, "fixture");
  REQUIRE_MESSAGE(out.kind == hub::BatchOutcome::Kind::kAccepted, out.verdict.reason);
  CHECK(out.new_entries == records.size());

  pool.WithTransaction([&](pqxx::work& txn) {
    hub::NationalQueries queries(txn, clock);
    auto page = queries.Search({}, hub::SortOrder::kName, 100, 0);
    REQUIRE(page.total == 1);
    CHECK(page.items[0].record_id == kept);
    CHECK(page.items[0].name == "Épicerie solidaire du Panier");
    CHECK_FALSE(queries.Get("93", gone));
    CHECK_FALSE(queries.Get("93", pending));
    auto indicators = queries.ComputeIndicators();
    std::map<std::string, std::uint64_t> by_status;
    for (const auto& s : indicators.by_status) by_status[s.code] = s.count;
    CHECK(by_status["admitted"] == 1);
    CHECK(by_status["erased"] == 1);
    CHECK(by_status["pending"] == 1);
  });
}

TEST_CASE("an initiative the committee admits reaches the national search through the uploader") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  std::vector<Session> members = {node.AddMember(admin, "Alice Martin", "usagers"),
                                  node.AddMember(admin, "Bruno Petit", "usagers"),
                                  node.AddMember(admin, "Chloé Roux", "pairs", "chair")};

  TempDir dir;
  TestDatabase hub_db;
  HubProcess hub(dir, hub_db.connection_string());
  TestRegionLog node_key;
  REQUIRE(RunEssctl(dir, {"region", "enrol", "--database", hub_db.connection_string(), "--region", "93",
                          "--verifier-key", FormatVerifierKey(node_key.origin(), node_key.signer().public_key())})
              .exit_code == 0);
  hub.Start();

  node::HubUploaderOptions options;
  options.region = "93";
  options.federation = std::string(kDefaultFederation);
  options.poll_interval = 20ms;
  options.max_backoff = 200ms;
  node::PgUploaderStore store(node.connection_string(), "93");
  node::HubChannelOptions channel;
  channel.address = hub.grpc_address();
  auto stub = federation::v1::Replication::NewStub(node::MakeHubChannel(channel));
  node::HubUploader uploader(options, store, *stub, node_key.signer(), node.clock,
                             [] { return 0.5; });
  uploader.Start();

  auto total = [&](const std::string& query) {
    return GetJson(hub.http_port(), "/api/initiatives?" + query)["total"].get<int>();
  };
  auto [id, token] = node.Submit({{"name", "Tiers-lieu de la Belle de Mai"}});
  // Pending: journalled and replicated, not on the national map.
  CHECK(WaitUntil(30s, [&] { return hub.TreeSize("93") == node.JournalSize(); }));
  CHECK(total("q=belle%20de%20mai") == 0);
  node.VoteAll(members, id, "admit");
  uploader.Wake();
  CHECK(WaitUntil(30s, [&] { return total("q=belle%20de%20mai") == 1; }));
  auto record = GetJson(hub.http_port(), "/api/initiatives/93/" + id);
  CHECK(record["name"] == "Tiers-lieu de la Belle de Mai");
  // The hub shows the record once it stored the batch; the uploader is caught up once it read
  // the hub's receipt, a moment later.
  CHECK(WaitUntil(30s, [&] { return uploader.Status().state == "caught_up"; }));

  // The owner proposes an edit: nothing is journalled, the national map keeps the admitted
  // revision; once the committee admits the proposal, the new revision reaches the hub.
  const std::size_t before_proposal = node.JournalSize();
  auto proposed = node.Owner("PUT", "/api/initiatives/" + id + "/owner", token,
                             NodeFixture::ValidInitiative({{"name", "Tiers-lieu coopératif de la Belle de Mai"},
                                                           {"charter", nullptr}}));
  REQUIRE_MESSAGE(proposed.status == 202, proposed.text);
  CHECK(node.JournalSize() == before_proposal);
  uploader.Wake();
  CHECK(WaitUntil(30s, [&] { return hub.TreeSize("93") == node.JournalSize(); }));
  CHECK(GetJson(hub.http_port(), "/api/initiatives/93/" + id)["name"] == "Tiers-lieu de la Belle de Mai");
  CHECK(total("q=cooperatif") == 0);
  node.VoteAll(members, id, "admit");
  uploader.Wake();
  CHECK(WaitUntil(30s, [&] {
    return GetJson(hub.http_port(), "/api/initiatives/93/" + id)["name"] == "Tiers-lieu coopératif de la Belle de Mai";
  }));
  CHECK(total("q=cooperatif") == 1);

  REQUIRE(node.Post("/api/admin/initiatives/" + id + "/erase", json::object(), &admin).status == 200);
  CHECK(WaitUntil(30s, [&] { return total("q=belle%20de%20mai") == 0; }));
  CHECK(WaitUntil(30s, [&] { return hub.TreeSize("93") == node.JournalSize(); }));
  CHECK(uploader.Status().batches_accepted >= 3);
  CHECK(hub.Region("93")["rejected_count"] == 0);
  uploader.Stop();
  CHECK(uploader.Status().state == "stopped");
  hub.Stop();
}
