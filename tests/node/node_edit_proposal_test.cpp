// Edit proposals of admitted initiatives (node/domain/edit_proposal.h) beyond the acceptance
// workflow: rejected or sent back by the committee, revised by the owner, waiting for a review
// opened for another reason, "still current" meanwhile, the admin's edits, withdrawal, and
// reports arriving during a proposal's review. Nothing of a proposal is journalled until the
// committee admits it; the public record never changes before.
#include <doctest/doctest.h>

#include "tests/node/committee_fixtures.h"

using namespace ess;
using namespace ess::test;

namespace {

struct Admitted : AdmittedInitiative {
  Reply Propose(const std::string& name, const std::string& link) {
    return node.Owner("PUT", "/api/initiatives/" + id + "/owner", link,
                      NodeFixture::ValidInitiative({{"name", name}, {"charter", nullptr}}));
  }
  json Staff() { return node.Get("/api/initiatives/" + id, &admin).body; }
  std::string PublicName() {
    auto r = node.Get("/api/initiatives/" + id);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    return r.body["name"];
  }
  std::string LatestOutboxBody() {
    auto outbox = node.Get("/api/admin/outbox", &admin);
    REQUIRE(!outbox.body["messages"].empty());
    return outbox.body["messages"][0]["subject"].get<std::string>() + "\n" +
           outbox.body["messages"][0]["body"].get<std::string>();
  }
};

}  // namespace

TEST_CASE("a rejected proposal is discarded: the admitted record stays on every map, nothing journalled") {
  Admitted a;
  const std::size_t start = a.node.JournalSize();
  REQUIRE(a.Propose("Nom refusé", a.token).status == 202);
  a.node.VoteAll(a.members, a.id, "reject");
  CHECK(a.PublicName() == "Épicerie solidaire du Panier");
  json staff = a.Staff();
  CHECK(staff["status"] == "admitted");
  CHECK(staff["under_review"] == false);
  CHECK(staff["proposal"].is_null());
  CHECK(a.node.JournalSize() == start);
  CHECK(a.node.Count("SELECT count(*) FROM edit_proposal") == 0);
  CHECK(a.LatestOutboxBody().find("n'a pas retenu") != std::string::npos);
  auto history = a.node.Get("/api/initiatives/" + a.id + "/history", &a.admin);
  REQUIRE(history.body["decisions"].size() == 2);
  CHECK(history.body["decisions"][1]["decision"] == "reject");
  CHECK(history.body["decisions"][1]["subject"] == "edit_proposal");
  CHECK(history.body["decisions"][1]["journalled"] == false);
  CHECK(history.body["decisions"][1]["votes"].size() == 3);
}

TEST_CASE("a proposal sent back to its owner, revised through the link, then admitted") {
  Admitted a;
  const std::size_t start = a.node.JournalSize();
  REQUIRE(a.Propose("Première proposition", a.token).status == 202);
  a.node.VoteAll(a.members, a.id, "request_changes");
  json staff = a.Staff();
  CHECK(staff["status"] == "admitted");  // still on the map
  CHECK(staff["under_review"] == false);
  CHECK(staff["proposal"]["state"] == "changes_requested");
  CHECK(a.PublicName() == "Épicerie solidaire du Panier");
  CHECK(a.node.JournalSize() == start);
  // No vote while the owner is expected to act.
  CHECK(a.node.Post("/api/committee/initiatives/" + a.id + "/votes", {{"vote", "admit"}, {"reason", "ok ok"}},
                    &a.members[0]).body["code"] == "not_under_review");
  const std::string message = a.node.DeliveredMessage();
  CHECK(message.find("vous demande des modifications :\n- Motif écrit du vote\n") !=
        std::string::npos);
  const std::string link = TokenInMessage(message);
  auto mine = a.node.Owner("GET", "/api/initiatives/" + a.id + "/owner", link);
  CHECK(mine.body["proposal"]["payload"]["name"] == "Première proposition");

  auto revised = a.Propose("Proposition revue", link);
  REQUIRE_MESSAGE(revised.status == 202, revised.text);
  CHECK(revised.body["proposal"]["state"] == "under_review");
  CHECK(revised.body["review_reason"] == "edit_proposed");
  a.node.VoteAll(a.members, a.id, "admit");
  CHECK(a.PublicName() == "Proposition revue");
  CHECK(a.node.JournalKinds(start) == std::vector<std::string>{"committee_decision", "initiative"});
}

TEST_CASE("a proposal revised while the committee votes starts a new round") {
  Admitted a;
  REQUIRE(a.Propose("Version A", a.token).status == 202);
  const int round = a.Staff()["review_round"];
  auto r = a.node.Post("/api/committee/initiatives/" + a.id + "/votes",
                       {{"vote", "admit"}, {"reason", "Version A conforme"}}, &a.members[0]);
  REQUIRE(r.status == 201);
  REQUIRE(a.Propose("Version B", a.token).status == 202);
  json staff = a.Staff();
  CHECK(staff["review_round"] == round + 1);
  CHECK(staff["proposal"]["payload"]["name"] == "Version B");
  // The first member votes again (the earlier vote was on version A).
  a.node.VoteAll(a.members, a.id, "admit");
  CHECK(a.PublicName() == "Version B");
}

