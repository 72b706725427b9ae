// The one text rule (core/field_rules.h) and the position near its commune, through the HTTP
// API: every entry path family (submission and import, charter adherence, report and
// endorsement comments, committee reasons, member names, charter text, college names)
// refuses a control, bidi or invisible character it used to take, naming the field, and
// writes nothing; single-line texts are normalised; a position far from its commune is
// refused, one near it accepted.
#include <doctest/doctest.h>

#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

const std::string kNul("Hugo\0B", 6);
const std::string kRightToLeftOverride =
    "Nom \xe2\x80\xae"
    "edoc";
const std::string kBom =
    "\xef\xbb\xbf"
    "Marie Durand";
const std::string kIsolate =
    "Motif \xe2\x81\xa6"
    "caché\xe2\x81\xa9";

void CheckRefused(const Reply& r, const std::string& field, const std::string& code_point) {
  CHECK_MESSAGE(r.status == 422, r.text);
  CHECK_MESSAGE(r.body["code"] == "invalid_text", r.text);
  CHECK_MESSAGE(r.body["field"] == field, r.text);
  CHECK_MESSAGE(
      r.body["message"].get<std::string>().find("(" + code_point + ")") != std::string::npos,
      r.text);
}

json LastInitiativePayload(NodeFixture& node) {
  auto journal = node.VerifiedJournal();
  for (auto it = journal.rbegin(); it != journal.rend(); ++it) {
    if (it->entry.kind == RecordKind::kInitiative && it->payload) return *it->payload;
  }
  FAIL("no initiative in the journal");
  return {};
}

}  // namespace

TEST_CASE("submission: control, bidi and invisible characters refused in every text field") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();
  const long long initiatives = node.Count("SELECT count(*) FROM initiative");
  struct Case {
    json changes;
    std::string field, code_point;
  };
  const std::vector<Case> cases = {
      {{{"name", kRightToLeftOverride}}, "name", "U+202E"},
      {{{"name", "Épicerie\r\nsolidaire"}}, "name", "U+000D"},  // used to be taken
      {{{"name", "Épicerie\nsolidaire"}}, "name", "U+000A"},
      {{{"name", "Épicerie\tsolidaire"}}, "name", "U+0009"},
      {{{"address", "12 rue\xe2\x80\x8b du Panier"}}, "address", "U+200B"},
      {{{"description", std::string("Une\0 épicerie", 13)}}, "description", "U+0000"},
      {{{"description",
         "Une \xe2\x80\xad"
         "épicerie"}},
       "description",
       "U+202D"},
      {{{"offers", {{{"title", "Paniers\xc2\x85"}}}}}, "offers[0].title", "U+0085"},
      {{{"private", {{"contact_name", kBom}}}}, "private.contact_name", "U+FEFF"},
      {{{"charter", {{"version", 1}, {"adhered_by", kNul}}}}, "charter.adhered_by", "U+0000"},
  };
  for (const Case& c : cases) {
    CAPTURE(c.changes.dump());
    CheckRefused(node.Post("/api/initiatives", NodeFixture::ValidInitiative(c.changes)), c.field,
                 c.code_point);
  }
  CHECK(node.JournalSize() == journal);
  CHECK(node.Count("SELECT count(*) FROM initiative") == initiatives);
  CHECK(node.Count("SELECT count(*) FROM initiative WHERE charter_adhered_by = 'Hugo'") == 0);

  // Normalised: single-line spaces, multi-line CR LF; LF and TAB kept where allowed.
  auto ok = node.Post("/api/initiatives",
                      NodeFixture::ValidInitiative(
                          {{"name",
                            "  Épicerie   solidaire \xc2\xa0"
                            "du Panier\t"},
                           {"description", "Ligne 1\r\nLigne 2\r\n\tLigne 3\r\n"},
                           {"charter", {{"version", 1}, {"adhered_by", " Marie  Durand "}}}}));
  REQUIRE_MESSAGE(ok.status == 201, ok.text);
  json payload = LastInitiativePayload(node);
  CHECK(payload["name"] == "Épicerie solidaire du Panier");
  CHECK(payload["description"] == "Ligne 1\nLigne 2\n\tLigne 3");
  CHECK(node.Count("SELECT count(*) FROM initiative WHERE charter_adhered_by = 'Marie Durand'") ==
        1);
}

TEST_CASE("CSV import: a name with a bidi override is a row error naming the field") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const json mapping = {{"name", "Nom"},
                        {"family", "Famille"},
                        {"legal_form", "Statut"},
                        {"activities", "Activités"},
                        {"commune", "Code INSEE"}};
  const std::string csv = "Nom;Famille;Statut;Activités;Code INSEE\r\n" + kRightToLeftOverride +
                          ";association;association_loi_1901;alimentation;13055\r\n";
  auto dry = node.Post("/api/admin/import",
                       {{"csv", csv}, {"separator", ";"}, {"mapping", mapping}, {"dry_run", true}},
                       &admin);
  REQUIRE_MESSAGE(dry.status == 200, dry.text);
  REQUIRE(dry.body["errors"].size() == 1);
  CHECK(dry.body["errors"][0]["field"] == "name");
  CHECK(dry.body["errors"][0]["code"] == "invalid_text");
}

