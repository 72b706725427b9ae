// CSV import (mapping, dry run with per-row errors, all-or-nothing commit, each initiative
// journalled) and exports of the public map (CSV, GeoJSON; public fields only).
#include <doctest/doctest.h>

#include <set>

#include "core/bytes.h"
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
  // Every error of every row, with its line as a spreadsheet shows it (the header is line 1)
  // and the file's column it was read from.
  REQUIRE(dry.body["errors"].size() == 4);
  CHECK(dry.body["errors"][0] == json{{"row", 2},
                                      {"line", 3},
                                      {"field", "siret"},
                                      {"column", "SIRET"},
                                      {"code", "invalid_siret"},
                                      {"message", dry.body["errors"][0]["message"]}});
  CHECK(dry.body["errors"][1]["line"] == 4);
  CHECK(dry.body["errors"][1]["code"] == "wrong_region");
  CHECK(dry.body["errors"][2]["line"] == 5);
  CHECK(dry.body["errors"][2]["field"] == "employer");
  CHECK(dry.body["errors"][2]["column"] == "Employeur");
  CHECK(dry.body["errors"][3]["line"] == 5);
  CHECK(dry.body["errors"][3]["field"] == "activities");
  CHECK(dry.body["error_count"] == 3);
  CHECK(dry.body["rejected_lines"] == json{3, 4, 5});

  auto commit = node.Post("/api/admin/import", {{"csv", bad}, {"separator", ";"}, {"mapping", kMapping}}, &admin);
  CHECK(commit.status == 422);
  CHECK(commit.body["code"] == "import_rejected");
  CHECK(commit.body["report"]["errors"].size() == 4);
  CHECK(commit.body["report"]["imported_lines"] == json::array());
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
  CHECK(commit.body["imported_lines"] == json{2, 3, 4});
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
  CHECK(table.rows[0][2] == "name");
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

TEST_CASE(
    "import: a network's own spreadsheet (';', Windows-1252, French headers and labels, commune "
    "names)") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  // As French Excel saves "CSV (séparateur : point-virgule)": Windows-1252 bytes (é = E9,
  // œ = 9C), headers as the form labels them, labels rather than codes, communes by name,
  // a description over two lines (quoted), yes/no as "x" and "non".
  const std::string file =
      "Nom;Famille de l'ESS;Forme juridique;Activit\xE9s;Commune;Code "
      "postal;T\xE9l\xE9phone;Employeur;"
      "Description\r\n"
      "\x9C"
      "uvre de l'\xE9picerie;Association;Association loi 1901;Alimentation et circuits courts;"
      "Marseille;13001;04 91 00 00 00;x;\"Sur deux\r\nlignes\"\r\n"
      "Coop v\xE9lo;Coop\xE9rative;SCOP;mobilite;Nice;;;non;\r\n";
  auto bytes = [](const std::string& text) {
    return ToBase64(ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
  };
  // The column step: encoding, separator and a mapping proposed from the header's names.
  auto columns = node.Post("/api/admin/import/columns", {{"csv_base64", bytes(file)}}, &admin);
  REQUIRE_MESSAGE(columns.status == 200, columns.text);
  CHECK(columns.body["encoding"] == "windows-1252");
  CHECK(columns.body["separator"] == ";");
  CHECK(columns.body["rows"] == 2);
  CHECK(columns.body["headers"][3] == "Activités");
  CHECK(columns.body["mapping_source"] == "proposed");
  CHECK(columns.body["mapping"] == json{{"name", "Nom"},
                                        {"family", "Famille de l'ESS"},
                                        {"legal_form", "Forme juridique"},
                                        {"activities", "Activités"},
                                        {"commune", "Commune"},
                                        {"postcode", "Code postal"},
                                        {"phone", "Téléphone"},
                                        {"employer", "Employeur"},
                                        {"description", "Description"}});
  CHECK(columns.body["fields"].size() == 20);

  auto dry =
      node.Post("/api/admin/import", {{"csv_base64", bytes(file)}, {"dry_run", true}}, &admin);
  REQUIRE_MESSAGE(dry.status == 200, dry.text);
  CHECK(dry.body["valid"] == 2);
  auto commit =
      node.Post("/api/admin/import", {{"csv_base64", bytes(file)}, {"status", "admitted"}}, &admin);
  REQUIRE_MESSAGE(commit.status == 201, commit.text);
  CHECK(commit.body["imported_lines"] == json{2, 4});  // the description spans lines 2-3
  auto first =
      node.Get("/api/initiatives/" + commit.body["ids"][0].get<std::string>(), &admin).body;
  CHECK(first["name"] == "œuvre de l'épicerie");
  CHECK(first["family"] == "association");
  CHECK(first["legal_form"] == "association_loi_1901");
  CHECK(first["activities"] == json{"alimentation"});
  CHECK(first["commune"] == "13055");
  CHECK(first["employer"] == true);
  auto second =
      node.Get("/api/initiatives/" + commit.body["ids"][1].get<std::string>(), &admin).body;
  CHECK(second["commune"] == "06088");
  CHECK(second["legal_form"] == "scop");
  CHECK(second["employer"] == false);
}