TEST_CASE("\"still current\" stays immediate while a proposal waits; the proposal is not a confirmation") {
  Admitted a;
  a.node.AdvanceDays(40);
  a.admin = a.node.Renew(a.admin);
  REQUIRE(a.Propose("Nouveau nom", a.token).status == 202);
  CHECK(a.Staff()["confirmed_at"] == "2026-01-01T00:00:00Z");
  const std::size_t start = a.node.JournalSize();
  auto confirmed = a.node.Owner("POST", "/api/initiatives/" + a.id + "/owner/confirm", a.token);
  REQUIRE_MESSAGE(confirmed.status == 200, confirmed.text);
  auto journal = a.node.VerifiedJournal();
  REQUIRE(journal.size() == start + 1);
  CHECK((*journal[start].payload)["name"] == "Épicerie solidaire du Panier");  // the admitted content, new dates
  CHECK((*journal[start].payload)["confirmed_at"] == "2026-02-10T00:00:00Z");
  CHECK((*journal[start].payload)["status"] == "admitted");
  auto renewed = a.node.Get("/api/initiatives/" + a.id);
  CHECK(renewed.body["valid_until"] == "2027-02-10T00:00:00Z");
  CHECK(a.Staff()["proposal"]["payload"]["name"] == "Nouveau nom");  // still waiting
}

TEST_CASE("a proposal made while reports are reviewed waits, then gets its own round; a suspension discards it") {
  SUBCASE("the committee keeps the initiative: the proposal's turn comes") {
    Admitted a;
    for (int i = 0; i < 3; ++i) {
      REQUIRE(a.node
                  .PostFrom("198.51.100." + std::to_string(i + 1),
                            "/api/initiatives/" + a.id + "/reports",
                            {{"reason", "wrong_information"}})
                  .status == 201);
    }
    REQUIRE(a.Staff()["review_reason"] == "reports");
    auto proposed = a.Propose("Nom corrigé", a.token);
    REQUIRE(proposed.status == 202);
    CHECK(proposed.body["proposal"]["state"] == "waiting");
    CHECK(proposed.body["review_reason"] == "reports");
    a.node.VoteAll(a.members, a.id, "admit");  // keep it on the map
    json staff = a.Staff();
    CHECK(staff["under_review"] == true);
    CHECK(staff["review_reason"] == "edit_proposed");
    CHECK(staff["proposal"]["state"] == "under_review");
    CHECK(a.PublicName() == "Épicerie solidaire du Panier");
    a.node.VoteAll(a.members, a.id, "admit");
    CHECK(a.PublicName() == "Nom corrigé");
  }
  SUBCASE("the committee suspends it: the proposal goes") {
    Admitted a;
    for (int i = 0; i < 3; ++i) {
      REQUIRE(a.node
                  .PostFrom("198.51.100." + std::to_string(i + 1),
                            "/api/initiatives/" + a.id + "/reports", {{"reason", "charter_breach"}})
                  .status == 201);
    }
    REQUIRE(a.Propose("Nom corrigé", a.token).status == 202);
    a.node.VoteAll(a.members, a.id, "reject");
    json staff = a.Staff();
    CHECK(staff["status"] == "suspended");
    CHECK(staff["proposal"].is_null());
    CHECK(a.node.Count("SELECT count(*) FROM edit_proposal") == 0);
  }
}

TEST_CASE("reports reaching the threshold during a proposal's review get their own review after it") {
  Admitted a;
  REQUIRE(a.Propose("Nom proposé", a.token).status == 202);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(a.node
                .PostFrom("198.51.100." + std::to_string(i + 1),
                          "/api/initiatives/" + a.id + "/reports", {{"reason", "closed"}})
                .status == 201);
  }
  CHECK(a.Staff()["review_reason"] == "edit_proposed");
  a.node.VoteAll(a.members, a.id, "reject");
  json staff = a.Staff();
  CHECK(staff["under_review"] == true);
  CHECK(staff["review_reason"] == "reports");
  CHECK(staff["open_reports"] == 3);  // not handled by the decision on the proposal
}

TEST_CASE("the admin's edit of an admitted initiative is a proposal too; withdrawal discards a proposal") {
  Admitted a;
  auto edited =
      a.node.Call("PUT", "/api/admin/initiatives/" + a.id,
                  NodeFixture::ValidInitiative({{"name", "Correction de l'administration"},
                                                {"charter", nullptr},
                                                {"reason", "Nom officiel"}}),
                  &a.admin);
  REQUIRE_MESSAGE(edited.status == 202, edited.text);
  CHECK(edited.body["proposal"]["proposed_by"] == "admin:admin@example.org");
  CHECK(a.PublicName() == "Épicerie solidaire du Panier");
  // Bad input changes nothing, the proposal included.
  auto bad = a.node.Owner("PUT", "/api/initiatives/" + a.id + "/owner", a.token,
                          NodeFixture::ValidInitiative({{"siret", "12345678901234"}, {"charter", nullptr}}));
  CHECK(bad.status == 422);
  CHECK(bad.body["field"] == "siret");
  CHECK(a.Staff()["proposal"]["payload"]["name"] == "Correction de l'administration");

  auto withdrawn = a.node.Owner("POST", "/api/initiatives/" + a.id + "/owner/withdraw", a.token);
  REQUIRE(withdrawn.status == 200);
  CHECK(a.Staff()["proposal"].is_null());
  CHECK(a.node.Count("SELECT count(*) FROM edit_proposal") == 0);
}
