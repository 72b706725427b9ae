// Participatory signals that cannot be faked, private links never kept in clear, and an
// erasure that takes the committee's decisions with the record (issue 11, points 3 and 4),
// through the HTTP API against the real PostgreSQL.
#include <doctest/doctest.h>

#include <set>

#include <pqxx/pqxx>

#include "core/pg_migrations.h"
#include "node/node_migrations.h"
#include "node/service/initiative_service.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

// An admitted initiative; returns {id, edit token}.
std::pair<std::string, std::string> Admitted(NodeFixture& node, Committee& c) {
  auto submitted = node.Submit();
  node.VoteAll(c.members, submitted.first, "admit");
  return submitted;
}

json Staff(NodeFixture& node, const std::string& id, const Session& staff) {
  auto r = node.Get("/api/initiatives/" + id, &staff);
  REQUIRE_MESSAGE(r.status == 200, r.text);
  return r.body;
}

std::string Reports(const std::string& id) { return "/api/initiatives/" + id + "/reports"; }
std::string Endorsements(const std::string& id) {
  return "/api/initiatives/" + id + "/endorsements";
}

}  // namespace

TEST_CASE("a plain-text form posted to reports or endorsements gets 415 and files nothing") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = Admitted(node, c);
  for (const std::string& target : {Reports(id), Endorsements(id)}) {
    auto r =
        node.CallRaw("POST", target, R"({"reason":"closed"})", {{"Content-Type", "text/plain"}});
    CHECK(r.status == 415);
    auto form = node.CallRaw("POST", target, "reason=closed",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
    CHECK(form.status == 415);
  }
  CHECK(node.Count("SELECT count(*) FROM report") == 0);
  CHECK(node.Count("SELECT count(*) FROM endorsement") == 0);
}

TEST_CASE(
    "three reports from one client do not reach a threshold of 3; from three addresses they do") {
  NodeFixture node;  // report threshold 3
  Committee c = node.SetUpCommittee();
  auto [id, token] = Admitted(node, c);

  auto first = node.Post(Reports(id), {{"reason", "closed"}, {"comment", "Fermé depuis mars"}});
  REQUIRE_MESSAGE(first.status == 201, first.text);
  CHECK(first.body["open_reports"] == 1);
  CHECK(first.body["counted"] == true);
  for (int i = 0; i < 2; ++i) {
    auto again = node.Post(Reports(id), {{"reason", "charter_breach"}});
    REQUIRE_MESSAGE(again.status == 200, again.text);
    CHECK(again.body["counted"] == false);
    CHECK(again.body["open_reports"] == 1);
    CHECK(again.body["message"] ==
          "Un seul signalement par initiative et par visiteur est pris en compte sur une période : "
          "celui-ci n'a pas été compté.");
  }
  CHECK(Staff(node, id, c.admin)["under_review"] == false);
  CHECK(node.Count("SELECT count(*) FROM report") == 1);
  CHECK(node.Count("SELECT count(*) FROM initiative_event WHERE action = 'reported'") == 1);
  // One endorsement does not stop a report from the same visitor, and vice versa.
  CHECK(node.Post(Endorsements(id), json::object()).status == 201);

  // Two more visitors (behind the node's trusted proxy): the third distinct report reopens a
  // review.
  CHECK(node.PostFrom("198.51.100.7", Reports(id), {{"reason", "closed"}}).status == 201);
  CHECK(Staff(node, id, c.admin)["under_review"] == false);
  auto third = node.PostFrom("2001:db8::1", Reports(id), {{"reason", "closed"}});
  REQUIRE(third.status == 201);
  CHECK(third.body["open_reports"] == 3);
  json staff = Staff(node, id, c.admin);
  CHECK(staff["under_review"] == true);
  CHECK(staff["review_reason"] == "reports");
}

