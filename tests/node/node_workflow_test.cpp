// The acceptance workflows of the regional node, through the HTTP API against the real
// PostgreSQL. After each, the journal holds the matching signed records, in order, each
// verified with core's VerifyRecordProof against the latest signed checkpoint.
#include <doctest/doctest.h>

#include <atomic>

#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

std::string Status(NodeFixture& node, const std::string& id, const Session& staff) {
  auto r = node.Get("/api/initiatives/" + id, &staff);
  REQUIRE_MESSAGE(r.status == 200, r.text);
  return r.body["status"];
}

std::string Admitted(NodeFixture& node, Committee& c, const json& changes = json::object()) {
  auto [id, token] = node.Submit(changes);
  node.VoteAll(c.members, id, "admit");
  REQUIRE(Status(node, id, c.admin) == "admitted");
  return id;
}

}  // namespace

TEST_CASE("submit with charter adherence, committee votes, decision by the configured rule") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  const std::size_t start = node.JournalSize();
  REQUIRE(start == 4);  // charter_version + 3 memberships
  CHECK(node.JournalKinds() == std::vector<std::string>{"charter_version", "committee_membership",
                                                        "committee_membership", "committee_membership"});

  auto [id, token] = node.Submit();
  CHECK(token.size() == 64);
  CHECK(node.Get("/api/initiatives/" + id).status == 404);  // pending: not public yet
  auto queue = node.Get("/api/committee/queue", &c.members[0]);
  REQUIRE(queue.status == 200);
  REQUIRE(queue.body["items"].size() == 1);
  CHECK(queue.body["items"][0]["id"] == id);

  auto vote = [&](int who, const std::string& choice) {
    auto r = node.Post("/api/committee/initiatives/" + id + "/votes",
                       {{"vote", choice}, {"reason", "Projet conforme à la charte"}}, &c.members[who]);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    return r.body;
  };
  // Two votes of one college: quorum (3) not reached.
  CHECK(vote(0, "admit")["decision"].is_null());
  auto second = vote(1, "admit");
  CHECK(second["decision"].is_null());
  CHECK(second["status"] == "pending");
  // The third, of another college: quorum, 2 colleges, 2 of 3 expressed > 0.5 -> admit.
  auto third = vote(2, "reject");
  REQUIRE(third["decision"].is_object());
  CHECK(third["decision"]["decision"] == "admit");
  CHECK(third["status"] == "admitted");

  auto pub = node.Get("/api/initiatives/" + id);
  REQUIRE(pub.status == 200);
  CHECK(pub.body["status"] == "admitted");
  CHECK(pub.body["freshness"] == "fresh");
  CHECK_FALSE(pub.body.contains("private"));
  CHECK(pub.body["charter_version"] == 1);

  auto journal = node.VerifiedJournal();
  CHECK(node.JournalKinds(start) ==
        std::vector<std::string>{"initiative", "committee_decision", "initiative"});
  const auto& submitted = journal[start];
  CHECK(RecordIdToString(submitted.entry.record_id) == id);
  CHECK(submitted.entry.record_version == 1);
  CHECK((*submitted.payload)["status"] == "pending");
  CHECK((*submitted.payload)["charter_version"] == 1);
  CHECK((*submitted.payload)["region"] == "93");
  CHECK((*submitted.payload)["department"] == "13");
  // Private fields never reach the journal.
  std::string payload_text = submitted.payload->dump();
  CHECK(payload_text.find("06 12 34 56 78") == std::string::npos);
  CHECK(payload_text.find("marie@perso.example") == std::string::npos);
  CHECK(payload_text.find("Marie Durand") == std::string::npos);
  const auto& decision = *journal[start + 1].payload;
  CHECK(decision["decision"] == "admit");
  CHECK(decision["initiative"] == id);
  CHECK(decision["initiative_version"] == 1);
  CHECK(decision["votes"].size() == 3);
  CHECK(decision["votes"][0]["member"] == c.members[0].member_id);
  CHECK(decision["rule"] == json{{"quorum", 3}, {"majority", 0.5}, {"min_colleges", 2}});
  CHECK(decision["votes"].dump().find("Alice") == std::string::npos);
  CHECK(journal[start + 2].entry.record_version == 2);
  CHECK((*journal[start + 2].payload)["status"] == "admitted");
  // Memberships carry no names or emails.
  CHECK(journal[1].payload->dump().find("Alice") == std::string::npos);
  CHECK(journal[1].payload->dump().find("@") == std::string::npos);

  // Full history for the committee.
  auto history = node.Get("/api/initiatives/" + id + "/history", &c.members[2]);
  REQUIRE(history.status == 200);
  CHECK(history.body["decisions"].size() == 1);
  CHECK(history.body["decisions"][0]["votes"].size() == 3);
  CHECK(history.body["events"][0]["action"] == "submitted");
}

