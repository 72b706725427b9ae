// Owners and committees talk (issue 15, point 3): the committee's reasons shown to the owner
// with its request for changes (the members' words, not their names), the owner's answer
// going back to the committee, and the region's rule that publishes an edit of an admitted
// record's contact fields without a vote, journalled and in the record's history; without
// the rule, or with any other field changed, the edit is a proposal for the committee.
#include <doctest/doctest.h>

#include "tests/node/committee_fixtures.h"

using namespace ess;
using namespace ess::test;

namespace {

struct Admitted : AdmittedInitiative {
  // The admin turns the rule on or off through the settings page's API.
  void SetRule(bool on) {
    json rules = node.Get("/api/admin/settings", &admin).body;
    rules["contact_edits_without_vote"] = on;
    auto r = node.Call("PUT", "/api/admin/settings", rules, &admin);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    REQUIRE(r.body["contact_edits_without_vote"] == on);
  }
  Reply Edit(const json& changes, const std::string& link = "") {
    json fields = changes;
    fields["charter"] = nullptr;
    return node.Owner("PUT", "/api/initiatives/" + id + "/owner", link.empty() ? token : link,
                      NodeFixture::ValidInitiative(fields));
  }
  json Public() {
    auto r = node.Get("/api/initiatives/" + id);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    return r.body;
  }
  json Staff() { return node.Get("/api/initiatives/" + id, &admin).body; }
  json Events() { return node.Get("/api/initiatives/" + id + "/history", &admin).body["events"]; }
  json OwnerView(const std::string& link = "") {
    auto r = node.Owner("GET", "/api/initiatives/" + id + "/owner", link.empty() ? token : link);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    return r.body;
  }
  void Vote(std::size_t member, const std::string& vote, const std::string& reason) {
    auto r = node.Post("/api/committee/initiatives/" + id + "/votes",
                       {{"vote", vote}, {"reason", reason}}, &members.at(member));
    REQUIRE_MESSAGE(r.status == 201, r.text);
  }
};

bool HasEvent(const json& events, const std::string& kind, const std::string& detail_part) {
  for (const auto& e : events) {
    if (e["action"] == kind &&
        e["detail"].get<std::string>().find(detail_part) != std::string::npos)
      return true;
  }
  return false;
}

}  // namespace

TEST_CASE(
    "rule on: an admitted record's phone edit is published at once, journalled, in its history") {
  Admitted a;
  a.SetRule(true);
  CHECK(a.OwnerView()["contact_edits_without_vote"] == true);
  const std::size_t start = a.node.JournalSize();
  auto r = a.Edit({{"phone", "04 91 11 22 33"}});
  REQUIRE_MESSAGE(r.status == 200, r.text);
  CHECK(r.body["published_without_vote"] == json{"phone"});
  CHECK(r.body["proposal"].is_null());
  CHECK(a.Public()["phone"] == "04 91 11 22 33");
  json staff = a.Staff();
  CHECK(staff["status"] == "admitted");
  CHECK(staff["under_review"] == false);
  CHECK(staff["proposal"].is_null());
  CHECK(a.node.Count("SELECT count(*) FROM edit_proposal") == 0);
  // A signed record like any change, with the new phone; the committee decided nothing.
  REQUIRE(a.node.JournalKinds(start) == std::vector<std::string>{"initiative"});
  auto journal = a.node.VerifiedJournal();
  CHECK((*journal.back().payload)["phone"] == "04 91 11 22 33");
  CHECK((*journal.back().payload)["status"] == "admitted");
  CHECK(HasEvent(a.Events(), "edited", "sans vote du comité (règle de la région) : téléphone"));

  // Several contact fields, private ones included: still without a vote; the history names
  // the fields, never the private values.
  auto both = a.Edit({{"phone", "04 91 11 22 33"},
                      {"website", "https://epicerie-solidaire.example"},
                      {"private",
                       {{"contact_name", "Marie Durand"},
                        {"contact_email", "marie@nouveau.example"},
                        {"contact_phone", "06 12 34 56 78"}}}});
  REQUIRE_MESSAGE(both.status == 200, both.text);
  CHECK(both.body["published_without_vote"] == json{"website", "private.contact_email"});
  CHECK(a.Public()["website"] == "https://epicerie-solidaire.example");
  json events = a.Events();
  CHECK(HasEvent(events, "edited", "site web, courriel du contact"));
  CHECK(events.dump().find("marie@nouveau.example") == std::string::npos);
}