TEST_CASE("seven endorsements from one client count one; a new period allows a new one") {
  NodeFixture node;  // endorsement threshold 2
  Committee c = node.SetUpCommittee();
  auto [id, token] = Admitted(node, c);
  for (int i = 0; i < 7; ++i) {
    auto r = node.Post(Endorsements(id), json{{"comment", "Bravo " + std::to_string(i)}});
    REQUIRE(r.status == (i == 0 ? 201 : 200));
    CHECK(r.body["endorsements"] == 1);
    CHECK(r.body["counted"] == (i == 0));
  }
  CHECK(node.Count("SELECT count(*) FROM endorsement") == 1);
  auto queue = node.Get("/api/committee/queue", &c.members[0]);
  CHECK(queue.body["items"].empty());  // not under review, not "soutenue"
  CHECK(node.Get("/api/initiatives/" + id).body["endorsements"] == 1);

  // The period is 30 days (from the epoch): a report too is counted again in the next one.
  REQUIRE(node.Post(Reports(id), {{"reason", "wrong_information"}}).status == 201);
  const std::int64_t period = node::ParticipationPeriod(node::NowSeconds(node.clock), 30);
  while (node::ParticipationPeriod(node::NowSeconds(node.clock), 30) == period) node.AdvanceDays(1);
  auto next = node.Post(Endorsements(id), json::object());
  CHECK(next.status == 201);
  CHECK(next.body["endorsements"] == 2);
  CHECK(node.Post(Endorsements(id), json::object()).status == 200);
  auto report = node.Post(Reports(id), {{"reason", "wrong_information"}});
  CHECK(report.status == 201);
  CHECK(report.body["open_reports"] == 2);
}

TEST_CASE("a signal stores its keyed visitor mark, never the client address") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = Admitted(node, c);
  REQUIRE(node.PostFrom("203.0.113.9", Reports(id), {{"reason", "closed"}}).status == 201);
  REQUIRE(node.PostFrom("203.0.113.9", Endorsements(id), json::object()).status == 201);
  // Nothing of the address anywhere in the rows (every column as text).
  CHECK(node.Count("SELECT count(*) FROM report r WHERE r::text LIKE '%203.0.113%'") == 0);
  CHECK(node.Count("SELECT count(*) FROM endorsement e WHERE e::text LIKE '%203.0.113%'") == 0);
  CHECK(node.Count("SELECT count(*) FROM initiative_event e WHERE e::text LIKE '%203.0.113%'") ==
        0);
  // The mark is the documented one: BLAKE2b keyed with the node's secret, drawn once.
  pqxx::connection conn(node.connection_string());
  pqxx::work txn(conn);
  auto key_row = txn.exec("SELECT secret FROM node_secret WHERE name = 'visitor_mark'");
  REQUIRE(key_row.size() == 1);
  pqxx::binarystring key_bytes(key_row[0][0]);
  Hash key;
  REQUIRE(key_bytes.size() == key.size());
  std::copy(key_bytes.begin(), key_bytes.end(), key.begin());
  const std::int64_t period = node::ParticipationPeriod(node::NowSeconds(node.clock), 30);
  for (const std::string kind : {"report", "endorsement"}) {
    pqxx::binarystring stored(txn.exec1("SELECT visitor_mark FROM " + kind)[0]);
    const Hash mark = node::VisitorMark(key, kind, id, "203.0.113.9", period);
    CHECK(stored.str() == AsString(mark));
    CHECK(node::VisitorMark(key, kind, id, "203.0.113.10", period) != mark);
    CHECK(node::VisitorMark(key, kind, id, "203.0.113.9", period + 1) != mark);
  }
  CHECK(node::VisitorMark(key, "report", id, "203.0.113.9", period) !=
        node::VisitorMark(key, "endorsement", id, "203.0.113.9", period));
}

