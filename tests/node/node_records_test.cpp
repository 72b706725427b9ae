// The records back office (issue 15, point 1) through the HTTP API against the real
// PostgreSQL: the list's filters, sorting, pages and refusals; a record with its history; the
// admin's edit on the owner's behalf with a reason; a reissued link that revokes the older
// ones; reminders now, on one record or a selection, with their delivery state; the
// selection's CSV; the committee reading only; anonymous callers refused.
#include <doctest/doctest.h>

#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

const std::string kRecords = "/api/admin/records";

// An imported record (source "import"), confirmed 400 days before the fixture's start: past
// its validity, within its grace period (to confirm), without a contact e-mail.
std::string ImportStale(NodeFixture& node, const Session& admin) {
  const std::string csv =
      "name;family;legal_form;activities;commune;email;confirmed_at\n"
      "Ressourcerie du Port;association;association_loi_1901;reemploi;13055;port@ressourcerie."
      "example;2024-11-27\n";
  auto imported = node.Post("/api/admin/import",
                            {{"csv", csv}, {"separator", ";"}, {"status", "admitted"}}, &admin);
  REQUIRE_MESSAGE(imported.status == 201, imported.text);
  auto found = node.Get(kRecords + "?source=import", &admin);
  REQUIRE(found.body["items"].size() == 1);
  return found.body["items"][0]["id"];
}

std::vector<std::string> Names(const Reply& reply) {
  std::vector<std::string> out;
  for (const auto& item : reply.body["items"]) out.push_back(item["name"]);
  return out;
}

void CheckRefused(const Reply& reply, const std::string& field) {
  CHECK_MESSAGE(reply.status == 422, reply.text);
  CHECK(reply.body["code"] == "invalid_parameter");
  CHECK(reply.body["field"] == field);
  CHECK_FALSE(reply.body["message"].get<std::string>().empty());
}

struct Region {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  std::pair<std::string, std::string> atelier =
      node.Submit({{"name", "Atelier vélo du Panier"}, {"siret", nullptr}});
  std::pair<std::string, std::string> garage =
      node.Submit({{"name", "Garage solidaire"}, {"siret", nullptr}});
  std::string stale = ImportStale(node, c.admin);
};

}  // namespace