TEST_CASE("request changes, owner edits through the private link, admitted") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  const std::size_t start = node.JournalSize();
  auto [id, token] = node.Submit();
  node.VoteAll(c.members, id, "request_changes");
  CHECK(Status(node, id, c.admin) == "changes_requested");
  // No vote while the owner is expected to act.
  auto early = node.Post("/api/committee/initiatives/" + id + "/votes", {{"vote", "admit"}, {"reason", "ok ok"}},
                         &c.members[0]);
  CHECK(early.status == 409);
  CHECK(early.body["code"] == "not_under_review");
  // The owner got a message with a fresh link.
  auto outbox = node.Get("/api/admin/outbox", &c.admin);
  REQUIRE(outbox.status == 200);
  REQUIRE(outbox.body["messages"].size() >= 2);
  CHECK(outbox.body["messages"][0]["recipient"] == "marie@perso.example");
  std::string link_token = TokenInMessage(node.DeliveredMessage());

  auto mine = node.Owner("GET", "/api/initiatives/" + id + "/owner", link_token);
  REQUIRE(mine.status == 200);
  CHECK(mine.body["private"]["contact_phone"] == "06 12 34 56 78");
  json edited = NodeFixture::ValidInitiative({{"description", "Description complétée à la demande du comité."},
                                              {"charter", nullptr}});
  auto put = node.Owner("PUT", "/api/initiatives/" + id + "/owner", link_token, edited);
  REQUIRE_MESSAGE(put.status == 200, put.text);
  CHECK(put.body["status"] == "pending");
  CHECK(put.body["review_round"] == 2);
  node.VoteAll(c.members, id, "admit");
  CHECK(Status(node, id, c.admin) == "admitted");

  auto journal = node.VerifiedJournal();
  CHECK(node.JournalKinds(start) ==
        std::vector<std::string>{"initiative", "committee_decision", "initiative", "initiative",
                                 "committee_decision", "initiative"});
  CHECK((*journal[start + 1].payload)["decision"] == "request_changes");
  CHECK((*journal[start + 2].payload)["status"] == "changes_requested");
  CHECK((*journal[start + 3].payload)["status"] == "pending");
  CHECK((*journal[start + 3].payload)["description"] == "Description complétée à la demande du comité.");
  CHECK((*journal[start + 4].payload)["decision"] == "admit");
  CHECK((*journal[start + 4].payload)["initiative_version"] == 3);
  CHECK((*journal[start + 5].payload)["status"] == "admitted");
  CHECK(journal[start + 5].entry.record_version == 4);
  // The submission's own token still works too (not revoked).
  CHECK(node.Owner("GET", "/api/initiatives/" + id + "/owner", token).status == 200);
}

