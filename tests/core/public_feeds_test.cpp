// The feeds' writers (core/public_feeds.h) on constructed records: what each format keeps,
// maps or leaves out. feeds_test (tests/e2e) checks the served feeds with real consumers.
#include <doctest/doctest.h>

#include "core/public_feeds.h"

using namespace ess;
using nlohmann::json;

namespace {

constexpr const char* kReferential = R"({
  "version": "test-1",
  "families": [{"code": "association", "label": "Association"}],
  "legal_forms": [{"code": "association_loi_1901", "label": "Association loi 1901",
                   "family": "association",
                   "essglobal": "http://purl.org/essglobal/standard/legal-form/L4"},
                  {"code": "collectif", "label": "Collectif", "family": "association"}],
  "activities": [{"code": "culture", "label": "Culture et arts", "theme": "vivre_ensemble",
                  "essglobal": "http://purl.org/essglobal/standard/activities-modified/AM10"},
                 {"code": "sport", "label": "Sport et loisirs", "theme": "vivre_ensemble",
                  "essglobal": "http://purl.org/essglobal/standard/activities-modified/AM10"},
                 {"code": "insertion", "label": "Insertion", "theme": "travailler"}],
  "regions": [{"code": "93", "name": "Provence-Alpes-Côte d'Azur"}],
  "departments": [{"code": "13", "name": "Bouches-du-Rhône", "region": "93"}],
  "communes": [{"code": "13055", "name": "Marseille", "department": "13", "region": "93",
                "postcodes": ["13001"], "latitude": 43.25, "longitude": 5.38}]
})";

PublicRecord Record() {
  PublicRecord r;
  r.region = "93";
  r.record_id = "0b5e1c0e-0000-4000-8000-000000000001";
  r.record_version = 2;
  r.log_index = 17;
  r.name = "Maison des cultures; du sport";
  r.family = "association";
  r.legal_form = "association_loi_1901";
  r.activities = {"culture", "sport", "insertion"};
  r.description = "Ateliers";
  r.commune = "13055";
  r.commune_name = "Marseille";
  r.department = "13";
  r.latitude = 43.2965;
  r.longitude = 5.3698;
  r.location_precision = "placed";
  r.page_url = "https://ess-paca.example/initiative.html?id=" + r.record_id;
  r.profile_url = "https://ess-paca.example/api/feeds/murmurations/" + r.record_id;
  return r;
}

}  // namespace

TEST_CASE("the CSV's French dialect: BOM, ';', decimal commas, cells quoted for ';'") {
  const auto r = Record();
  const std::string fr = PublicRecordsCsv({r}, CsvDialect::kFrench);
  CHECK(fr.rfind("\xEF\xBB\xBF"
                 "region;id;name;",
                 0) == 0);
  CHECK(fr.find(";\"Maison des cultures; du sport\";") != std::string::npos);
  CHECK(fr.find(";\"43,29650\";\"5,36980\";") != std::string::npos);
  // A western longitude is a number, not a formula to defuse, in either dialect.
  auto brest = r;
  brest.longitude = -4.48628;
  CHECK(PublicRecordsCsv({brest}, CsvDialect::kFrench).find(";\"-4,48628\";") != std::string::npos);
  CHECK(PublicRecordsCsv({brest}, CsvDialect::kRfc4180).find(",-4.48628,") != std::string::npos);
  CHECK(fr.find("updated_at;record_version;log_index\r\n") != std::string::npos);
  CHECK(fr.find(";2;17\r\n") != std::string::npos);
  const std::string plain = PublicRecordsCsv({r}, CsvDialect::kRfc4180);
  CHECK(plain.rfind("region,id,name,", 0) == 0);
  CHECK(plain.find(",43.29650,5.36980,") != std::string::npos);
  auto unknown = r;
  unknown.log_index.reset();
  CHECK(PublicRecordsCsv({unknown}, CsvDialect::kRfc4180).find(",2,\r\n") != std::string::npos);

  CsvDialect dialect;
  const QueryMap excel = {{"dialect", "excel"}};
  auto error = ReadCsvDialect(LookupIn(excel), dialect);
  REQUIRE(error);
  CHECK(error->field == "dialect");
  CHECK_FALSE(ReadCsvDialect(LookupIn(QueryMap{{"dialect", "fr"}}), dialect));
  CHECK(dialect == CsvDialect::kFrench);
  CHECK_FALSE(ReadCsvDialect(LookupIn(QueryMap{}), dialect));
  CHECK(dialect == CsvDialect::kRfc4180);
}