TEST_CASE(
    "rule off (the default), or another field changed: the phone edit goes to the committee") {
  SUBCASE("rule off") {
    Admitted a;
    CHECK(a.OwnerView()["contact_edits_without_vote"] == false);
    const std::size_t start = a.node.JournalSize();
    auto r = a.Edit({{"phone", "04 91 11 22 33"}});
    REQUIRE_MESSAGE(r.status == 202, r.text);
    CHECK(r.body["published_without_vote"] == json::array());
    CHECK(r.body["proposal"]["state"] == "under_review");
    CHECK(a.Public()["phone"] == "04 91 00 00 00");
    CHECK(a.Staff()["review_reason"] == "edit_proposed");
    CHECK(a.node.JournalSize() == start);
  }
  SUBCASE("rule on, the description changed with the phone") {
    Admitted a;
    a.SetRule(true);
    const std::size_t start = a.node.JournalSize();
    auto r = a.Edit({{"phone", "04 91 11 22 33"},
                     {"description", "Une épicerie solidaire, ouverte le samedi."}});
    REQUIRE_MESSAGE(r.status == 202, r.text);
    CHECK(r.body["proposal"]["payload"]["phone"] == "04 91 11 22 33");
    CHECK(a.Public()["phone"] == "04 91 00 00 00");
    CHECK(a.Staff()["under_review"] == true);
    CHECK(a.node.JournalSize() == start);
  }
  SUBCASE("rule on, nothing changed: a proposal as without the rule") {
    Admitted a;
    a.SetRule(true);
    auto r = a.Edit(json::object());
    REQUIRE_MESSAGE(r.status == 202, r.text);
  }
  SUBCASE("rule on: a pending record's edit is journalled as before (no rule involved)") {
    NodeFixture node;
    Session admin = node.Admin();
    node.PublishCharter(admin);
    auto [id, token] = node.Submit();
    auto r = node.Owner(
        "PUT", "/api/initiatives/" + id + "/owner", token,
        NodeFixture::ValidInitiative({{"phone", "04 91 11 22 33"}, {"charter", nullptr}}));
    REQUIRE_MESSAGE(r.status == 200, r.text);
    CHECK(r.body["published_without_vote"] == json::array());
    CHECK(r.body["status"] == "pending");
  }
}

TEST_CASE("rule on: a contact-only edit replaces the proposal under review, whose round closes") {
  Admitted a;
  a.SetRule(true);
  REQUIRE(a.Edit({{"name", "Nouveau nom"}}).status == 202);
  CHECK(a.Staff()["under_review"] == true);
  // The owner takes the name change back and changes only the phone.
  auto r = a.Edit({{"phone", "04 91 11 22 33"}});
  REQUIRE_MESSAGE(r.status == 200, r.text);
  json staff = a.Staff();
  CHECK(staff["under_review"] == false);
  CHECK(staff["proposal"].is_null());
  CHECK(a.Public()["name"] == "Épicerie solidaire du Panier");
  CHECK(a.Public()["phone"] == "04 91 11 22 33");
  CHECK(HasEvent(a.Events(), "edit_proposal_discarded", "coordonnées publiée sans vote"));
  // No vote on a review that closed.
  CHECK(a.node
            .Post("/api/committee/initiatives/" + a.id + "/votes",
                  {{"vote", "admit"}, {"reason", "ok ok"}}, &a.members[0])
            .body["code"] == "not_under_review");
}

