// The hub's HTTP API as a handler (Request -> Response, no port) over a real PostgreSQL filled
// through the replication domain: search and its filters, clusters, a record and its proof
// (checked offline with core's VerifyRecordProof), indicators, replication status, duplicates
// across regions, CSV and GeoJSON exports, parameter errors.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "core/geo.h"
#include "core/referential.h"
#include "core/verify.h"
#include "hub/api/hub_http_api.h"
#include "tests/hub/hub_store_fixture.h"
#include "tests/hub/hub_test_support.h"

using namespace ess;
using namespace ess::hub;
using nlohmann::json;
using test::SignedRegionLog;

namespace {

using test::TheReferential;

struct Fixture : test::HubStoreFixture {
  HubHttpApi api{pool,
                 clock,
                 TheReferential(),
                 std::string(kDefaultFederation),
                 {"ess-federation/hub", test::HubTestSigner().public_key()}};
  SignedRegionLog paca{"93", 1};
  SignedRegionLog occitanie{"76", 2};

  Fixture() : HubStoreFixture(4) {
    Enrol(paca, occitanie);
    using test::InitiativePayload;
    paca.Initiative(test::TestRecordId(1),
                    InitiativePayload("Épicerie solidaire du Panier", "admitted", test::kMarseille,
                                      {{"siret", "73282932000074"}, {"activities", {"alimentation", "insertion"}}}));
    paca.Initiative(test::TestRecordId(2),
                    InitiativePayload("SCIC Énergie partagée", "admitted", test::kNice,
                                      {{"family", "cooperative"}, {"legal_form", "scic"},
                                       {"activities", {"energie"}},
                                       {"valid_until", "2025-06-01T00:00:00Z"}}));
    paca.Initiative(test::TestRecordId(3), InitiativePayload("Recyclerie en attente", "pending"));
    paca.Initiative(test::TestRecordId(4),
                    InitiativePayload("Vélo-école de la Joliette", "admitted",
                                      {"13055", "13", "93", 43.30650, 5.36700},
                                      {{"activities", {"mobilite"}}}));
    // A duplicate across regions at the same place: Domazan (Gard) has an approximated point
    // (its postcode's), 86 km away, within its widened radius of 140 km (decision 0007).
    occitanie.Initiative(
        test::TestRecordId(1, 7),
        InitiativePayload("Épicerie Solidaire du panier", "admitted",
                          {"30103", "30", "76", 43.29651, 5.36981}, {{"siret", "73282932000074"}}));
    REQUIRE(replicas.ApplyBatch("93", paca.Batch(0, 4), "t").kind == BatchOutcome::Kind::kAccepted);
    REQUIRE(replicas.ApplyBatch("76", occitanie.Batch(0, 1), "t").kind == BatchOutcome::Kind::kAccepted);
  }

  HttpResponse Call(const std::string& target, std::map<std::string, std::string> headers = {}) {
    return api(test::ApiRequest("GET", target, std::move(headers)));
  }

  json Get(const std::string& target, int expected_status = 200) {
    HttpResponse res = Call(target);
    CAPTURE(target);
    CAPTURE(res.BodyText());
    CHECK(res.status == expected_status);
    if (res.content_type.find("json") == std::string::npos)
      return json(std::string(res.BodyText()));
    return json::parse(res.BodyText());
  }
};

std::vector<std::string> Names(const json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["name"]);
  return out;
}

}  // namespace