TEST_CASE("JSON-LD: ESSGlobal concepts where the referential maps them, once each") {
  const auto referential = Referential::FromJson(kReferential);
  auto r = Record();
  json feed = JsonLdFeed({r}, {1, {1, 20}}, referential, "https://hub.example/ctx");
  CHECK(feed["@context"] == "https://hub.example/ctx");
  CHECK(feed["totalItems"] == 1);
  const json& item = feed["dataFeedElement"][0];
  CHECK(item["legalForm"] == "http://purl.org/essglobal/standard/legal-form/L4");
  // culture and sport share AM10; insertion has no concept and stays in activityCode only.
  CHECK(item["economicSector"] ==
        json::array({"http://purl.org/essglobal/standard/activities-modified/AM10"}));
  CHECK(item["activityCode"] == json::array({"culture", "sport", "insertion"}));
  CHECK(item["provenance"] == json{{"region", "93"}, {"recordVersion", 2}, {"logIndex", 17}});
  CHECK_FALSE(item["address"].contains("streetAddress"));  // none given

  r.legal_form = "collectif";  // no ESSGlobal concept
  r.activities = {"insertion"};
  r.proof_url = "https://hub.example/api/initiatives/93/x/proof";
  const json other = JsonLdFeed({r}, {1, {1, 20}}, referential, "ctx")["dataFeedElement"][0];
  CHECK_FALSE(other.contains("legalForm"));
  CHECK(other["legalFormCode"] == "collectif");
  CHECK_FALSE(other.contains("economicSector"));
  CHECK(other["provenance"]["proof"] == r.proof_url);

  // Every key an item uses is a term of the context.
  const json context = JsonLdContext()["@context"];
  for (const auto& [key, value] : item.items()) {
    if (key[0] != '@') CHECK_MESSAGE(context.contains(key), key);
  }
}

TEST_CASE("GoGoCarto and Murmurations: French labels once each, absolute links only") {
  const auto referential = Referential::FromJson(kReferential);
  auto r = Record();
  r.activities = {"culture", "unknown_code"};
  const json element = GoGoCartoFeed({r}, referential)["data"][0];
  CHECK(element["id"] == "93-" + r.record_id);
  CHECK(element["categories"] ==
        json::array({"Association", "Association loi 1901", "Culture et arts", "unknown_code"}));
  CHECK(element["source"] == "Provence-Alpes-Côte d'Azur");

  r.website = "www.sans-schema.example";  // not an http(s) URL: the page on the map instead
  json profile = MurmurationsProfile(r, referential);
  CHECK(profile["primary_url"] == r.page_url);
  CHECK(profile["linked_schemas"] == json::array({kMurmurationsSchema}));
  CHECK(profile["full_address"] == "Marseille, France");
  r.website = "https://maison.example";
  CHECK(MurmurationsProfile(r, referential)["primary_url"] == "https://maison.example");
  r.website.reset();
  r.page_url = "/initiative.html?id=x";  // relative: a hub without public-url
  profile = MurmurationsProfile(r, referential);
  CHECK_FALSE(profile.contains("primary_url"));
  CHECK_FALSE(profile.contains("urls"));

  const json index = MurmurationsIndex({Record()}, {3, {2, 1}});
  CHECK(index["profiles"][0]["profile_url"] == Record().profile_url);
  CHECK(index["total"] == 3);
  CHECK(index["page"] == 2);
  CHECK(index["per_page"] == 1);
}