TEST_CASE("reports put an admitted initiative under review: suspend, then reinstate") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  std::string id = Admitted(node, c);
  const std::size_t start = node.JournalSize();
  CHECK(node.Post("/api/initiatives/" + id + "/endorsements", json::object()).status == 201);
  for (int i = 0; i < 2; ++i) {
    auto r =
        node.PostFrom("198.51.100." + std::to_string(i + 1), "/api/initiatives/" + id + "/reports",
                      {{"reason", "charter_breach"}, {"comment", "Pratiques contraires"}});
    REQUIRE(r.status == 201);
    CHECK(r.body["open_reports"] == i + 1);
  }
  auto before = node.Get("/api/initiatives/" + id, &c.admin);
  CHECK(before.body["under_review"] == false);
  CHECK(node.PostFrom("198.51.100.3", "/api/initiatives/" + id + "/reports", {{"reason", "closed"}})
            .status == 201);
  auto queue = node.Get("/api/committee/queue", &c.members[0]);
  REQUIRE(queue.body["items"].size() == 1);
  CHECK(queue.body["items"][0]["review_reason"] == "reports");
  CHECK(queue.body["items"][0]["open_reports"] == 3);
  CHECK(queue.body["items"][0]["endorsements"] == 1);
  CHECK(node.JournalSize() == start);  // reports change nothing public

  node.VoteAll(c.members, id, "reject");
  CHECK(Status(node, id, c.admin) == "suspended");
  CHECK(node.Get("/api/initiatives/" + id).status == 404);
  // The chair (only) reopens the case; the committee reinstates.
  auto not_chair = node.Post("/api/committee/initiatives/" + id + "/reviews", {{"reason", "Situation régularisée"}},
                             &c.members[0]);
  CHECK(not_chair.status == 403);
  auto reopen = node.Post("/api/committee/initiatives/" + id + "/reviews", {{"reason", "Situation régularisée"}},
                          &c.members[2]);
  REQUIRE_MESSAGE(reopen.status == 201, reopen.text);
  node.VoteAll(c.members, id, "admit");
  CHECK(Status(node, id, c.admin) == "admitted");
  CHECK(node.Get("/api/initiatives/" + id).status == 200);

  auto journal = node.VerifiedJournal();
  CHECK(node.JournalKinds(start) ==
        std::vector<std::string>{"committee_decision", "initiative", "committee_decision", "initiative"});
  CHECK((*journal[start].payload)["decision"] == "suspend");
  CHECK((*journal[start + 1].payload)["status"] == "suspended");
  CHECK((*journal[start + 2].payload)["decision"] == "reinstate");
  CHECK((*journal[start + 3].payload)["status"] == "admitted");
  auto history = node.Get("/api/initiatives/" + id + "/history", &c.admin);
  CHECK(history.body["decisions"].size() == 3);
}

TEST_CASE("expiry: past valid_until the record is to confirm, past the grace period hidden; confirming restores it") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  std::string id = Admitted(node, c);
  const std::size_t start = node.JournalSize();
  auto fresh = node.Get("/api/initiatives/" + id);
  CHECK(fresh.body["valid_until"] == "2027-01-01T00:00:00Z");
  CHECK(fresh.body["hide_after"] == "2027-03-02T00:00:00Z");

  // 30 days before valid_until: a reminder with a link goes to the outbox, once.
  node.AdvanceDays(340);
  c.admin = node.Renew(c.admin);  // sessions last hours, not months
  auto reminders = node.Post("/api/admin/freshness/reminders", json::object(), &c.admin);
  REQUIRE(reminders.status == 200);
  CHECK(reminders.body["queued"] == 1);
  CHECK(node.Post("/api/admin/freshness/reminders", json::object(), &c.admin).body["queued"] == 0);
  auto outbox = node.Get("/api/admin/outbox", &c.admin);
  CHECK(outbox.body["messages"][0]["subject"] == "Votre fiche est-elle toujours à jour ?");
  std::string token = TokenInMessage(node.DeliveredMessage());

  node.AdvanceDays(26);  // past valid_until
  auto stale = node.Get("/api/initiatives/" + id);
  REQUIRE(stale.status == 200);
  CHECK(stale.body["freshness"] == "to_confirm");
  CHECK(node.Get("/api/initiatives?freshness=to_confirm").body["total"] == 1);
  CHECK(node.Get("/api/initiatives?freshness=fresh").body["total"] == 0);

  node.AdvanceDays(60);  // past hide_after
  c.admin = node.Renew(c.admin);
  CHECK(node.Get("/api/initiatives/" + id).status == 404);
  CHECK(node.Get("/api/initiatives").body["total"] == 0);
  CHECK(node.Get("/api/initiatives?freshness=hidden").status == 403);
  CHECK(node.Get("/api/initiatives?freshness=hidden", &c.admin).body["total"] == 1);
  CHECK(node.Get("/api/initiatives/" + id, &c.admin).body["freshness"] == "hidden");

  auto confirmed = node.Owner("POST", "/api/initiatives/" + id + "/owner/confirm", token);
  REQUIRE_MESSAGE(confirmed.status == 200, confirmed.text);
  auto back = node.Get("/api/initiatives/" + id);
  REQUIRE(back.status == 200);
  CHECK(back.body["freshness"] == "fresh");
  CHECK(node.JournalKinds(start) == std::vector<std::string>{"initiative"});
  auto journal = node.VerifiedJournal();
  CHECK((*journal[start].payload)["confirmed_at"] == back.body["confirmed_at"]);
  CHECK((*journal[start].payload)["valid_until"] == back.body["valid_until"]);
  CHECK((*journal[start].payload)["status"] == "admitted");
}

