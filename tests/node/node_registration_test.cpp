// The registration form's API (issue 14, point 5): a refused submission lists every field
// error at once ("errors"), and GET /api/initiatives/similar warns of records with the same
// SIRET or the same name in the same commune, in the region and at the hub.
#include <doctest/doctest.h>

#include <set>

#include "node/service/similar_service.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

std::set<std::string> FieldsOf(const json& errors) {
  std::set<std::string> out;
  for (const auto& e : errors) out.insert(e.value("field", ""));
  return out;
}

// A record submitted then admitted (the committee's vote is not what is tested here).
std::string Admitted(NodeFixture& node, const json& changes) {
  auto [id, token] = node.Submit(changes);
  node.Count("UPDATE initiative SET status = 'admitted' WHERE initiative_id = '" + id +
             "' RETURNING 1");
  return id;
}

}  // namespace

TEST_CASE("an empty submission: every field error at once, the first as before") {
  NodeFixture node;
  node.PublishCharter(node.Admin());
  auto r = node.Post("/api/initiatives", json::object());
  REQUIRE(r.status == 422);
  CHECK(r.body["code"] == "required");
  CHECK(r.body["field"] == "name");
  CHECK(r.body["message"] == "Le champ « Nom » est obligatoire.");
  REQUIRE(r.body["errors"].is_array());
  CHECK(r.body["errors"][0] == json{{"code", "required"},
                                    {"message", "Le champ « Nom » est obligatoire."},
                                    {"field", "name"}});
  CHECK(FieldsOf(r.body["errors"]) ==
        std::set<std::string>{"name", "family", "legal_form", "activities", "commune", "charter"});
}

TEST_CASE("the charter's signatory and a commune typed but not picked, with the record's errors") {
  NodeFixture node;
  node.PublishCharter(node.Admin());
  auto r = node.Post(
      "/api/initiatives",
      NodeFixture::ValidInitiative(
          {{"commune", "Sist"}, {"email", "pas-une-adresse"}, {"charter", {{"version", 1}}}}));
  REQUIRE(r.status == 422);
  CHECK(FieldsOf(r.body["errors"]) ==
        std::set<std::string>{"commune", "email", "charter.adhered_by"});
  for (const auto& e : r.body["errors"]) {
    if (e["field"] == "commune") {
      CHECK(e["message"] ==
            "Commune : « Sist » n'est pas une commune connue ; tapez le début de son nom puis "
            "choisissez-la dans la liste proposée.");
    }
    if (e["field"] == "charter.adhered_by") {
      CHECK(e["message"] ==
            "Le champ « Nom de la personne qui engage l'initiative » est obligatoire.");
    }
  }
  // The owner's edit lists them the same way.
  auto [id, token] = node.Submit();
  json edit =
      NodeFixture::ValidInitiative({{"name", nullptr}, {"family", nullptr}, {"charter", nullptr}});
  auto edited = node.Owner("PUT", "/api/initiatives/" + id + "/owner", token, edit);
  REQUIRE(edited.status == 422);
  CHECK(FieldsOf(edited.body["errors"]) == std::set<std::string>{"name", "family"});
}

TEST_CASE("similar records: same SIRET, or same name in the same commune, admitted only") {
  NodeFixture node;
  node.PublishCharter(node.Admin());
  const std::string siret_match = Admitted(node, {});  // SIRET 73282932000074, Marseille
  const std::string name_match =
      Admitted(node, {{"name", "Repair Café du Vieux-Port"}, {"siret", nullptr}});
  node.Submit({{"name", "Jardin en attente"}, {"siret", nullptr}});  // pending: never listed

  auto by_siret = node.Get("/api/initiatives/similar?siret=732%20829%20320%2000074");
  REQUIRE(by_siret.status == 200);
  REQUIRE(by_siret.body["similar"].size() == 1);
  CHECK(by_siret.body["similar"][0]["id"] == siret_match);
  CHECK(by_siret.body["similar"][0]["reason"] == "siret");
  CHECK(by_siret.body["similar"][0]["where"] == "region");
  CHECK(by_siret.body["similar"][0]["commune_name"] == "Marseille");
  CHECK(by_siret.body["similar"][0]["url"] == "/initiative.html?id=" + siret_match);
  CHECK_FALSE(by_siret.body["similar"][0].contains("siret"));  // public fields only
  CHECK(by_siret.body["hub_checked"] == false);  // no hub here: the region only, said so
  CHECK(by_siret.body["message"].get<std::string>().find("région") != std::string::npos);

  auto by_name =
      node.Get("/api/initiatives/similar?name=repair%20cafe%20du%20vieux%20port&commune=13055");
  REQUIRE(by_name.status == 200);
  REQUIRE(by_name.body["similar"].size() == 1);
  CHECK(by_name.body["similar"][0]["id"] == name_match);
  CHECK(by_name.body["similar"][0]["reason"] == "name_commune");

  CHECK(node.Get("/api/initiatives/similar?name=Jardin%20en%20attente&commune=13055")
            .body["similar"]
            .empty());
  CHECK(node.Get("/api/initiatives/similar?name=Repair%20Caf%C3%A9%20du%20Vieux-Port&commune=06088")
            .body["similar"]
            .empty());  // another commune
  // Bad questions: 422 naming the parameter.
  CHECK(node.Get("/api/initiatives/similar").status == 422);
  CHECK(node.Get("/api/initiatives/similar?siret=12345678901234").body["field"] == "siret");
  CHECK(node.Get("/api/initiatives/similar?name=x&commune=75056").body["field"] == "commune");
  // The record route still answers for ids.
  CHECK(node.Get("/api/initiatives/" + siret_match).status == 200);
}

TEST_CASE("similar records at the hub: other regions listed, the region's own left to the node") {
  NodeFixture node;
  node.PublishCharter(node.Admin());
  const std::string own = Admitted(node, {});
  node::SimilarQuery asked;
  node::SimilarService with_hub(node.context(), [&](const node::SimilarQuery& q) {
    asked = q;
    return std::vector<node::SimilarRecord>{
        {"93", own, "Épicerie solidaire du Panier", "13055", "Marseille", "siret"},
        {"84", "0b9f4c1e-3c1d-4c55-9a8e-1f0a2b3c4d5e", "Épicerie du Panier", "31555", "Toulouse",
         "siret"}};
  });
  auto found = with_hub.Find({"73282932000074", "Épicerie solidaire du Panier", "13055"});
  REQUIRE(found.ok());
  CHECK(asked.siret == "73282932000074");
  CHECK(asked.commune == "13055");
  CHECK(found.value().hub_checked);
  REQUIRE(found.value().region.size() == 1);
  CHECK(found.value().region[0].id == own);
  REQUIRE(found.value().national.size() == 1);
  CHECK(found.value().national[0].region == "84");

  node::SimilarService hub_down(node.context(), [](const node::SimilarQuery&) {
    return std::optional<std::vector<node::SimilarRecord>>();
  });
  auto region_only = hub_down.Find({"73282932000074", "", ""});
  REQUIRE(region_only.ok());
  CHECK_FALSE(region_only.value().hub_checked);
  CHECK(region_only.value().region.size() == 1);
}