TEST_CASE("national search: text, filters, bounding box, radius, pagination") {
  Fixture f;
  CHECK(f.Get("/healthz")["status"] == "ok");
  json all = f.Get("/api/initiatives");
  CHECK(all["total"] == 4);  // the pending one is not on the map
  CHECK(f.Get("/api/initiatives?q=epicerie")["total"] == 2);
  CHECK(f.Get("/api/initiatives?q=%C3%A9nergie")["total"] == 1);
  CHECK(f.Get("/api/initiatives?q=velo%20jol")["total"] == 1);  // prefix of the last word
  CHECK(f.Get("/api/initiatives?region=76")["total"] == 1);
  CHECK(f.Get("/api/initiatives?department=06")["total"] == 1);
  CHECK(f.Get("/api/initiatives?family=cooperative")["total"] == 1);
  CHECK(f.Get("/api/initiatives?legal_form=scic")["total"] == 1);
  CHECK(f.Get("/api/initiatives?activity=insertion")["total"] == 1);
  CHECK(f.Get("/api/initiatives?commune=13055")["total"] == 2);
  json stale = f.Get("/api/initiatives?freshness=to_confirm");
  REQUIRE(stale["total"] == 1);
  CHECK(stale["items"][0]["freshness"] == "to_confirm");
  CHECK(f.Get("/api/initiatives?freshness=fresh")["total"] == 3);
  // West,south,east,north around Nice.
  CHECK(f.Get("/api/initiatives?bbox=7.0,43.5,7.5,43.9")["total"] == 1);
  json near = f.Get("/api/initiatives?near=43.2965,5.3698&radius_km=2");
  REQUIRE(near["total"] == 3);
  CHECK(near["items"][0]["distance_m"] < near["items"][2]["distance_m"]);
  json page = f.Get("/api/initiatives?per_page=2&page=2");
  CHECK(page["total"] == 4);
  CHECK(page["page"] == 2);
  CHECK(page["items"].size() == 2);
  CHECK(Names(page) != Names(f.Get("/api/initiatives?per_page=2")));
  // Bad parameters are refused with the field named (422, as on the node).
  CHECK(f.Get("/api/initiatives?per_page=1000", 422)["field"] == "per_page");
  CHECK(f.Get("/api/initiatives?page=0", 422)["field"] == "page");
  CHECK(f.Get("/api/initiatives?bbox=1,2,3", 422)["field"] == "bbox");
  CHECK(f.Get("/api/initiatives?near=91,0", 422)["field"] == "near");
  CHECK(f.Get("/api/initiatives?near=43,5&radius_km=600", 422)["field"] == "radius_km");
  CHECK(f.Get("/api/initiatives?radius_km=6", 422)["field"] == "near");
  CHECK(f.Get("/api/initiatives?freshness=old", 422)["field"] == "freshness");
  CHECK(f.Get("/api/initiatives?sort=distance", 422)["field"] == "sort");
  // Words with nothing searchable in them filter nothing, as on the node (the hub found none).
  CHECK(f.Get("/api/initiatives?q=%21%21")["total"] == 4);
}

