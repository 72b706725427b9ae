// Acceptance, multi-process: replication over mutual TLS with the certificates
// deploy/make-test-certs.sh makes. A node with its region's certificate syncs; a node that
// presents another region's certificate is refused (and the refusal shows in the region's
// replication status); a node without a client certificate, or in plaintext, never gets in.
#include <doctest/doctest.h>

#include <cstdlib>

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

}  // namespace

TEST_CASE("replication over mutual TLS; another region's certificate is refused") {
  TempDir dir;
  const std::string certs = dir.File("certs");
  const std::string script = std::string(ESS_SOURCE_DIR) + "/deploy/make-test-certs.sh";
  REQUIRE(std::system(("bash '" + script + "' '" + certs + "' 93 76 2>/dev/null").c_str()) == 0);
  auto cert = [&](const std::string& name) { return certs + "/" + name; };

  TestDatabase hub_db, node_db, impostor_db, bare_db;
  HubProcess hub(dir, hub_db.connection_string(),
                 {"--tls-cert", cert("hub.pem"), "--tls-key", cert("hub.key"), "--tls-client-ca",
                  cert("ca.pem")});
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  Enrol(dir, hub_db.connection_string(), "93", key);
  hub.Start();
  CHECK(ReadFile(hub.log_file()).find("TLS mutuel") != std::string::npos);

  NodeProcess node(dir, "93", node_db.connection_string(), key);
  node.Start(hub.grpc_address(), {"--hub-tls-ca", cert("ca.pem"), "--hub-tls-cert",
                                  cert("region-93.pem"), "--hub-tls-key", cert("region-93.key")});
  NodeJournal journal(node_db.connection_string(), "93", key);
  journal.Append({PutInitiative(NewRecordId(), InitiativePayload("AMAP des Calanques", "admitted"))});
  CHECK(WaitUntil(30s, [&] {
    return GetJson(hub.http_port(), "/api/initiatives?q=calanques")["total"] == 1;
  }));

  // Same region, same signing key, but the certificate of region 76: refused by the hub.
  NodeProcess impostor(dir, "93", impostor_db.connection_string(), key);
  impostor.Start(hub.grpc_address(),
                 {"--hub-tls-ca", cert("ca.pem"), "--hub-tls-cert", cert("region-76.pem"),
                  "--hub-tls-key", cert("region-76.key")});
  CHECK(WaitUntil(30s, [&] {
    return Scalar<std::string>(impostor_db.connection_string(),
                               "SELECT last_error FROM hub_replication_state WHERE region = '93'")
               .find("region-76") != std::string::npos;
  }));
  // A refused stream writes nothing to the region's replication status.
  CHECK(hub.Region("93")["rejected_count"] == 0);
  impostor.Stop();

  // Without a client certificate, or without TLS at all, the handshake fails: nothing reaches
  // the replication service.
  auto last_error = [&] {
    return Scalar<std::string>(bare_db.connection_string(),
                               "SELECT last_error FROM hub_replication_state WHERE region = '93'");
  };
  NodeProcess bare(dir, "93", bare_db.connection_string(), key);
  bare.Start(hub.grpc_address(), {"--hub-tls-ca", cert("ca.pem")});
  NodeJournal bare_journal(bare_db.connection_string(), "93", key);
  bare_journal.Append({PutInitiative(NewRecordId(), InitiativePayload("Sans certificat", "admitted"))});
  CHECK(WaitUntil(30s, [&] { return !last_error().empty(); }));
  bare.Stop();
  bare_journal.Transaction(
      [](pqxx::work& txn) { txn.exec("UPDATE hub_replication_state SET last_error = NULL"); });
  bare.Start(hub.grpc_address());  // plaintext
  CHECK(WaitUntil(30s, [&] { return !last_error().empty(); }));
  bare.Stop();
  CHECK(GetJson(hub.http_port(), "/api/initiatives?q=certificat")["total"] == 0);
  CHECK(hub.TreeSize("93") == 1);

  // The legitimate node goes on.
  journal.Append({PutInitiative(NewRecordId(), InitiativePayload("Jardin des Aygalades", "admitted"))});
  CHECK(WaitUntil(30s, [&] { return hub.TreeSize("93") == 2; }));
  node.Stop();
  hub.Stop();
}