TEST_CASE("the list: filters, search, sorting, pages, refusals and who may read it") {
  Region r;
  NodeFixture& node = r.node;
  const Session& admin = r.c.admin;
  CHECK(node.Get(kRecords).status == 401);
  auto all = node.Get(kRecords, &admin);
  REQUIRE_MESSAGE(all.status == 200, all.text);
  CHECK(all.body["total"] == 3);
  CHECK(Names(all) == std::vector<std::string>{"Atelier vélo du Panier", "Garage solidaire",
                                               "Ressourcerie du Port"});
  // The committee reads it too.
  CHECK(node.Get(kRecords, &r.c.members[0]).body["total"] == 3);

  const json& stale = all.body["items"][2];
  CHECK(stale["source"] == "import");
  CHECK(stale["status"] == "admitted");
  CHECK(stale["freshness"] == "to_confirm");
  CHECK(stale["reminder_due"] == true);
  CHECK(stale["has_contact_email"] == false);
  CHECK(all.body["items"][0]["source"] == "form");
  CHECK(all.body["items"][0]["freshness"] == "fresh");
  CHECK(all.body["items"][0]["reminders"]["count"] == 0);

  CHECK(Names(node.Get(kRecords + "?source=form", &admin)).size() == 2);
  CHECK(Names(node.Get(kRecords + "?freshness=to_confirm", &admin)) ==
        std::vector<std::string>{"Ressourcerie du Port"});
  CHECK(Names(node.Get(kRecords + "?freshness=reminder_due", &admin)) ==
        std::vector<std::string>{"Ressourcerie du Port"});
  CHECK(node.Get(kRecords + "?freshness=hidden", &admin).body["total"] == 0);
  CHECK(Names(node.Get(kRecords + "?status=pending", &admin)).size() == 2);
  CHECK(Names(node.Get(kRecords + "?status=admitted,rejected", &admin)).size() == 1);
  CHECK(Names(node.Get(kRecords + "?q=garage", &admin)) ==
        std::vector<std::string>{"Garage solidaire"});
  CHECK(Names(node.Get(kRecords + "?q=ressourc", &admin)) ==
        std::vector<std::string>{"Ressourcerie du Port"});
  CHECK(node.Get(kRecords + "?department=13&family=association", &admin).body["total"] == 3);
  CHECK(node.Get(kRecords + "?department=84", &admin).body["total"] == 0);
  // Dates, as days: the fixture's clock stands on 2026-01-01.
  CHECK(node.Get(kRecords + "?submitted_from=2026-01-01&submitted_to=2026-01-01", &admin)
            .body["total"] == 3);
  CHECK(node.Get(kRecords + "?submitted_from=2026-01-02", &admin).body["total"] == 0);
  CHECK(Names(node.Get(kRecords + "?valid_to=2025-12-31", &admin)) ==
        std::vector<std::string>{"Ressourcerie du Port"});
  CHECK(node.Get(kRecords + "?updated_from=2026-01-01", &admin).body["total"] == 3);
  // Sorting and pages.
  CHECK(Names(node.Get(kRecords + "?sort=name&order=desc", &admin)) ==
        std::vector<std::string>{"Ressourcerie du Port", "Garage solidaire",
                                 "Atelier vélo du Panier"});
  CHECK(Names(node.Get(kRecords + "?sort=valid_until", &admin)).front() == "Ressourcerie du Port");
  auto second = node.Get(kRecords + "?per_page=1&page=2", &admin);
  CHECK(second.body["total"] == 3);
  CHECK(second.body["per_page"] == 1);
  CHECK(Names(second) == std::vector<std::string>{"Garage solidaire"});
  // An empty parameter is absent.
  CHECK(node.Get(kRecords + "?q=&status=", &admin).body["total"] == 3);

  // Every bad parameter is refused, naming it.
  CheckRefused(node.Get(kRecords + "?per_page=500", &admin), "per_page");
  CheckRefused(node.Get(kRecords + "?page=0", &admin), "page");
  CheckRefused(node.Get(kRecords + "?sort=siret", &admin), "sort");
  CheckRefused(node.Get(kRecords + "?order=up", &admin), "order");
  CheckRefused(node.Get(kRecords + "?freshness=old", &admin), "freshness");
  CheckRefused(node.Get(kRecords + "?status=archived", &admin), "status");
  CheckRefused(node.Get(kRecords + "?source=mail", &admin), "source");
  CheckRefused(node.Get(kRecords + "?family=inconnue", &admin), "family");
  CheckRefused(node.Get(kRecords + "?department=1%3B3", &admin), "department");
  CheckRefused(node.Get(kRecords + "?submitted_from=2026-13-01", &admin), "submitted_from");
  CheckRefused(node.Get(kRecords + "?updated_to=01/02/2026", &admin), "updated_to");
  CheckRefused(node.Get(kRecords + "?valid_from=2026-02-01&valid_to=2026-01-01", &admin),
               "valid_to");
  CheckRefused(node.Get(kRecords + "?bbox=1,2,3,4", &admin), "bbox");
  CheckRefused(node.Get(kRecords + "?statut=pending", &admin), "statut");
  auto long_q = node.Get(kRecords + "?q=" + std::string(300, 'a'), &admin);
  CHECK(long_q.status == 422);
  CHECK(long_q.body["field"] == "q");
}

TEST_CASE("a record with its history: events and journal revisions; staff only") {
  Region r;
  NodeFixture& node = r.node;
  const std::string id = r.atelier.first;
  CHECK(node.Get(kRecords + "/" + id).status == 401);
  auto detail = node.Get(kRecords + "/" + id, &r.c.members[1]);
  REQUIRE_MESSAGE(detail.status == 200, detail.text);
  CHECK(detail.body["record"]["name"] == "Atelier vélo du Panier");
  CHECK(detail.body["record"]["private"]["contact_email"] == "marie@perso.example");
  CHECK(detail.body["summary"]["source"] == "form");
  CHECK(detail.body["events"][0]["action"] == "submitted");
  CHECK(detail.body["events"][0]["actor"] == "owner");
  REQUIRE(detail.body["revisions"].size() == 1);
  CHECK(detail.body["revisions"][0]["status"] == "pending");
  CHECK(detail.body["revisions"][0]["operation"] == "put");
  CHECK(detail.body["reminders"].empty());
  CHECK(node.Get(kRecords + "/" + r.stale, &r.c.admin).body["events"][0]["action"] == "imported");
  CHECK(node.Get(kRecords + "/not-an-id", &r.c.admin).status == 404);
  CHECK(node.Get(kRecords + "/00000000-0000-4000-8000-000000000000", &r.c.admin).status == 404);
}

