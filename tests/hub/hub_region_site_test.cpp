// The region's site at the hub (issue 14, point 6; contract 7): a node announces its
// --public-url in its replication hello, the hub keeps it once the stream is authenticated
// and valid, and serves it in /api/regions (site_url) and each national record
// (region_site_url, the record's page there). Only the 18 regions enrol or run a node.
#include <doctest/doctest.h>

#include "hub/store/region_registry.h"
#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

TEST_CASE("SiteUrlOf keeps an http(s) base address and nothing else") {
  CHECK(hub::SiteUrlOf("https://ess-paca.example") == "https://ess-paca.example");
  CHECK(hub::SiteUrlOf("https://ess-paca.example/carte/") == "https://ess-paca.example/carte");
  CHECK(hub::SiteUrlOf("http://127.0.0.1:8093/") == "http://127.0.0.1:8093");
  CHECK(hub::SiteUrlOf("https://ess.example//") == "https://ess.example");
  CHECK_FALSE(hub::SiteUrlOf(""));
  CHECK_FALSE(hub::SiteUrlOf("javascript:alert(1)"));
  CHECK_FALSE(hub::SiteUrlOf("ftp://ess.example"));
  CHECK_FALSE(hub::SiteUrlOf("//ess.example"));
  CHECK_FALSE(hub::SiteUrlOf("https://"));
  CHECK_FALSE(hub::SiteUrlOf("https:///chemin"));
  CHECK_FALSE(hub::SiteUrlOf("https://moi@ess.example"));
  CHECK_FALSE(hub::SiteUrlOf("https://ess.example/?a=1"));
  CHECK_FALSE(hub::SiteUrlOf("https://ess.example/#x"));
  CHECK_FALSE(hub::SiteUrlOf("https://ess.example/\" onclick=\"x"));
  CHECK_FALSE(hub::SiteUrlOf("https://ess.example/<script>"));
  CHECK_FALSE(hub::SiteUrlOf("https://ess.example/a b"));
  CHECK_FALSE(hub::SiteUrlOf("https://ess.example/\n"));
  CHECK_FALSE(hub::SiteUrlOf("https://économie.example"));  // an IDN travels as punycode
  CHECK_FALSE(hub::SiteUrlOf("HTTPS://ess.example"));
  const std::string longest = "https://ess.example/" + std::string(hub::kMaxSiteUrlBytes - 20, 'a');
  CHECK(hub::SiteUrlOf(longest) == longest);
  CHECK_FALSE(hub::SiteUrlOf(longest + "a"));
}

TEST_CASE("RegionRecordPage is the node's record page, the id percent-encoded") {
  CHECK(hub::RegionRecordPage("https://ess.example/carte", "0b4f-9a_x.~") ==
        "https://ess.example/carte/initiative.html?id=0b4f-9a_x.~");
  CHECK(hub::RegionRecordPage("https://ess.example", "a b&c") ==
        "https://ess.example/initiative.html?id=a%20b%26c");
}