TEST_CASE("import: every error of a row, spreadsheet lines across quoted line ends") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::string file =
      "Nom;Famille;Forme juridique;Activités;Commune;Employeur;Courriel;Description\n"
      "Bonne fiche;Association;Association loi 1901;alimentation;Marseille;oui;;\"Sur\ndeux "
      "lignes\"\n"
      "X;Syndicat;Loi 1902;pêche|alimentation;Atlantide;peut-être;pas-un-courriel;\n"
      "Autre;association;association_loi_1901;alimentation;13055;non;;\n";
  auto dry = node.Post("/api/admin/import", {{"csv", file}, {"dry_run", true}}, &admin);
  REQUIRE_MESSAGE(dry.status == 200, dry.text);
  CHECK(dry.body["valid"] == 2);
  CHECK(dry.body["error_count"] == 1);
  CHECK(dry.body["rejected_lines"] == json{4});
  std::set<std::string> fields;
  for (const auto& e : dry.body["errors"]) {
    CHECK(e["line"] == 4);
    CHECK(e["row"] == 2);
    fields.insert(e["field"].get<std::string>());
  }
  // Name too short, unknown family, unknown legal form, unknown activity, unknown commune,
  // neither yes nor no, a bad email: all at once.
  CHECK(fields == std::set<std::string>{"name", "family", "legal_form", "activities[0]", "commune",
                                        "employer", "email"});
  for (const auto& e : dry.body["errors"]) {
    if (e["field"] == "commune") CHECK(e["column"] == "Commune");
    if (e["field"] == "activities[0]") CHECK(e["column"] == "Activités");
  }
  // Nothing imported while a row is invalid; fixed, the same file imports every row.
  auto refused = node.Post("/api/admin/import", {{"csv", file}}, &admin);
  CHECK(refused.status == 422);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
}

TEST_CASE("import: the mapping chosen for a header is proposed again for the next file") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::string file =
      "Structure;Type;Cadre;Secteur;Lieu\n"
      "AMAP;association;association_loi_1901;alimentation;13055\n";
  auto first = node.Post("/api/admin/import/columns", {{"csv", file}}, &admin);
  REQUIRE_MESSAGE(first.status == 200, first.text);
  CHECK(first.body["mapping_source"] == "proposed");
  CHECK(first.body["mapping"] == json{{"name", "Structure"}, {"activities", "Secteur"}});
  const json chosen = {{"name", "Structure"},
                       {"family", "Type"},
                       {"legal_form", "Cadre"},
                       {"activities", "Secteur"},
                       {"commune", "Lieu"}};
  auto dry = node.Post("/api/admin/import", {{"csv", file}, {"mapping", chosen}, {"dry_run", true}},
                       &admin);
  REQUIRE_MESSAGE(dry.status == 200, dry.text);
  CHECK(dry.body["valid"] == 1);
  // Another file with the same header (cells folded: case and accents aside).
  const std::string next =
      "STRUCTURE;type;Cadre;Secteur;Lieu\nRecyclerie;association;association_loi_1901;reemploi;"
      "13055\n";
  auto again = node.Post("/api/admin/import/columns", {{"csv", next}}, &admin);
  CHECK(again.body["mapping_source"] == "remembered");
  CHECK(again.body["mapping"]["family"] == "type");
  CHECK(node.Count("SELECT count(*) FROM import_mapping") == 1);
  // Without a mapping, the remembered one applies... to the header it was chosen for.
  auto commit = node.Post("/api/admin/import", {{"csv", file}}, &admin);
  CHECK_MESSAGE(commit.status == 201, commit.text);
  // Admins only.
  Session member = node.AddMember(admin, "Alice Martin", "usagers");
  CHECK(node.Post("/api/admin/import/columns", {{"csv", file}}, &member).status == 403);
}