TEST_CASE(
    "editing on the owner's behalf needs a reason, is journalled with it and tells the owner") {
  Region r;
  NodeFixture& node = r.node;
  const std::string id = r.atelier.first;
  const std::string target = "/api/admin/initiatives/" + id;
  json edit = NodeFixture::ValidInitiative({{"name", "Atelier vélo du Panier (horaires d'hiver)"},
                                            {"siret", nullptr},
                                            {"charter", nullptr}});
  const std::size_t journal = node.JournalSize();
  const long long messages = node.Count("SELECT count(*) FROM outbox");

  CHECK(node.Call("PUT", target, edit).status == 401);
  CHECK(node.Call("PUT", target, edit, &r.c.members[0]).status == 403);
  auto missing = node.Call("PUT", target, edit, &r.c.admin);
  CHECK(missing.status == 422);
  CHECK(missing.body["code"] == "required");
  CHECK(missing.body["field"] == "reason");
  edit["reason"] = "ok";
  CHECK(node.Call("PUT", target, edit, &r.c.admin).body["code"] == "invalid_text");
  edit["reason"] = std::string(501, 'x');
  CHECK(node.Call("PUT", target, edit, &r.c.admin).body["field"] == "reason");
  edit["reason"] = 42;
  CHECK(node.Call("PUT", target, edit, &r.c.admin).body["code"] == "invalid_type");
  CHECK(node.JournalSize() == journal);
  CHECK(node.Count("SELECT count(*) FROM outbox") == messages);

  edit["reason"] = "Horaires d'hiver donnés par téléphone par la porteuse";
  auto edited = node.Call("PUT", target, edit, &r.c.admin);
  REQUIRE_MESSAGE(edited.status == 200, edited.text);
  CHECK(edited.body["name"] == "Atelier vélo du Panier (horaires d'hiver)");
  CHECK(node.JournalKinds(journal) == std::vector<std::string>{"initiative"});
  auto detail = node.Get(kRecords + "/" + id, &r.c.admin);
  const json& event = detail.body["events"].back();
  CHECK(event["action"] == "edited");
  CHECK(event["actor"] == "admin:admin@example.org");
  CHECK(event["detail"].get<std::string>().find("Horaires d'hiver donnés par téléphone") !=
        std::string::npos);
  CHECK(detail.body["revisions"].size() == 2);
  // The owner is told, with who and why.
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE kind = 'edited_on_behalf' AND recipient = "
                   "'marie@perso.example'") == 1);
  const std::string mail = node.DeliveredMessage(0);
  CHECK(mail.find("Horaires d'hiver donnés par téléphone") != std::string::npos);

  // An admitted record: the edit on behalf becomes a proposal, with the reason in its event.
  r.node.VoteAll(r.c.members, r.garage.first, "admit");
  json proposal = NodeFixture::ValidInitiative({{"name", "Garage solidaire du Panier"},
                                                {"siret", nullptr},
                                                {"charter", nullptr},
                                                {"reason", "Nom complet demandé par le porteur"}});
  auto proposed =
      node.Call("PUT", "/api/admin/initiatives/" + r.garage.first, proposal, &r.c.admin);
  REQUIRE_MESSAGE(proposed.status == 202, proposed.text);
  auto garage = node.Get(kRecords + "/" + r.garage.first, &r.c.admin);
  CHECK(garage.body["events"].back()["action"] == "edit_proposed");
  CHECK(garage.body["events"].back()["detail"].get<std::string>().find("Nom complet demandé") !=
        std::string::npos);
}

TEST_CASE(
    "a reissued link revokes the older ones and goes to the contact e-mail when there is one") {
  Region r;
  NodeFixture& node = r.node;
  const auto& [id, token] = r.atelier;
  const std::string owner = "/api/initiatives/" + id + "/owner";
  REQUIRE(node.Owner("GET", owner, token).status == 200);
  CHECK(node.Post("/api/admin/initiatives/" + id + "/edit-links", json::object(), &r.c.members[2])
            .status == 403);
  auto issued =
      node.Post("/api/admin/initiatives/" + id + "/edit-links", json::object(), &r.c.admin);
  REQUIRE_MESSAGE(issued.status == 201, issued.text);
  CHECK(issued.body["mailed"] == true);
  CHECK(issued.body["revoked"] == 1);
  // The old link no longer works (it did before issue 15: a lost link stayed live).
  CHECK(node.Owner("GET", owner, token).body["code"] == "edit_token_invalid");
  const std::string fresh = issued.body["edit_token"];
  CHECK(node.Owner("GET", owner, fresh).status == 200);
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE kind = 'new_link' AND initiative_id = '" +
                   id + "'") == 1);
  CHECK(TokenInMessage(node.DeliveredMessage(0)) == fresh);
  // A second one revokes the first.
  auto again =
      node.Post("/api/admin/initiatives/" + id + "/edit-links", json::object(), &r.c.admin);
  CHECK(again.body["revoked"] == 1);
  CHECK(node.Owner("GET", owner, fresh).body["code"] == "edit_token_invalid");
  // Without a contact e-mail, nothing is mailed: the admin hands the link over.
  auto handed =
      node.Post("/api/admin/initiatives/" + r.stale + "/edit-links", json::object(), &r.c.admin);
  REQUIRE(handed.status == 201);
  CHECK(handed.body["mailed"] == false);
  CHECK(node.Owner("GET", "/api/initiatives/" + r.stale + "/owner", handed.body["edit_token"])
            .status == 200);
  auto events = node.Get(kRecords + "/" + id, &r.c.admin).body["events"];
  CHECK(events.back()["action"] == "edit_link_issued");
  CHECK(events.back()["actor"] == "admin:admin@example.org");
}