TEST_CASE("position: a PACA record at Paris coordinates is refused, one 3 km away accepted") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();
  // Paris is in the metropolitan box, so the region check let it through.
  auto paris =
      node.Post("/api/initiatives",
                NodeFixture::ValidInitiative({{"latitude", 48.85341}, {"longitude", 2.3488}}));
  CHECK_MESSAGE(paris.status == 422, paris.text);
  CHECK(paris.body["code"] == "far_from_commune");
  CHECK(paris.body["field"] == "latitude");
  CHECK(paris.body["message"] ==
        "La position est à 665 km de la commune Marseille : vérifiez la commune ou la position "
        "(au plus 50 km).");
  CHECK(node.JournalSize() == journal);
  // Marseille's reference point is 43.24963, 5.38048; 3 km north of it.
  auto near =
      node.Post("/api/initiatives",
                NodeFixture::ValidInitiative({{"latitude", 43.27661}, {"longitude", 5.38048}}));
  CHECK_MESSAGE(near.status == 201, near.text);
}

TEST_CASE("charter adherence: \"Hugo\\u0000B\" is refused, not stored as Hugo") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  auto [id, token] = node.Submit();
  node.PublishCharter(admin, "Charte régionale de l'ESS, version 2");
  const std::size_t journal = node.JournalSize();
  auto refused = node.Owner("POST", "/api/initiatives/" + id + "/owner/adhere", token,
                            json{{"charter_version", 2}, {"adhered_by", kNul}});
  CheckRefused(refused, "adhered_by", "U+0000");
  CHECK(node.JournalSize() == journal);
  CHECK(node.Count("SELECT count(*) FROM initiative WHERE charter_adhered_by = 'Hugo'") == 0);
  CHECK(node.Count("SELECT count(*) FROM initiative WHERE charter_version = 2") == 0);
  auto adhered = node.Owner("POST", "/api/initiatives/" + id + "/owner/adhere", token,
                            json{{"charter_version", 2}, {"adhered_by", "Hugo B"}});
  CHECK_MESSAGE(adhered.status == 200, adhered.text);
}

TEST_CASE("report and endorsement comments: control and bidi characters refused, nothing filed") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  node.VoteAll(c.members, id, "admit");
  CheckRefused(node.Post("/api/initiatives/" + id + "/reports", {{"reason", "closed"},
                                                                 {"comment",
                                                                  "Fermé \xe2\x80\xae"
                                                                  "ecnad"}}),
               "comment", "U+202E");
  CheckRefused(node.Post("/api/initiatives/" + id + "/endorsements", {{"comment", kNul}}),
               "comment", "U+0000");
  CHECK(node.Count("SELECT count(*) FROM report") == 0);
  CHECK(node.Count("SELECT count(*) FROM endorsement") == 0);
  auto report = node.Post("/api/initiatives/" + id + "/reports",
                          {{"reason", "closed"}, {"comment", "Fermé\r\ndepuis mars"}});
  CHECK_MESSAGE(report.status < 300, report.text);
  CHECK(node.Count("SELECT count(*) FROM report WHERE comment = E'Fermé\\ndepuis mars'") == 1);
}

TEST_CASE("committee: vote, conflict and review reasons refused with an isolate or a NUL") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  const std::string base = "/api/committee/initiatives/" + id;
  CheckRefused(node.Post(base + "/votes", {{"vote", "admit"}, {"reason", kIsolate}}, &c.members[0]),
               "reason", "U+2066");
  CheckRefused(node.Post(base + "/conflicts", {{"reason", kNul + " conflit"}}, &c.members[1]),
               "reason", "U+0000");
  CHECK(node.Count("SELECT count(*) FROM committee_vote") == 0);
  node.VoteAll(c.members, id, "admit");
  CheckRefused(node.Post(base + "/reviews", {{"reason", "À revoir\xe2\x80\xac"}}, &c.members[2]),
               "reason", "U+202C");
}

TEST_CASE("staff inputs: member names, charter text and college names follow the rule") {
  NodeFixture node;
  Session admin = node.Admin();
  const long long members = node.Count("SELECT count(*) FROM committee_member");
  CheckRefused(
      node.Post(
          "/api/admin/committee/members",
          {{"name", "Alice\r\nMartin"}, {"email", "alice@example.org"}, {"college", "usagers"}},
          &admin),
      "name", "U+000D");
  CheckRefused(
      node.Post(
          "/api/admin/accounts",
          {{"name", kBom}, {"email", "admin2@example.org"}, {"password", "mot-de-passe-admin-2"}},
          &admin),
      "name", "U+FEFF");
  CHECK(node.Count("SELECT count(*) FROM committee_member") == members);
  CheckRefused(node.Post("/api/admin/charter",
                         {{"text",
                           "Charte \xe2\x80\xae"
                           "ecnad"}},
                         &admin),
               "text", "U+202E");
  CHECK(node.Count("SELECT count(*) FROM charter_version") == 0);
  const int version = node.PublishCharter(admin, "Article 1\r\nArticle 2\r\n");
  CHECK(node.Get("/api/charter").body["text"] == "Article 1\nArticle 2");
  CHECK(version == 1);

  json rules = node.Get("/api/admin/settings", &admin).body;
  rules["colleges"] = {"usagers", "pairs\xe2\x80\xae"};
  auto put = node.Call("PUT", "/api/admin/settings", rules, &admin);
  CHECK_MESSAGE(put.status == 422, put.text);
  CHECK(put.body["message"].get<std::string>().find("(U+202E)") != std::string::npos);
}