namespace {

// A GoGoCarto export as its API writes it (elements.json: {"data": [...]}, categories by
// name, categoriesFull, address with customFormatedAddress, custom fields), `n` items in the
// region's communes; every seventh has a category of the other map's own ("Épicerie vrac")
// that no referential entry is named.
json GoGoCartoExport(std::size_t n) {
  struct Place {
    const char* locality;
    const char* postcode;
    double lat, lon;
  };
  const Place places[] = {{"Marseille", "13001", 43.2965, 5.3698},
                          {"Toulon", "83000", 43.1242, 5.928},
                          {"Aix-en-Provence", "13100", 43.5283, 5.4497},
                          {"Forcalquier", "04300", 43.9596, 5.7807}};
  json data = json::array();
  for (std::size_t k = 0; k < n; ++k) {
    const Place& p = places[k % 4];
    json categories = {"Association", "Association loi 1901",
                       k % 7 == 3 ? "Épicerie vrac" : "Alimentation et circuits courts"};
    json full = json::array();
    for (const auto& c : categories) full.push_back({{"id", 10 + full.size()}, {"name", c}});
    data.push_back({{"id", "gg" + std::to_string(1000 + k)},
                    {"name", "Épicerie solidaire n° " + std::to_string(k + 1)},
                    {"description", "Produits locaux à prix adaptés."},
                    {"geo", {{"latitude", p.lat + 0.001 * (k % 10)}, {"longitude", p.lon}}},
                    {"address",
                     {{"streetAddress", std::to_string(k + 1) + " rue de la Paix"},
                      {"addressLocality", p.locality},
                      {"postalCode", p.postcode},
                      {"addressCountry", "FR"},
                      {"customFormatedAddress", ""}}},
                    {"categories", categories},
                    {"categoriesFull", full},
                    {"email", "contact" + std::to_string(k) + "@epicerie.example"},
                    {"telephone", "04 91 00 00 " + std::to_string(10 + k % 90)},
                    {"website", "https://epicerie" + std::to_string(k) + ".example"},
                    {"openHours", {{"Mo", "09:00-12:00"}}},
                    {"sourceKey", "Réseau des épiceries"},
                    {"status", 1}});
  }
  return {{"licence", "https://opendatacommons.org/licenses/odbl/summary/"},
          {"ontology", "gogofull"},
          {"data", data}};
}

}  // namespace