TEST_CASE("reminders now, on one record or a selection, with their delivery state; the CSV") {
  Region r;
  NodeFixture& node = r.node;
  const std::string a = r.atelier.first, g = r.garage.first;
  const std::string remind_a = kRecords + "/" + a + "/reminders";
  CHECK(node.Post(remind_a, json::object()).status == 401);
  CHECK(node.Post(remind_a, json::object(), &r.c.members[0]).status == 403);
  auto no_mail = node.Post(kRecords + "/" + r.stale + "/reminders", json::object(), &r.c.admin);
  CHECK(no_mail.status == 409);
  CHECK(no_mail.body["code"] == "no_contact_email");
  auto reminded = node.Post(remind_a, json::object(), &r.c.admin);
  REQUIRE_MESSAGE(reminded.status == 201, reminded.text);
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE kind = 'reminder'") == 1);
  auto detail = node.Get(kRecords + "/" + a, &r.c.members[0]);
  REQUIRE(detail.body["reminders"].size() == 1);
  CHECK(detail.body["reminders"][0]["state"] == "queued");
  CHECK(detail.body["reminders"][0]["recipient"] == "marie@perso.example");
  CHECK(detail.body["events"].back()["action"] == "reminder_queued");
  CHECK(detail.body["events"].back()["actor"] == "admin:admin@example.org");
  // The relay refused it: the record shows the failure and the server's answer.
  node.Count(
      "WITH failed AS (UPDATE outbox SET state = 'failed', attempts = 1, last_error = '550 5.1.1 "
      "mailbox unavailable' WHERE kind = 'reminder' RETURNING 1) SELECT count(*) FROM failed");
  detail = node.Get(kRecords + "/" + a, &r.c.admin);
  CHECK(detail.body["reminders"][0]["state"] == "failed");
  CHECK(detail.body["reminders"][0]["last_error"] == "550 5.1.1 mailbox unavailable");
  auto row = node.Get(kRecords + "?q=atelier", &r.c.admin).body["items"][0];
  CHECK(row["reminders"]["count"] == 1);
  CHECK(row["reminders"]["last_state"] == "failed");

  // A selection: each record on its own, the one without e-mail refused.
  auto bulk = node.Post(kRecords + "/reminders", {{"ids", {a, g, r.stale}}}, &r.c.admin);
  REQUIRE_MESSAGE(bulk.status == 200, bulk.text);
  CHECK(bulk.body["queued"] == 2);
  CHECK(bulk.body["results"][2]["queued"] == false);
  CHECK(bulk.body["results"][2]["code"] == "no_contact_email");
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE kind = 'reminder'") == 3);
  CHECK(node.Post(kRecords + "/reminders", {{"ids", json::array()}}, &r.c.admin).body["code"] ==
        "invalid_selection");
  CHECK(node.Post(kRecords + "/reminders", {{"ids", {"x"}}}, &r.c.admin).status == 422);
  CHECK(node.Post(kRecords + "/reminders", {{"ids", {a}}}, &r.c.members[1]).status == 403);

  // The selection as CSV for a French spreadsheet: BOM, ';', one header row.
  auto csv = node.Post(kRecords + "/export", {{"ids", {r.stale, a}}}, &r.c.admin);
  REQUIRE_MESSAGE(csv.status == 200, csv.text);
  CHECK(csv.headers["content-type"].find("text/csv") == 0);
  CHECK(csv.text.rfind("\xEF\xBB\xBFid;nom;statut;", 0) == 0);
  CHECK(std::count(csv.text.begin(), csv.text.end(), '\n') == 3);
  CHECK(csv.text.find(";Ressourcerie du Port;admitted;to_confirm;oui;import;") !=
        std::string::npos);
  CHECK(csv.text.find("marie@perso.example") != std::string::npos);
  CHECK(node.Post(kRecords + "/export", {{"ids", {a}}}, &r.c.members[0]).status == 403);
  CHECK(node.Post(kRecords + "/export", {{"ids", {a}}}).status == 401);
}
