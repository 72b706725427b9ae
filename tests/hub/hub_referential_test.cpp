// The common referential served by the hub over gRPC (ReferentialService): the whole
// document in chunks, "unchanged" for a node that holds the version, and a node pulling it
// at start.
#include <doctest/doctest.h>

#include <fstream>

#include "node/replication/hub_channel.h"
#include "node/replication/referential_client.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

TEST_CASE("nodes pull the common referential from the hub over gRPC") {
  TempDir dir;
  TestDatabase hub_db, node_db;
  HubProcess hub(dir, hub_db.connection_string());
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  Enrol(dir, hub_db.connection_string(), "93", key);
  hub.Start();
  const Referential local = Referential::FromFile(ESS_REFERENTIAL_FILE);

  node::HubChannelOptions options;
  options.address = hub.grpc_address();
  auto channel = node::MakeHubChannel(options);
  node::ReferentialFetch full = node::FetchReferential(channel, "", 30s);
  REQUIRE(full.status.ok());
  REQUIRE(full.referential);
  CHECK(full.referential->version() == local.version());
  CHECK(full.referential->json() == local.json());  // more than one chunk, reassembled
  CHECK(local.json().size() > 1024 * 1024);
  CHECK(full.referential->FindCommune("13055")->name == "Marseille");

  node::ReferentialFetch same = node::FetchReferential(channel, local.version(), 30s);
  REQUIRE(same.status.ok());
  CHECK(same.unchanged);
  CHECK_FALSE(same.referential);

  // A node started with the same version (its --referential file) is told it is unchanged:
  // the document is neither sent nor parsed again.
  NodeProcess node(dir, "93", node_db.connection_string(), key);
  node.Start(hub.grpc_address());
  CHECK(WaitUntil(30s, [&] {
    return ReadFile(node.log_file())
               .find("référentiel " + local.version() + " : le hub sert le même") !=
           std::string::npos;
  }));
  CHECK(ReadFile(node.log_file()).find("reçu du hub") == std::string::npos);
  node.Stop();
  // A node holding another version pulls the hub's at start.
  const std::string older = dir.File("older-referential.json");
  {
    std::string json = local.json();
    const std::string version = "\"" + local.version() + "\"";
    json.replace(json.find(version), version.size(), "\"ancienne\"");
    std::ofstream(older) << json;
  }
  REQUIRE(Referential::FromFile(older).version() == "ancienne");
  NodeProcess other(dir, "93", node_db.connection_string(), key);
  other.Start(hub.grpc_address(), {"--referential", older});
  CHECK(WaitUntil(30s, [&] {
    return ReadFile(other.log_file()).find("référentiel " + local.version() + " reçu du hub") !=
           std::string::npos;
  }));
  other.Stop();

  // The hub away: the fetch fails with a status, it does not throw.
  hub.Stop();
  node::ReferentialFetch away = node::FetchReferential(channel, "", 2s);
  CHECK_FALSE(away.status.ok());
}