TEST_CASE("withdrawal by the owner, then erasure: tombstone journalled, payloads and personal data gone") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  node.VoteAll(c.members, id, "admit");
  const std::size_t start = node.JournalSize();

  auto withdrawn = node.Owner("POST", "/api/initiatives/" + id + "/owner/withdraw", token);
  REQUIRE_MESSAGE(withdrawn.status == 200, withdrawn.text);
  CHECK(withdrawn.body["status"] == "withdrawn");
  CHECK(node.Get("/api/initiatives/" + id).status == 404);
  CHECK(node.Owner("POST", "/api/initiatives/" + id + "/owner/withdraw", token).status == 409);

  auto erased = node.Post("/api/admin/initiatives/" + id + "/erase", json::object(), &c.admin);
  REQUIRE_MESSAGE(erased.status == 200, erased.text);
  CHECK(node.Get("/api/initiatives/" + id, &c.admin).status == 410);
  CHECK(node.Owner("GET", "/api/initiatives/" + id + "/owner", token).status == 401);  // its links went too
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  CHECK(node.Count("SELECT count(*) FROM edit_link") == 0);
  // Only the committee's invitations stay in the outbox.
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE kind <> 'member_invitation'") == 0);
  CHECK(node.Count("SELECT count(*) FROM committee_vote") == 0);

  // The committee's decision (its payload names the record, its votes hold their reasons)
  // is erased with it.
  CHECK(node.JournalKinds(start) ==
        std::vector<std::string>{"initiative", "erase:committee_decision", "erase:initiative"});
  auto journal = node.VerifiedJournal();  // every entry still verifies
  for (const auto& record : journal) {
    if (record.entry.kind != RecordKind::kInitiative || RecordIdToString(record.entry.record_id) != id) continue;
    if (record.entry.operation == Operation::kErase) {
      REQUIRE(record.payload);
      CHECK(*record.payload == json{{"reason", "effacement par l'administration"}});
    } else {
      CHECK_FALSE(record.payload);  // erased
    }
  }
  CHECK(node.JournalKinds().size() == start + 3);
}

TEST_CASE("a new charter version asks for re-adhesion; those that do not re-adhere in time are due") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  std::string a = Admitted(node, c);
  std::string b = Admitted(node, c, {{"name", "Garage solidaire"}});
  const std::size_t start = node.JournalSize();

  const json draft = {{"text", "Charte régionale, version 2"}, {"readhesion_days", 30}};
  auto preview = node.Post("/api/admin/charter/preview", draft, &c.admin);
  REQUIRE_MESSAGE(preview.status == 200, preview.text);
  CHECK(preview.body["listings_to_readhere"] == 2);
  json confirmed = draft;
  confirmed["confirm_listings"] = preview.body["listings_to_readhere"];
  auto v2 = node.Post("/api/admin/charter", confirmed, &c.admin);
  REQUIRE_MESSAGE(v2.status == 201, v2.text);
  CHECK(v2.body["version"] == 2);
  CHECK(v2.body["readhesions_asked"] == 2);
  CHECK(node.Get("/api/charter").body["version"] == 2);
  // Submissions now need version 2.
  auto outdated = node.Post("/api/initiatives", NodeFixture::ValidInitiative({}, 1));
  CHECK(outdated.status == 409);
  CHECK(outdated.body["code"] == "charter_outdated");

  // A re-adheres through the link it was sent.
  std::string token_a;
  for (const auto& m : node.api().initiatives().MessagesToDeliver()) {
    if (m.initiative_id == a && m.subject == "Nouvelle version de la charte régionale")
      token_a = TokenInMessage(m.body);
  }
  REQUIRE_FALSE(token_a.empty());
  auto adhered = node.Owner("POST", "/api/initiatives/" + a + "/owner/adhere", token_a,
                            json{{"charter_version", 2}, {"adhered_by", "Marie Durand"}});
  REQUIRE_MESSAGE(adhered.status == 200, adhered.text);
  CHECK(adhered.body["charter_version"] == 2);

  // Within the period nothing is due; after it, B is in the committee's queue.
  auto queue = node.Get("/api/committee/queue", &c.members[0]);
  CHECK(queue.body["items"].empty());
  node.AdvanceDays(31);
  c.admin = node.Renew(c.admin);
  c.members[0] = node.Renew(c.members[0]);
  queue = node.Get("/api/committee/queue", &c.members[0]);
  REQUIRE(queue.body["items"].size() == 1);
  CHECK(queue.body["items"][0]["id"] == b);
  CHECK(queue.body["items"][0]["readhesion_due"] == true);
  CHECK(node.Get("/api/initiatives/" + b, &c.admin).body["readhesion_due"] == true);
  CHECK(node.Get("/api/initiatives/" + a, &c.admin).body["readhesion_due"] == false);

  auto journal = node.VerifiedJournal();
  CHECK(node.JournalKinds(start) == std::vector<std::string>{"charter_version", "initiative"});
  CHECK((*journal[start].payload)["version"] == 2);
  CHECK((*journal[start].payload)["readhesion_days"] == 30);
  CHECK((*journal[start].payload)["text"] == "Charte régionale, version 2");
  CHECK((*journal[start + 1].payload)["charter_version"] == 2);
  CHECK(RecordIdToString(journal[start + 1].entry.record_id) == a);
}