TEST_CASE("a node's authenticated hello gives the hub its site; the national records link there") {
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
  paca.Start(hub.grpc_address(), {"--public-url", "https://ess-paca.example/carte/"});
  occitanie.Start(hub.grpc_address());  // --public-url left at its loopback default
  NodeJournal paca_journal(paca_db.connection_string(), "93", paca_key);
  NodeJournal occitanie_journal(occitanie_db.connection_string(), "76", occitanie_key);
  const RecordId epicerie = NewRecordId();
  const std::string epicerie_id = RecordIdToString(epicerie);
  paca_journal.Append(
      {PutInitiative(epicerie, InitiativePayload("Épicerie du Panier", "admitted"))});
  const RecordId garage = NewRecordId();
  occitanie_journal.Append(
      {PutInitiative(garage, InitiativePayload("Garage solidaire", "admitted", kToulouse))});
  auto regions = [&] {
    std::map<std::string, nlohmann::json> out;
    const nlohmann::json body = GetJson(hub.http_port(), "/api/regions");
    for (const auto& r : body["regions"]) {
      out[r["region"].get<std::string>()] = r["site_url"];
    }
    return out;
  };
  REQUIRE(WaitUntil(30s, [&] {
    return HttpGet(hub.http_port(), "/api/initiatives/93/" + epicerie_id).status == 200 &&
           HttpGet(hub.http_port(), "/api/initiatives/76/" + RecordIdToString(garage)).status ==
               200;
  }));
  auto sites = regions();
  CHECK(sites["93"] == "https://ess-paca.example/carte");
  CHECK(sites["76"].is_null());  // a node that names no public address gives the hub none
  CHECK(hub.Region("93")["site_url"] == "https://ess-paca.example/carte");
  CHECK(hub.Region("76")["site_url"].is_null());

  const std::string page = "https://ess-paca.example/carte/initiative.html?id=" + epicerie_id;
  CHECK(GetJson(hub.http_port(), "/api/initiatives/93/" + epicerie_id)["region_site_url"] == page);
  auto found = GetJson(hub.http_port(), "/api/initiatives?q=epicerie");
  REQUIRE(found["items"].size() == 1);
  CHECK(found["items"][0]["region_site_url"] == page);
  CHECK_FALSE(GetJson(hub.http_port(), "/api/initiatives/76/" + RecordIdToString(garage))
                  .contains("region_site_url"));
  auto show = RunEssctl(
      dir, {"region", "show", "--database", hub_db.connection_string(), "--region", "93"});
  CHECK(show.output.find("site de la région : https://ess-paca.example/carte") !=
        std::string::npos);

  // A node now announcing what is not an http(s) address leaves the hub with no site for it:
  // never a link the hub cannot vouch for.
  paca.Stop();
  paca.Start(hub.grpc_address(), {"--public-url", "javascript:alert(1)"});
  CHECK(WaitUntil(30s, [&] { return regions()["93"].is_null(); }));
  CHECK_FALSE(
      GetJson(hub.http_port(), "/api/initiatives/93/" + epicerie_id).contains("region_site_url"));
  // ...and a valid one again is taken at its next authenticated hello.
  paca.Stop();
  paca.Start(hub.grpc_address(), {"--public-url", "http://127.0.0.1:8093"});
  CHECK(WaitUntil(30s, [&] { return regions()["93"] == "http://127.0.0.1:8093"; }));
  paca.Stop();
  occitanie.Stop();
  hub.Stop();
}

TEST_CASE("only the 18 regions enrol at the hub or run a node: no collectivité d'outre-mer") {
  TempDir dir;
  TestDatabase hub_db, node_db;
  const std::string db = hub_db.connection_string();
  // Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin, the TAAF, Wallis-et-Futuna,
  // French Polynesia, New Caledonia, Clipperton: none is one of the federation's regions.
  for (const std::string code : {"975", "977", "978", "984", "986", "987", "988", "989"}) {
    CAPTURE(code);
    const std::string key = MakeKey(dir, "ess-federation/region/" + code, "com-" + code + ".key");
    auto enrol = RunEssctl(dir, {"region", "enrol", "--database", db, "--region", code,
                                 "--verifier-key", VerifierKeyOf(key)});
    CHECK(enrol.exit_code == 1);
    CHECK(enrol.output.find("n'est pas un code INSEE de région") != std::string::npos);
    ChildProcess node(BuiltExecutable("node/ess-node"),
                      {"--region", code, "--database", node_db.connection_string(), "--key-file",
                       key, "--http", "127.0.0.1:0", "--referential", ESS_REFERENTIAL_FILE},
                      dir.File("node-" + code + ".log"));
    CHECK(node.Wait(60s) == 2);
    CHECK(ReadFile(dir.File("node-" + code + ".log")).find("n'est pas un code INSEE de région") !=
          std::string::npos);
  }
  auto show = RunEssctl(dir, {"region", "show", "--database", db});
  CHECK(show.output.find("aucune région inscrite") != std::string::npos);
  // The 18 regions do enrol.
  const std::string key = MakeKey(dir, "ess-federation/region/06", "mayotte.key");
  CHECK(RunEssctl(dir, {"region", "enrol", "--database", db, "--region", "06", "--verifier-key",
                        VerifierKeyOf(key)})
            .exit_code == 0);
}