TEST_CASE("the admin outbox shows every private link masked; the delivery gets a working one") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();  // queues "Votre initiative a bien été reçue" with a link
  node.VoteAll(c.members, id, "request_changes");  // and a second message with a new link

  auto outbox = node.Get("/api/admin/outbox", &c.admin);
  REQUIRE(outbox.status == 200);
  REQUIRE(outbox.body["messages"].size() >= 2);
  for (const auto& m : outbox.body["messages"]) {
    const std::string body = m["body"];
    CHECK(body.find("« lien privé masqué »") != std::string::npos);
    CHECK(body.find("#jeton=") == std::string::npos);
    CHECK(body.find("/modifier/") == std::string::npos);
  }
  CHECK(outbox.text.find(token) == std::string::npos);
  // Whatever an admin could take from the outbox as a link is refused.
  CHECK(node.Owner("GET", "/api/initiatives/" + id + "/owner", "« lien privé masqué »").status ==
        401);
  CHECK(node.Owner("GET", "/api/initiatives/" + id + "/owner", "").status == 401);

  // Stored: no token in clear anywhere in the outbox, edit links as their SHA-256 only.
  CHECK(node.Count("SELECT count(*) FROM outbox o WHERE o::text LIKE '%#jeton=%'") == 0);
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE sealed_link IS NULL") == 0);
  CHECK(node.Count("SELECT count(*) FROM edit_link e WHERE e::text LIKE '%" + token + "%'") == 0);
  CHECK(node.Count("SELECT count(*) FROM edit_link WHERE token_hash = sha256(convert_to('" + token +
                   "', 'UTF8'))") == 1);

  // The delivery path opens the sealed link: the newest message's link works for its owner.
  const std::string delivered = node.DeliveredMessage();
  CHECK(delivered.find("Le comité demande des modifications") == 0);
  CHECK(delivered.find("« lien privé masqué »") == std::string::npos);
  CHECK(delivered.find("https://carte.example/modifier/" + id + "#jeton=") != std::string::npos);
  const std::string link = TokenInMessage(delivered);
  CHECK(link != token);
  CHECK(node.Owner("GET", "/api/initiatives/" + id + "/owner", link).status == 200);
  // And so does the first one's (the submission's own link, sent by message too).
  auto all = node.api().initiatives().MessagesToDeliver();
  std::erase_if(all, [&](const node::OutboxMessage& m) { return m.initiative_id != id; });
  REQUIRE(all.size() >= 2);
  CHECK(TokenInMessage(all.back().body) == token);
}