TEST_CASE(
    "the committee's reasons reach the owner with its request, and the answer goes back to it") {
  SUBCASE("on a new record") {
    NodeFixture node;
    Committee c = node.SetUpCommittee();
    auto [id, token] = node.Submit();
    auto owner_view = [&, id = id](const std::string& link) {
      auto r = node.Owner("GET", "/api/initiatives/" + id + "/owner", link);
      REQUIRE_MESSAGE(r.status == 200, r.text);
      return r.body;
    };
    CHECK(owner_view(token)["changes_requested"].is_null());
    const std::vector<std::pair<std::string, std::string>> votes = {
        {"request_changes", "Précisez les horaires d'ouverture dans la description."},
        {"admit", "Conforme à la charte."},
        {"request_changes", "Le site web indiqué ne répond pas."}};
    for (std::size_t i = 0; i < votes.size(); ++i) {
      auto r = node.Post("/api/committee/initiatives/" + id + "/votes",
                         {{"vote", votes[i].first}, {"reason", votes[i].second}}, &c.members[i]);
      REQUIRE_MESSAGE(r.status == 201, r.text);
    }
    json mine = owner_view(token);
    CHECK(mine["status"] == "changes_requested");
    REQUIRE(mine["changes_requested"].is_object());
    CHECK(mine["changes_requested"]["subject"] == "initiative");
    CHECK(mine["changes_requested"]["requested_at"] == "2026-01-01T00:00:00Z");
    CHECK(mine["changes_requested"]["reasons"] ==
          json{"Précisez les horaires d'ouverture dans la description.",
               "Le site web indiqué ne répond pas."});
    // The members' words, not who they are.
    const std::string text = mine["changes_requested"].dump();
    for (const char* name : {"Alice", "Bruno", "Chloé", "usagers", "pairs"})
      CHECK(text.find(name) == std::string::npos);
    // The message carries the same reasons, and a new link that opens the same view.
    const std::string message = node.DeliveredMessage();
    CHECK(message.find("Le site web indiqué ne répond pas.") != std::string::npos);
    CHECK(node.Count("SELECT count(*) FROM outbox WHERE kind = 'changes_requested'") == 1);
    const std::string link = TokenInMessage(message);
    CHECK(owner_view(link)["changes_requested"]["reasons"].size() == 2);

    // The owner's answer goes back to the committee; the request no longer stands.
    auto answered =
        node.Owner("PUT", "/api/initiatives/" + id + "/owner", link,
                   NodeFixture::ValidInitiative(
                       {{"description", "Ouverte du mardi au samedi."}, {"charter", nullptr}}));
    REQUIRE_MESSAGE(answered.status == 200, answered.text);
    CHECK(answered.body["status"] == "pending");
    CHECK(answered.body["under_review"] == true);
    CHECK(answered.body["review_reason"] == "changes_made");
    CHECK(owner_view(link)["changes_requested"].is_null());
  }
  SUBCASE("on an edit proposal") {
    Admitted a;
    REQUIRE(a.Edit({{"name", "Nom proposé"}}).status == 202);
    a.Vote(0, "request_changes", "Gardez le nom déclaré au répertoire SIRENE.");
    a.Vote(1, "request_changes", "Le nouveau nom prête à confusion.");
    a.Vote(2, "admit", "Rien à redire.");
    json mine = a.OwnerView();
    CHECK(mine["status"] == "admitted");
    CHECK(mine["proposal"]["state"] == "changes_requested");
    CHECK(mine["changes_requested"]["subject"] == "edit_proposal");
    CHECK(mine["changes_requested"]["reasons"] ==
          json{"Gardez le nom déclaré au répertoire SIRENE.", "Le nouveau nom prête à confusion."});
    auto revised = a.Edit({{"name", "Épicerie solidaire du Panier (Marseille)"}});
    REQUIRE_MESSAGE(revised.status == 202, revised.text);
    CHECK(revised.body["proposal"]["state"] == "under_review");
    CHECK(a.Staff()["under_review"] == true);
    CHECK(a.OwnerView()["changes_requested"].is_null());
  }
}

TEST_CASE("the rule in the settings: a boolean, recorded in the history") {
  Admitted a;
  json rules = a.node.Get("/api/admin/settings", &a.admin).body;
  CHECK(rules["contact_edits_without_vote"] == false);
  rules["contact_edits_without_vote"] = "oui";
  auto bad = a.node.Call("PUT", "/api/admin/settings", rules, &a.admin);
  CHECK(bad.status == 422);
  CHECK(bad.body["field"] == "contact_edits_without_vote");
  a.SetRule(true);
  auto history = a.node.Get("/api/admin/settings/history", &a.admin).body["changes"];
  REQUIRE(history.size() == 2);
  CHECK(history[0]["changes"] ==
        json{{{"field", "contact_edits_without_vote"}, {"before", false}, {"after", true}}});
}