TEST_CASE("import from a GoGoCarto export: 120 items, a dry run first, categories mapped") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const json document = GoGoCartoExport(120);
  const std::size_t journal = node.JournalSize();

  // The dry run reports every item whose category matches nothing, at its position.
  auto dry = node.Post("/api/admin/import",
                       {{"format", "gogocarto"}, {"document", document.dump()}, {"dry_run", true}},
                       &admin);
  REQUIRE_MESSAGE(dry.status == 200, dry.text);
  CHECK(dry.body["rows"] == 120);
  std::vector<std::size_t> unmatched;
  for (std::size_t k = 0; k < 120; ++k) {
    if (k % 7 == 3) unmatched.push_back(k + 1);
  }
  CHECK(dry.body["valid"] == 120 - unmatched.size());
  CHECK(dry.body["rejected_lines"] == json(unmatched));
  REQUIRE(dry.body["errors"].size() == unmatched.size());
  CHECK(dry.body["errors"][0]["line"] == 4);
  CHECK(dry.body["errors"][0]["column"] == "activities");
  CHECK(dry.body["errors"][0]["message"].get<std::string>().find("Épicerie vrac") !=
        std::string::npos);
  // The columns step shows the document as a table: our fields, then its own.
  auto columns = node.Post("/api/admin/import/columns",
                           {{"format", "gogocarto"}, {"document", document}}, &admin);
  REQUIRE_MESSAGE(columns.status == 200, columns.text);
  const json headers = columns.body["headers"];
  for (const char* h : {"name", "latitude", "longitude", "commune", "postcode", "family",
                        "legal_form", "activities", "openHours.Mo", "sourceKey"}) {
    CHECK_MESSAGE(std::find(headers.begin(), headers.end(), h) != headers.end(), h);
  }
  CHECK(columns.body["mapping"]["commune"] == "commune");
  // A commit with those errors imports nothing.
  auto refused =
      node.Post("/api/admin/import", {{"format", "gogocarto"}, {"document", document}}, &admin);
  CHECK(refused.status == 422);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  CHECK(node.JournalSize() == journal);
  // A category correspondence naming no code of the referential is refused before any row.
  auto bad_code = node.Post("/api/admin/import",
                            {{"format", "gogocarto"},
                             {"document", document},
                             {"categories", {{"Épicerie vrac", "epicerie"}}},
                             {"dry_run", true}},
                            &admin);
  CHECK(bad_code.status == 422);
  CHECK(bad_code.body["field"] == "categories.Épicerie vrac");

  // With the other map's category mapped, the dry run passes, then the commit moves all in.
  const json settings = {{"format", "gogocarto"},
                         {"document", document},
                         {"categories", {{"Épicerie vrac", "alimentation"}}},
                         {"status", "admitted"}};
  json dry_settings = settings;
  dry_settings["dry_run"] = true;
  auto clean = node.Post("/api/admin/import", dry_settings, &admin);
  REQUIRE_MESSAGE(clean.status == 200, clean.text);
  CHECK(clean.body["valid"] == 120);
  CHECK(clean.body["errors"].empty());
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  auto commit = node.Post("/api/admin/import", settings, &admin);
  REQUIRE_MESSAGE(commit.status == 201, commit.text);
  CHECK(commit.body["imported"] == 120);
  CHECK(commit.body["source"] == "gogocarto");
  REQUIRE(commit.body["source_ids"].size() == 120);
  CHECK(commit.body["source_ids"][0] == "gg1000");
  CHECK(node.Count("SELECT count(*) FROM initiative WHERE status = 'admitted'") == 120);
  CHECK(node.JournalSize() == journal + 120);

  // Fields and categories as the referential holds them; the source kept in its history.
  const std::string first = commit.body["ids"][0];
  auto view = node.Get("/api/initiatives/" + first);
  REQUIRE(view.status == 200);
  const json& initiative = view.body.contains("initiative") ? view.body["initiative"] : view.body;
  CHECK(initiative["name"] == "Épicerie solidaire n° 1");
  CHECK(initiative["family"] == "association");
  CHECK(initiative["activities"] == json{"alimentation"});
  CHECK(initiative["commune"] == "13055");
  CHECK(initiative["postcode"] == "13001");
  CHECK(initiative["website"] == "https://epicerie0.example");
  const std::string second = commit.body["ids"][1];
  auto second_view = node.Get("/api/initiatives/" + second);
  const json& other =
      second_view.body.contains("initiative") ? second_view.body["initiative"] : second_view.body;
  CHECK(other["legal_form"] == "association_loi_1901");
  CHECK(other["commune"] == "83137");
  auto record = node.Get("/api/admin/records/" + first, &admin);
  REQUIRE(record.status == 200);
  bool kept = false;
  for (const auto& e : record.body["events"]) {
    kept = kept || (e["action"] == "imported" && e["detail"] == "gogocarto gg1000");
  }
  CHECK(kept);
  // Sent again, the same file would be 120 more: an import is all or nothing, not a merge.
  auto feed = node.Get("/api/feeds/gogocarto.json?per_page=200");
  REQUIRE(feed.status == 200);
  CHECK(feed.body["data"].size() == 120);
}