TEST_CASE(
    "an erasure erases the committee's decisions, votes, reasons and proposals about the record") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  auto [id, token] = node.Submit();
  const std::string secret_reason = "Motif très particulier du vote de Bruno";
  // Round 1: changes requested (a decision journalled), with a conflict of interest declared.
  REQUIRE(node.Post("/api/committee/initiatives/" + id + "/conflicts",
                    {{"reason", "Je connais la présidente de l'association"}}, &c.members[2])
              .status == 201);
  Committee voters = c;
  voters.members[2] = node.AddMember(c.admin, "Damien Blanc", "pairs");
  for (std::size_t i = 0; i < voters.members.size(); ++i) {
    auto r = node.Post(
        "/api/committee/initiatives/" + id + "/votes",
        {{"vote", "request_changes"}, {"reason", i == 1 ? secret_reason : "Motif écrit du vote"}},
        &voters.members[i]);
    REQUIRE_MESSAGE(r.status == 201, r.text);
  }
  // Round 2: admitted (a second decision), then an edit proposal waits, and a report and an
  // endorsement are filed.
  auto edited = node.Owner("PUT", "/api/initiatives/" + id + "/owner", token,
                           NodeFixture::ValidInitiative({{"charter", nullptr}}));
  REQUIRE_MESSAGE(edited.status == 200, edited.text);
  node.VoteAll(voters.members, id, "admit");
  REQUIRE(Staff(node, id, c.admin)["status"] == "admitted");
  auto proposed = node.Owner(
      "PUT", "/api/initiatives/" + id + "/owner", token,
      NodeFixture::ValidInitiative({{"name", "Nom proposé au comité"}, {"charter", nullptr}}));
  REQUIRE_MESSAGE(proposed.status == 202, proposed.text);
  REQUIRE(node.Post(Reports(id), {{"reason", "closed"}, {"comment", "Commentaire du signalement"}})
              .status == 201);
  REQUIRE(node.Post(Endorsements(id), {{"comment", "Commentaire du soutien"}}).status == 201);
  auto history = node.Get("/api/initiatives/" + id + "/history", &c.members[0]);
  REQUIRE(history.status == 200);
  REQUIRE(history.body["decisions"].size() == 2);
  const std::size_t start = node.JournalSize();

  auto erased = node.Owner("POST", "/api/initiatives/" + id + "/owner/erase", token);
  REQUIRE_MESSAGE(erased.status == 200, erased.text);

  // The journal: one tombstone per journalled decision, then the initiative's.
  CHECK(node.JournalKinds(start) == std::vector<std::string>{"erase:committee_decision",
                                                             "erase:committee_decision",
                                                             "erase:initiative"});
  std::set<std::string> decision_ids;
  for (const auto& d : history.body["decisions"]) decision_ids.insert(d["id"].get<std::string>());
  for (const auto& record : node.VerifiedJournal()) {  // every entry still verifies
    const std::string record_id = RecordIdToString(record.entry.record_id);
    if (record.entry.operation == Operation::kErase) {
      REQUIRE(record.payload);
      CHECK(*record.payload == json{{"reason", "demande d'effacement du porteur"}});
    } else if (record_id == id || decision_ids.count(record_id)) {
      CHECK_FALSE(record.payload);
    }
    if (record.payload) CHECK(record.payload->dump().find(id) == std::string::npos);
  }
  // Nothing of it in any payload left in the log, nor in the node's committee tables.
  CHECK(node.Count("SELECT count(*) FROM log_entry WHERE position(convert_to('" + id +
                   "', 'UTF8') in coalesce(payload, ''::bytea)) > 0") == 0);
  CHECK(node.Count("SELECT count(*) FROM log_entry WHERE position(convert_to('" + secret_reason +
                   "', 'UTF8') in coalesce(payload, ''::bytea)) > 0") == 0);
  for (const char* table :
       {"committee_vote", "conflict_of_interest", "committee_decision", "edit_proposal", "report",
        "endorsement", "initiative_event", "outbox", "edit_link"}) {
    CAPTURE(table);
    CHECK(node.Count(std::string("SELECT count(*) FROM ") + table + " t WHERE t::text LIKE '%" +
                     id + "%'") == 0);
  }
  CHECK(node.Count("SELECT count(*) FROM committee_vote v WHERE v::text LIKE '%Bruno%'") == 0);
  CHECK(node.Count("SELECT count(*) FROM erased_initiative") == 1);
  // The committee's views: gone, not in the queue.
  CHECK(node.Get("/api/initiatives/" + id + "/history", &c.members[0]).status == 404);
  CHECK(node.Get("/api/committee/initiatives/" + id + "/reports", &c.members[0])
            .body.dump()
            .find("Commentaire du signalement") == std::string::npos);
  CHECK(node.Get("/api/committee/queue", &c.members[0]).body["items"].empty());
}

TEST_CASE("migration 120 masks the links queued in clear before it") {
  TestDatabase db;
  pqxx::connection conn(db.connection_string());
  std::vector<Migration> before, all = node::NodeMigrations();
  for (const Migration& m : all) {
    if (m.version < 120) before.push_back(m);
  }
  ApplyMigrations(conn, before);
  {
    pqxx::work txn(conn);
    txn.exec(
        "INSERT INTO outbox (recipient, subject, body, created_at) VALUES ('marie@perso.example', "
        "'Votre lien', E'Voici votre lien :\\nhttps://carte.example/modifier/"
        "00000000-0000-4000-8000-000000000001#jeton=" +
        std::string(64, 'a') + "\\nÀ bientôt', now())");
    txn.commit();
  }
  ApplyMigrations(conn, all);
  pqxx::work txn(conn);
  CHECK(txn.exec1("SELECT body FROM outbox")[0].as<std::string>() ==
        "Voici votre lien :\n« lien privé masqué »\nÀ bientôt");
}
