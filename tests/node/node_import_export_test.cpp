// CSV import (mapping, dry run with per-row errors, all-or-nothing commit, each initiative
// journalled) and exports of the public map (CSV, GeoJSON; public fields only).
#include <doctest/doctest.h>

#include "core/csv.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

// A regional database's own headers, mapped to our fields.
const json kMapping = {{"name", "Nom"},          {"family", "Famille"},    {"legal_form", "Statut"},
                       {"activities", "Activités"}, {"commune", "Code INSEE"}, {"siret", "SIRET"},
                       {"employer", "Employeur"}, {"contact_email", "Courriel du responsable"},
                       {"latitude", "Lat"},       {"longitude", "Lon"}};

std::string Csv(const std::vector<std::string>& rows) {
  std::string out = "Nom;Famille;Statut;Activités;Code INSEE;SIRET;Employeur;Courriel du responsable;Lat;Lon\r\n";
  for (const auto& r : rows) out += r + "\r\n";
  return out;
}

}  // namespace

TEST_CASE("import: dry run lists per-row errors; a commit with errors imports nothing") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();
  std::string bad = Csv({"AMAP du Vieux-Port;association;association_loi_1901;alimentation;13055;;oui;amap@perso.example;43,2951;5,3744",
                         "Recyclerie;association;association_loi_1901;reemploi;13055;12345678901234;non;;;",
                         "Coop d'ailleurs;cooperative;scop;emploi;75056;;;;;",
                         "Sans activité;association;association_loi_1901;;13055;;peut-être;;;"});
  auto dry = node.Post("/api/admin/import", {{"csv", bad}, {"separator", ";"}, {"mapping", kMapping}, {"dry_run", true}}, &admin);
  REQUIRE_MESSAGE(dry.status == 200, dry.text);
  CHECK(dry.body["rows"] == 4);
  CHECK(dry.body["valid"] == 1);
  REQUIRE(dry.body["errors"].size() == 3);
  CHECK(dry.body["errors"][0] == json{{"row", 2}, {"field", "siret"}, {"code", "invalid_siret"},
                                      {"message", dry.body["errors"][0]["message"]}});
  CHECK(dry.body["errors"][1]["row"] == 3);
  CHECK(dry.body["errors"][1]["code"] == "wrong_region");
  CHECK(dry.body["errors"][2]["row"] == 4);
  CHECK(dry.body["errors"][2]["field"] == "employer");

  auto commit = node.Post("/api/admin/import", {{"csv", bad}, {"separator", ";"}, {"mapping", kMapping}}, &admin);
  CHECK(commit.status == 422);
  CHECK(commit.body["code"] == "import_rejected");
  CHECK(commit.body["report"]["errors"].size() == 3);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  CHECK(node.JournalSize() == journal);

  // Mapping and CSV errors.
  auto unknown_column = node.Post("/api/admin/import",
                                  {{"csv", bad}, {"separator", ";"}, {"mapping", {{"name", "Raison sociale"}}}}, &admin);
  CHECK(unknown_column.status == 422);
  CHECK(unknown_column.body["code"] == "unknown_column");
  CHECK(unknown_column.body["field"] == "mapping.name");
  auto broken = node.Post("/api/admin/import", {{"csv", "Nom\n\"pas fermé\n"}}, &admin);
  CHECK(broken.body["code"] == "invalid_csv");
  // Only admins import.
  Session member = node.AddMember(admin, "Alice Martin", "usagers");
  CHECK(node.Post("/api/admin/import", {{"csv", bad}, {"separator", ";"}}, &member).status == 403);
}