TEST_CASE("import from GeoJSON and from another federation's JSON-LD feed") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const json geojson = {{"type", "FeatureCollection"},
                        {"features",
                         {{{"type", "Feature"},
                           {"id", "f1"},
                           {"geometry", {{"type", "Point"}, {"coordinates", {5.3698, 43.2965}}}},
                           {"properties",
                            {{"name", "Jardin partagé"},
                             {"family", "association"},
                             {"legal_form", "association_loi_1901"},
                             {"activities", {"alimentation", "education"}},
                             {"commune", "13055"}}}}}}};
  auto geo =
      node.Post("/api/admin/import",
                {{"format", "geojson"}, {"document", geojson}, {"status", "admitted"}}, &admin);
  REQUIRE_MESSAGE(geo.status == 201, geo.text);
  CHECK(geo.body["source_ids"] == json{"f1"});
  const std::string id = geo.body["ids"][0];
  auto view = node.Get("/api/initiatives/" + id, &admin);
  const json& i = view.body.contains("initiative") ? view.body["initiative"] : view.body;
  CHECK(i["activities"] == json{"alimentation", "education"});
  CHECK(i["latitude"].get<double>() == doctest::Approx(43.2965));

  const json polygon = {{"type", "FeatureCollection"},
                        {"features",
                         {{{"type", "Feature"},
                           {"geometry", {{"type", "Polygon"}, {"coordinates", json::array()}}},
                           {"properties", json::object()}}}}};
  auto refused =
      node.Post("/api/admin/import", {{"format", "geojson"}, {"document", polygon}}, &admin);
  CHECK(refused.status == 422);
  CHECK(refused.body["field"] == "document");
  CHECK(node.Post("/api/admin/import", {{"format", "kml"}, {"document", "{}"}}, &admin)
            .body["field"] == "format");
  CHECK(node.Post("/api/admin/import", {{"format", "gogocarto"}, {"document", "{pas du json"}},
                  &admin)
            .body["code"] == "invalid_document");

  // Another federation's feed, as ours writes it (core/public_feeds.h).
  const json feed = {
      {"@context", "https://autre-federation.example/api/feeds/context.jsonld"},
      {"@type", "DataFeed"},
      {"dataFeedElement",
       {{{"@id", "urn:uuid:6f1c3b9e-0000-4000-8000-000000000001"},
         {"@type", {"Organization", "SSEInitiative"}},
         {"name", "Coopérative solaire"},
         {"family", "cooperative"},
         {"legalFormCode", "scic"},
         {"activityCode", {"energie"}},
         {"communeCode", "83137"},
         {"address", {{"@type", "PostalAddress"}, {"postalCode", "83000"}}},
         {"location",
          {{"@type", "Place"},
           {"geo", {{"@type", "GeoCoordinates"}, {"latitude", 43.1242}, {"longitude", 5.928}}}}},
         {"legalForm", "http://purl.org/essglobal/standard/legal-form/L2"}}}}};
  auto ld = node.Post("/api/admin/import",
                      {{"format", "jsonld"}, {"document", feed}, {"status", "admitted"}}, &admin);
  REQUIRE_MESSAGE(ld.status == 201, ld.text);
  CHECK(ld.body["source_ids"] == json{"urn:uuid:6f1c3b9e-0000-4000-8000-000000000001"});
  auto ld_view = node.Get("/api/initiatives/" + ld.body["ids"][0].get<std::string>(), &admin);
  const json& c = ld_view.body.contains("initiative") ? ld_view.body["initiative"] : ld_view.body;
  CHECK(c["legal_form"] == "scic");
  CHECK(c["commune"] == "83137");
}