TEST_CASE("freshness boundary: at valid_until exactly the record is to confirm, as on the node") {
  Fixture f;
  // The SCIC's valid_until, 2025-06-01T00:00:00Z (core/freshness.h).
  const std::chrono::system_clock::time_point valid_until(std::chrono::seconds(1'748'736'000));
  f.clock.Set(valid_until - std::chrono::milliseconds(1));
  CHECK(f.Get("/api/initiatives?freshness=to_confirm")["total"] == 0);
  CHECK(f.Get("/api/indicators")["to_confirm"] == 0);
  f.clock.Set(valid_until);
  json stale = f.Get("/api/initiatives?freshness=to_confirm");
  REQUIRE(stale["total"] == 1);
  CHECK(stale["items"][0]["name"] == "SCIC Énergie partagée");
  CHECK(stale["items"][0]["freshness"] == "to_confirm");
  CHECK(f.Get("/api/initiatives?freshness=fresh")["total"] == 3);
  CHECK(f.Get("/api/initiatives?q=energie")["items"][0]["freshness"] == "to_confirm");
  CHECK(f.Get("/api/indicators")["to_confirm"] == 1);
}

TEST_CASE("clusters per zoom, one record, and its proof verified offline") {
  Fixture f;
  json coarse = f.Get("/api/map/clusters?zoom=3");
  std::uint64_t points = 0;
  for (const auto& c : coarse["clusters"]) points += c["count"].get<std::uint64_t>();
  CHECK(points == 4);
  CHECK(coarse["clusters"].size() < 4);
  json fine = f.Get("/api/map/clusters?zoom=18&bbox=5.3,43.2,5.4,43.4");
  // Two of the three points are 1 m apart: one cell even at zoom 18.
  REQUIRE(fine["clusters"].size() == 2);
  CHECK(fine["clusters"][0]["count"] == 2);
  CHECK_FALSE(fine["clusters"][0].contains("id"));
  CHECK(fine["clusters"][1]["name"] == "Vélo-école de la Joliette");
  // A single point carries what the map's preview card shows (issue 14, contract 3).
  CHECK(fine["clusters"][1]["region"] == "93");
  CHECK(fine["clusters"][1]["family"] == "association");
  CHECK(fine["clusters"][1]["commune_name"] == "Marseille");
  CHECK(fine["clusters"][1]["freshness"] == "fresh");
  CHECK(fine["clusters"][1]["location_precision"] == "placed");
  CHECK_FALSE(fine["clusters"][0].contains("freshness"));
  json nice = f.Get("/api/map/clusters?zoom=18&bbox=7.2,43.6,7.3,43.8");
  REQUIRE(nice["clusters"].size() == 1);
  CHECK(nice["clusters"][0]["family"] == "cooperative");
  CHECK(nice["clusters"][0]["freshness"] == "to_confirm");  // past its valid_until
  CHECK(f.Get("/api/map/clusters?zoom=30", 422)["field"] == "zoom");

  const std::string id = RecordIdToString(test::TestRecordId(4));
  json record = f.Get("/api/initiatives/93/" + id);
  CHECK(record["name"] == "Vélo-école de la Joliette");
  CHECK(record["commune_name"] == "Marseille");
  f.Get("/api/initiatives/93/" + RecordIdToString(test::TestRecordId(3)), 404);  // pending
  f.Get("/api/initiatives/93/not-an-id", 404);

  json proof = f.Get("/api/initiatives/93/" + id + "/proof");
  RecordProof p;
  p.entry = *FromHex(proof["entry"].get<std::string>());
  p.payload = ToBytes(proof["payload"].get<std::string>());
  Salt salt;
  auto salt_bytes = *FromHex(proof["salt"].get<std::string>());
  std::copy(salt_bytes.begin(), salt_bytes.end(), salt.begin());
  p.salt = salt;
  for (const auto& h : proof["inclusion_proof"]) p.inclusion_proof.push_back(*HashFromHex(h.get<std::string>()));
  p.checkpoint_note = proof["checkpoint"];
  // The verifier trusts the key it compared out of band, not the hub: the region's own.
  LogEntry entry;
  Verdict v = VerifyRecordProof(p, "93", f.paca.KeyRing(), &entry);
  CHECK_MESSAGE(v.ok(), v.reason);
  CHECK(entry.index == 3);
  CHECK(proof["key"] == f.paca.VerifierKeyText());
  CHECK(proof["key_fingerprint"] == KeyFingerprint(f.paca.signer().public_key()));
  CHECK(proof["tree_size"] == 4);
}

TEST_CASE(
    "a proof names its signing key only if that key is valid for tree_size - 1 and not revoked") {
  Fixture f;
  const std::string path =
      "/api/initiatives/93/" + RecordIdToString(test::TestRecordId(4)) + "/proof";
  const std::string signer = KeyFingerprint(f.paca.signer().public_key());
  REQUIRE(f.Get(path)["tree_size"] == 4);  // the checkpoint is valid from a key covering index 3
  const auto next = Ed25519Signer::FromSeed(test::SeedOf(0x41));
  const std::string next_key = FormatVerifierKey(f.paca.origin(), next.public_key());
  auto admin = [&](auto action) {
    f.pool.WithTransaction([&](pqxx::work& txn) {
      REQUIRE(action(RegionRegistry(txn, std::string(kDefaultFederation), f.clock)).ok);
    });
  };

  SUBCASE("a key whose range ends at the checkpoint's size still covers its last entry") {
    admin([&](RegionRegistry r) { return r.AddKey("93", next_key, 4); });
    json proof = f.Get(path);
    CHECK(proof["key_fingerprint"] == signer);
    CHECK(proof["keys"][0]["valid_until_index"] == 4);
    CHECK(proof["keys"].size() == 2);
  }
  SUBCASE("a key whose range ends before the last entry signs nothing here") {
    admin([&](RegionRegistry r) { return r.AddKey("93", next_key, 3); });
    json proof = f.Get(path);
    // The key that covers index 3 did not sign the checkpoint: no key is named.
    CHECK(proof["key"].is_null());
    CHECK(proof["key_fingerprint"].is_null());
    CHECK(proof["keys"][0]["valid_until_index"] == 3);
    CHECK(proof["keys"][1]["fingerprint"] == KeyFingerprint(next.public_key()));
  }
  SUBCASE("a revoked key signs nothing") {
    admin([&](RegionRegistry r) { return r.RevokeKey("93", signer, "clé perdue"); });
    json proof = f.Get(path);
    CHECK(proof["key"].is_null());
    CHECK(proof["keys"][0]["revoked"] == true);
    CHECK(proof["checkpoint"].is_string());  // the proof itself is still given
  }
}

TEST_CASE("indicators, replication status, duplicates and exports") {
  Fixture f;
  json ind = f.Get("/api/indicators");
  CHECK(ind["on_map"] == 4);
  CHECK(ind["to_confirm"] == 1);
  CHECK(ind["freshness_rate"].get<double>() == doctest::Approx(0.75));
  CHECK(ind["by_region"].size() == 2);
  CHECK(ind["by_region"][1]["label"] == "Provence-Alpes-Côte d'Azur");
  bool pending_counted = false;
  for (const auto& s : ind["by_status"]) {
    if (s["status"] == "pending") pending_counted = s["count"] == 1;
  }
  CHECK(pending_counted);
  bool energy = false;
  for (const auto& a : ind["by_activity"]) energy = energy || (a["code"] == "energie" && a["count"] == 1);
  CHECK(energy);
  REQUIRE(ind["monthly_growth"].size() == 1);
  CHECK(ind["monthly_growth"][0]["month"] == "2026-01");
  CHECK(ind["monthly_growth"][0]["cumulative"] == 4);

  json regions = f.Get("/api/regions");
  REQUIRE(regions["regions"].size() == 2);
  json paca = f.Get("/api/regions/93");
  CHECK(paca["tree_size"] == 4);
  CHECK(paca["status"] == "active");
  CHECK(paca["keys"].size() == 1);
  f.Get("/api/regions/11", 404);

  json dup = f.Get("/api/duplicates");
  REQUIRE(dup["total"] == 1);
  const auto& pair = dup["items"][0];
  CHECK(pair["first"]["region"] == "76");
  CHECK(pair["second"]["region"] == "93");
  CHECK(pair["reasons"] == json({"name_nearby", "siret"}));
  CHECK(pair["distance_m"].get<double>() < 200);

  json csv = f.Get("/api/export/initiatives.csv?region=93");
  const std::string text = csv.get<std::string>();
  CHECK(text.rfind("region,id,name,", 0) == 0);
  CHECK(std::count(text.begin(), text.end(), '\n') == 4);  // header + 3 rows
  CHECK(text.find("Vélo-école de la Joliette") != std::string::npos);
  json geo = f.Get("/api/export/initiatives.geojson?family=cooperative");
  CHECK(geo["type"] == "FeatureCollection");
  REQUIRE(geo["features"].size() == 1);
  CHECK(geo["features"][0]["geometry"]["coordinates"][0] == doctest::Approx(7.26608));
  CHECK(f.Get("/api/referential")["version"] == TheReferential().version());
  CHECK(f.Get("/api/referential")["communes"].size() == TheReferential().commune_count());
  // Pages load it without the communes, and keep it through its ETag.
  HttpResponse light = f.Call("/api/referential?without=communes");
  CHECK(light.status == 200);
  CHECK_FALSE(json::parse(light.BodyText()).contains("communes"));
  CHECK(json::parse(light.BodyText())["version"] == TheReferential().version());
  auto etag = std::find_if(light.headers.begin(), light.headers.end(), [](const auto& h) { return h.first == "ETag"; });
  REQUIRE(etag != light.headers.end());
  HttpResponse again = f.Call("/api/referential?without=communes", {{"if-none-match", etag->second}});
  CHECK(again.status == 304);
  CHECK(again.body.empty());
  CHECK(f.Call("/api/referential", {{"if-none-match", etag->second}}).status == 200);  // another document
  f.Get("/api/referential?without=departments", 422);
}

TEST_CASE("a region checks its receipt with nothing but the hub's published key") {
  Fixture f;
  f.paca.Initiative(test::TestRecordId(5), test::InitiativePayload("Ressourcerie", "admitted"));
  BatchOutcome out = f.replicas.ApplyBatch("93", f.paca.Batch(4, 5), "t");
  REQUIRE(out.kind == BatchOutcome::Kind::kAccepted);

  json key = f.Get("/api/hub/key");
  CHECK(key["federation"] == "ess-federation");
  // The C2SP verifier key: name + key id + base64(0x04 || public key).
  const std::string verifier = key["verifier_key"];
  const auto plus1 = verifier.find('+'), plus2 = verifier.rfind('+');
  REQUIRE(plus1 != std::string::npos);
  REQUIRE(plus2 > plus1);
  const std::string name = verifier.substr(0, plus1);
  CHECK(name == key["name"]);
  auto typed = FromBase64(verifier.substr(plus2 + 1));
  REQUIRE(typed);
  REQUIRE(typed->size() == 33);
  CHECK(typed->front() == kCosignatureType);
  Ed25519PublicKey hub_key;
  std::copy(typed->begin() + 1, typed->end(), hub_key.begin());
  char id[9];
  std::snprintf(id, sizeof id, "%08x", CosignerKeyId(name, hub_key));
  CHECK(verifier.substr(plus1 + 1, plus2 - plus1 - 1) == id);
  CHECK(key["fingerprint"] == KeyFingerprint(hub_key));

  auto receipt = ParseNote(out.cosigned_checkpoint);
  REQUIRE(receipt);
  bool checked = false;
  for (const auto& sig : receipt->signatures) {
    if (sig.name == name) checked = VerifyCosignature(receipt->text, sig, name, hub_key);
  }
  CHECK(checked);
  // Another key does not verify it.
  Ed25519PublicKey other = Ed25519Signer::FromSeed(test::SeedOf(0x41)).public_key();
  CHECK_FALSE(VerifyCosignature(receipt->text, receipt->signatures.back(), name, other));
}

TEST_CASE("national search finds activity labels and offer titles, as the node's does") {
  Fixture f;
  // "Alimentation et circuits courts" is the label of alimentation; the hub used to index the
  // codes only.
  CHECK(f.Get("/api/initiatives?q=circuits")["total"] == 2);
  CHECK(Names(f.Get("/api/initiatives?q=renouvelable")) ==
        std::vector<std::string>{"SCIC Énergie partagée"});
  f.paca.Initiative(test::TestRecordId(5),
                    test::InitiativePayload("Ferme du Roy", "admitted", test::kMarseille,
                                            {{"offers", {{{"title", "Paniers de légumes"}}}}}));
  REQUIRE(f.replicas.ApplyBatch("93", f.paca.Batch(4, 5), "t").kind ==
          BatchOutcome::Kind::kAccepted);
  CHECK(Names(f.Get("/api/initiatives?q=legumes")) == std::vector<std::string>{"Ferme du Roy"});
  CHECK(Names(f.Get("/api/initiatives?q=panier%20ferme")) ==
        std::vector<std::string>{"Ferme du Roy"});
}

TEST_CASE("search parameters read as on the node: codes checked, q too long, cap of clusters") {
  Fixture f;
  json e = f.Get("/api/initiatives?q=" + std::string(201, 'a'), 422);
  CHECK(e["field"] == "q");
  CHECK(e["code"] == "too_long");
  CHECK(f.Get("/api/initiatives?department=13%27%3B", 422)["field"] == "department");
  CHECK(f.Get("/api/initiatives?bbox=1,2,3,4,", 422)["field"] == "bbox");
  CHECK(f.Get("/api/map/clusters?zoom=6")["cell_degrees"] == ClusterCellDegrees(6));
  // A radius search's distance is in metres, rounded to the metre.
  json near = f.Get("/api/initiatives?near=43.2965,5.3698&radius_km=1");
  REQUIRE(near["total"].get<int>() >= 1);
  CHECK(near["items"][0]["distance_m"].get<double>() < 5);
}

namespace {

std::string KeyOf(const json& item) {
  return item["region"].get<std::string>() + "/" + item["id"].get<std::string>();
}

// Reads the change feed from `after` to its end, `per_page` changes a page, into `store`
// (region/id -> record) as a consumer would; returns the cursor to resume from.
std::string Replay(Fixture& f, std::map<std::string, json>& store, std::string after, int per_page,
                   std::vector<json>* changes = nullptr) {
  for (int pages = 0; pages < 100; ++pages) {
    json page = f.Get("/api/changes?limit=" + std::to_string(per_page) +
                      (after.empty() ? "" : "&after=" + after));
    CHECK(page["changes"].size() <= static_cast<std::size_t>(per_page));
    for (const auto& c : page["changes"]) {
      if (changes) changes->push_back(c);
      if (c["change"] == "upsert") {
        store[KeyOf(c)] = c["record"];
      } else {
        CHECK(c["change"] == "removal");
        CHECK_FALSE(c.contains("record"));
        store.erase(KeyOf(c));
      }
    }
    after = page["next"];
    if (!page["more"].get<bool>()) return after;
  }
  FAIL("the change feed never ended");
  return after;
}

// The national view as the API serves it: every record on the map, each as its own page
// (GET /api/initiatives/{region}/{id}) shows it.
std::map<std::string, json> View(Fixture& f) {
  std::map<std::string, json> out;
  const json page = f.Get("/api/initiatives?per_page=100");
  for (const auto& item : page["items"]) {
    out[KeyOf(item)] = f.Get("/api/initiatives/" + KeyOf(item));
  }
  return out;
}

}  // namespace

TEST_CASE("the change feed replays into the national view, removals included, and resumes") {
  Fixture f;
  std::map<std::string, json> copy;
  std::vector<json> first_changes;
  const std::string cursor = Replay(f, copy, "", 2, &first_changes);
  CHECK(copy == View(f));
  CHECK(copy.size() == 4);
  // Never admitted, never public: the pending record is not in the feed.
  for (const auto& c : first_changes) CHECK(c["id"] != RecordIdToString(test::TestRecordId(3)));
  // By region, then in log order; the cursor holds each region's last index.
  CHECK(first_changes.front()["region"] == "76");
  CHECK(cursor == "76.0-93.3");
  // Caught up: nothing more, the same cursor.
  json empty = f.Get("/api/changes?after=" + cursor);
  CHECK(empty["changes"].empty());
  CHECK(empty["next"] == cursor);
  CHECK(empty["more"] == false);

  // Paca suspends the bicycle school, erases the grocery, admits a new record and edits the
  // energy cooperative.
  using test::InitiativePayload;
  f.paca.Initiative(test::TestRecordId(4),
                    InitiativePayload("Vélo-école de la Joliette", "suspended"));
  f.paca.Append(RecordKind::kInitiative, test::TestRecordId(1),
                R"({"reason":"demande d'effacement"})", Operation::kErase);
  f.paca.Initiative(test::TestRecordId(5),
                    InitiativePayload("Ressourcerie du Vieux-Port", "admitted"));
  f.paca.Initiative(
      test::TestRecordId(2),
      InitiativePayload(
          "SCIC Énergie partagée du Var", "admitted", test::kNice,
          {{"family", "cooperative"}, {"legal_form", "scic"}, {"activities", {"energie"}}}));
  REQUIRE(f.replicas.ApplyBatch("93", f.paca.Batch(4, f.paca.size()), "t").kind ==
          BatchOutcome::Kind::kAccepted);

  // Resumed from the cursor: exactly the four changes, each linked to its entry.
  std::vector<json> later;
  const std::string resumed = Replay(f, copy, cursor, 3, &later);
  CHECK(copy == View(f));
  CHECK(copy.size() == 3);
  REQUIRE(later.size() == 4);
  CHECK(resumed == "76.0-93.7");
  std::map<std::string, json> by_id;
  for (const auto& c : later) by_id[c["id"]] = c;
  const json& suspended = by_id[RecordIdToString(test::TestRecordId(4))];
  CHECK(suspended["change"] == "removal");
  CHECK(suspended["status"] == "suspended");
  CHECK(suspended["log_index"] == 4);
  CHECK(suspended["record_version"] == 2);
  const json& erased = by_id[RecordIdToString(test::TestRecordId(1))];
  CHECK(erased["change"] == "removal");
  CHECK(erased["status"] == "erased");
  CHECK(erased["log_index"] == 5);
  const json& edited = by_id[RecordIdToString(test::TestRecordId(2))];
  CHECK(edited["change"] == "upsert");
  CHECK(edited["record"]["name"] == "SCIC Énergie partagée du Var");
  CHECK(edited["record"]["proof"] ==
        "/api/initiatives/93/" + edited["id"].get<std::string>() + "/proof");

  // From the start again, in one page, the erasure included: still the view.
  std::map<std::string, json> fresh;
  Replay(f, fresh, "", 1000);
  CHECK(fresh == View(f));
  // One region only.
  json occitanie = f.Get("/api/changes?region=76");
  REQUIRE(occitanie["changes"].size() == 1);
  CHECK(occitanie["next"] == "76.0");

  // What is not a cursor, a region code or a page size is refused, naming the parameter.
  for (const char* target :
       {"/api/changes?after=93", "/api/changes?after=93.1-93.2", "/api/changes?after=abc",
        "/api/changes?limit=0", "/api/changes?limit=1001", "/api/changes?limit=dix",
        "/api/changes?region=PACA"}) {
    json error = f.Get(target, 422);
    CHECK(error["code"] == "invalid_parameter");
  }
}