TEST_CASE("import commits all rows in one transaction, each journalled; exports show public fields only") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();
  std::string good = Csv({"AMAP du Vieux-Port;association;association_loi_1901;alimentation;13055;;oui;amap@perso.example;43,2951;5,3744",
                          "=HYPERLINK(\"x\");association;association_loi_1901;culture;13055;;;;;",
                          "SCOP Nice Vélo;cooperative;scop;mobilite|reemploi;06088;73282932000074;oui;;;"});
  auto dry = node.Post("/api/admin/import", {{"csv", good}, {"separator", ";"}, {"mapping", kMapping}, {"dry_run", true}}, &admin);
  REQUIRE_MESSAGE(dry.status == 200, dry.text);
  CHECK(dry.body["valid"] == 3);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  auto commit = node.Post("/api/admin/import",
                          {{"csv", good}, {"separator", ";"}, {"mapping", kMapping}, {"status", "admitted"}}, &admin);
  REQUIRE_MESSAGE(commit.status == 201, commit.text);
  CHECK(commit.body["imported"] == 3);
  CHECK(node.Count("SELECT count(*) FROM initiative WHERE status = 'admitted'") == 3);
  auto records = node.VerifiedJournal();
  REQUIRE(records.size() == journal + 3);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& r = records[journal + i];
    CHECK(r.entry.kind == RecordKind::kInitiative);
    CHECK(RecordIdToString(r.entry.record_id) == commit.body["ids"][i]);
    CHECK((*r.payload)["status"] == "admitted");
    CHECK_FALSE(r.payload->contains("charter_version"));  // not adhered yet
  }
  CHECK((*records[journal].payload)["latitude"] == 43.2951);
  CHECK(records[journal].payload->dump().find("amap@perso.example") == std::string::npos);
  CHECK(node.Count("SELECT count(*) FROM log_checkpoint") == static_cast<long long>(journal) + 1);

  // Exports: admitted initiatives on the public map, public fields only.
  node.Submit({{"name", "Pas encore admise"}});
  auto csv = node.Get("/api/export/initiatives.csv");
  REQUIRE(csv.status == 200);
  CHECK(csv.headers["content-type"].find("text/csv") == 0);
  auto table = ParseCsv(csv.text);
  REQUIRE(table.error.empty());
  REQUIRE(table.rows.size() == 4);
  CHECK(table.rows[0][1] == "name");
  CHECK(csv.text.find("amap@perso.example") == std::string::npos);
  CHECK(csv.text.find("Pas encore admise") == std::string::npos);
  CHECK(csv.text.find("'=HYPERLINK") != std::string::npos);  // formulas neutralised
  auto geo = node.Get("/api/export/initiatives.geojson");
  REQUIRE(geo.status == 200);
  CHECK(geo.body["type"] == "FeatureCollection");
  REQUIRE(geo.body["features"].size() == 3);
  const auto& feature = geo.body["features"][0];
  CHECK(feature["geometry"]["type"] == "Point");
  CHECK(feature["geometry"]["coordinates"].size() == 2);
  CHECK_FALSE(feature["properties"].contains("private"));
  CHECK(geo.text.find("amap@perso.example") == std::string::npos);
  // Imported initiatives have not adhered to the charter: asked to re-adhere.
  auto view = node.Get("/api/initiatives/" + commit.body["ids"][0].get<std::string>(), &admin);
  CHECK(view.body["private"]["contact_email"] == "amap@perso.example");
  CHECK_FALSE(view.body.contains("charter_version"));
}

TEST_CASE("import: confirmed_at carries the source database's last confirmation into freshness") {
  NodeFixture node;  // today is 2026-01-01; records stay valid 365 days, then 60 days of grace
  Session admin = node.Admin();
  node.PublishCharter(admin);
  json mapping = kMapping;
  mapping["confirmed_at"] = "Confirmé le";
  auto csv = [](const std::vector<std::string>& rows) {
    std::string out = "Nom;Famille;Statut;Activités;Code INSEE;SIRET;Employeur;Courriel du responsable;Lat;Lon;Confirmé le\r\n";
    for (const auto& r : rows) out += r + "\r\n";
    return out;
  };
  const std::string base = ";association;association_loi_1901;alimentation;13055;;non;;;;";

  auto bad = node.Post("/api/admin/import",
                       {{"csv", csv({"Demain" + base + "2026-03-01", "Illisible" + base + "01/02/2025"})},
                        {"separator", ";"}, {"mapping", mapping}, {"dry_run", true}}, &admin);
  REQUIRE_MESSAGE(bad.status == 200, bad.text);
  REQUIRE(bad.body["errors"].size() == 2);
  CHECK(bad.body["errors"][0]["field"] == "confirmed_at");
  CHECK(bad.body["errors"][0]["message"].get<std::string>().find("futur") != std::string::npos);
  CHECK(bad.body["errors"][1]["code"] == "invalid_date");

  auto commit = node.Post("/api/admin/import",
                          {{"csv", csv({"Récente" + base + "2025-06-01", "À confirmer" + base + "2024-12-15",
                                        "Oubliée" + base + "2024-06-01T08:00:00Z", "Sans date" + base})},
                           {"separator", ";"}, {"mapping", mapping}, {"status", "admitted"}}, &admin);
  REQUIRE_MESSAGE(commit.status == 201, commit.text);
  auto freshness = [&](int k) {
    return node.Get("/api/initiatives/" + commit.body["ids"][k].get<std::string>(), &admin).body["freshness"];
  };
  CHECK(freshness(0) == "fresh");
  CHECK(freshness(1) == "to_confirm");
  CHECK(freshness(2) == "hidden");
  CHECK(freshness(3) == "fresh");
  // The journalled revision carries the dates, so the hub flags and hides them alike.
  auto records = node.VerifiedJournal();
  const auto& stale = *records[records.size() - 3].payload;
  CHECK(stale["confirmed_at"] == "2024-12-15T00:00:00Z");
  CHECK(stale["valid_until"] == "2025-12-15T00:00:00Z");
  // The public map keeps the stale one (flagged) and drops the hidden one.
  auto map = node.Get("/api/initiatives?freshness=to_confirm");
  CHECK(map.body["total"] == 1);
  CHECK(node.Get("/api/initiatives").body["total"] == 3);
}