TEST_CASE("an admitted initiative's edit goes through the committee; the admitted revision stays live until then") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  node.VoteAll(c.members, id, "admit");
  const std::size_t start = node.JournalSize();
  node.AdvanceDays(10);
  for (auto& m : c.members) m = node.Renew(m);
  c.admin = node.Renew(c.admin);
  auto before = node.Get("/api/initiatives/" + id);
  REQUIRE(before.status == 200);

  // The owner edits through the private link: a proposal, nothing public changes.
  json edit = NodeFixture::ValidInitiative({{"name", "Épicerie coopérative du Panier"},
                                            {"description", "Une épicerie coopérative : les usagers en sont sociétaires."},
                                            {"private", {{"contact_name", "Marie Durand"}, {"contact_email", "marie@perso.example"},
                                                         {"contact_phone", "06 99 99 99 99"}}},
                                            {"charter", nullptr}});
  auto proposed = node.Owner("PUT", "/api/initiatives/" + id + "/owner", token, edit);
  REQUIRE_MESSAGE(proposed.status == 202, proposed.text);
  CHECK(proposed.body["status"] == "admitted");
  CHECK(proposed.body["name"] == "Épicerie solidaire du Panier");
  CHECK(proposed.body["proposal"]["state"] == "under_review");
  CHECK(proposed.body["proposal"]["payload"]["name"] == "Épicerie coopérative du Panier");
  CHECK(node.JournalSize() == start);  // nothing public changed: nothing journalled
  auto still = node.Get("/api/initiatives/" + id);
  REQUIRE(still.status == 200);
  CHECK(still.body == before.body);  // public record, dates included (not confirmed by a proposal)
  CHECK(node.Get("/api/initiatives?q=cooperative").body["total"] == 0);
  CHECK(node.Get("/api/initiatives?q=solidaire").body["total"] == 1);
  CHECK(node.Get("/api/export/initiatives.csv").text.find("coopérative du Panier") == std::string::npos);
  CHECK(node.Get("/api/export/initiatives.geojson").text.find("coopérative du Panier") == std::string::npos);
  // The owner reads back the proposal, and still has the admitted record.
  auto mine = node.Owner("GET", "/api/initiatives/" + id + "/owner", token);
  CHECK(mine.body["name"] == "Épicerie solidaire du Panier");
  CHECK(mine.body["private"]["contact_phone"] == "06 12 34 56 78");
  CHECK(mine.body["proposal"]["private"]["contact_phone"] == "06 99 99 99 99");

  // The committee's queue and file: what would change.
  auto queue = node.Get("/api/committee/queue", &c.members[0]);
  REQUIRE(queue.body["items"].size() == 1);
  CHECK(queue.body["items"][0]["review_reason"] == "edit_proposed");
  CHECK(queue.body["items"][0]["has_proposal"] == true);
  CHECK(queue.body["items"][0]["status"] == "admitted");
  auto file = node.Get("/api/committee/initiatives/" + id + "/proposal", &c.members[0]);
  REQUIRE(file.status == 200);
  CHECK(file.body["admitted"]["payload"]["name"] == "Épicerie solidaire du Panier");
  CHECK(file.body["proposal"]["payload"]["name"] == "Épicerie coopérative du Panier");

  // The committee admits it: the new content is live and journalled with the decision.
  auto vote = [&](int who) {
    auto r = node.Post("/api/committee/initiatives/" + id + "/votes",
                       {{"vote", "admit"}, {"reason", "Modification conforme à la charte"}}, &c.members[who]);
    REQUIRE_MESSAGE(r.status == 201, r.text);
    return r.body;
  };
  vote(0);
  vote(1);
  CHECK(node.Get("/api/initiatives/" + id).body["name"] == "Épicerie solidaire du Panier");  // not yet
  auto decided = vote(2);
  REQUIRE(decided["decision"].is_object());
  CHECK(decided["decision"]["decision"] == "admit");
  CHECK(decided["decision"]["subject"] == "edit_proposal");
  CHECK(decided["status"] == "admitted");
  auto after = node.Get("/api/initiatives/" + id);
  REQUIRE(after.status == 200);
  CHECK(after.body["name"] == "Épicerie coopérative du Panier");
  CHECK(after.body["confirmed_at"] == "2026-01-11T00:00:00Z");  // admitting it confirms the record
  CHECK(node.Get("/api/initiatives?q=cooperative").body["total"] == 1);
  CHECK(node.Get("/api/initiatives/" + id, &c.admin).body["private"]["contact_phone"] == "06 99 99 99 99");
  CHECK(node.Get("/api/initiatives/" + id, &c.admin).body["proposal"].is_null());

  auto journal = node.VerifiedJournal();
  CHECK(node.JournalKinds(start) == std::vector<std::string>{"committee_decision", "initiative"});
  const json& decision = *journal[start].payload;
  CHECK(decision["decision"] == "admit");
  CHECK(decision["initiative"] == id);
  CHECK(decision["initiative_version"] == journal[start + 1].entry.record_version);
  CHECK(decision["votes"].size() == 3);
  const json& revision = *journal[start + 1].payload;
  CHECK(revision["status"] == "admitted");
  CHECK(revision["name"] == "Épicerie coopérative du Panier");
  CHECK(revision.dump().find("06 99 99 99 99") == std::string::npos);  // private fields stay at the node
  auto history = node.Get("/api/initiatives/" + id + "/history", &c.admin);
  REQUIRE(history.body["decisions"].size() == 2);
  CHECK(history.body["decisions"][1]["subject"] == "edit_proposal");
  CHECK(history.body["decisions"][1]["journalled"] == true);
}

TEST_CASE(
    "each committed journalling transaction notifies the journal-commit listener (main wakes the "
    "uploader)") {
  NodeFixture node;
  Session admin = node.Admin();
  std::atomic<int> notified{0};
  auto subscription = node.journal_commits().Listen([&notified] { ++notified; });
  // Notified on the request's thread before it answers: no waiting needed.
  node.PublishCharter(admin);
  CHECK(notified == 1);
  const std::size_t journal = node.JournalSize();
  auto [id, token] = node.Submit();
  CHECK(node.JournalSize() == journal + 1);
  CHECK(notified == 2);
  // A refused write journals nothing and notifies no one; nor does a read.
  CHECK(node.Post("/api/initiatives", json{{"name", "x"}}).status == 422);
  CHECK(node.Get("/api/initiatives/" + id, &admin).status == 200);
  CHECK(notified == 2);
  // The owner's edit through the private link (journalled: pending), then the subscription
  // ends: no listener any more.
  auto edited = node.Call("POST", "/api/initiatives/" + id + "/owner/confirm", std::nullopt,
                          nullptr, {{"X-Edit-Token", token}});
  CHECK(edited.status == 200);
  CHECK(notified == 3);
  subscription.Reset();
  node.Submit();
  CHECK(notified == 3);
}
