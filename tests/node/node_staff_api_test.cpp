// Staff endpoints not covered by the workflows: accounts, password change, members list,
// admin edits, charter versions, the log checkpoint and the referential.
#include <doctest/doctest.h>

#include "core/checkpoint.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

TEST_CASE("accounts, password change, members, admin edits, charter versions, checkpoint, referential") {
  NodeFixture node;
  CHECK(node.Get("/api/log/checkpoint").status == 404);
  Session admin = node.Admin();
  node.PublishCharter(admin, "Charte v1");
  node.PublishCharter(admin, "Charte v2");
  auto versions = node.Get("/api/charter/versions");
  REQUIRE(versions.body["versions"].size() == 2);
  CHECK(versions.body["versions"][1]["text"] == "Charte v2");

  // Another admin, then a password change.
  auto second = node.Post("/api/admin/accounts",
                          {{"email", "Second@Example.org"}, {"name", "Seconde"}, {"password", "un-mot-de-passe"}}, &admin);
  REQUIRE_MESSAGE(second.status == 201, second.text);
  CHECK(second.body["email"] == "second@example.org");
  CHECK(node.Post("/api/admin/accounts", {{"email", "second@example.org"}, {"name", "Encore"}, {"password", "un-mot-de-passe"}},
                  &admin)
            .body["code"] == "email_taken");
  CHECK(node.Post("/api/admin/accounts", {{"email", "x@example.org"}, {"name", "Xavier"}, {"password", "court"}}, &admin)
            .body["code"] == "weak_password");
  Session other = node.Login("second@example.org", "un-mot-de-passe");
  CHECK(node.Post("/api/session/password", {{"current_password", "faux-mot-de-passe"}, {"new_password", "nouveau-mot-de-passe"}},
                  &other)
            .status == 403);
  CHECK(node.Post("/api/session/password", {{"current_password", "un-mot-de-passe"}, {"new_password", "nouveau-mot-de-passe"}},
                  &other)
            .status == 200);
  CHECK(node.Post("/api/session", {{"email", "second@example.org"}, {"password", "un-mot-de-passe"}}).status == 401);
  node.Login("second@example.org", "nouveau-mot-de-passe");
  auto me = node.Get("/api/session", &other);
  CHECK(me.body["account"]["role"] == "admin");

  Session member = node.AddMember(admin, "Alice Martin", "usagers", "chair");
  auto members = node.Get("/api/committee/members", &member);
  REQUIRE(members.status == 200);
  CHECK(members.body["members"].size() == 1);
  CHECK(members.body["rule"]["quorum"] == 3);
  CHECK(node.Post("/api/admin/committee/members",
                  {{"name", "Bob"}, {"email", "bob@example.org"}, {"college", "inconnu"}}, &admin)
            .body["code"] == "unknown_college");

  // The admin edits an initiative: journalled, validated like any entry.
  auto [id, token] = node.Submit({}, 2);
  const std::size_t journal = node.JournalSize();
  json edit = NodeFixture::ValidInitiative({{"name", "Épicerie du Panier (corrigé)"},
                                            {"charter", nullptr},
                                            {"reason", "Nom corrigé à la demande du porteur"}});
  auto edited = node.Call("PUT", "/api/admin/initiatives/" + id, edit, &admin);
  REQUIRE_MESSAGE(edited.status == 200, edited.text);
  CHECK(edited.body["name"] == "Épicerie du Panier (corrigé)");
  CHECK(node.JournalKinds(journal) == std::vector<std::string>{"initiative"});
  CHECK(node.Call("PUT", "/api/admin/initiatives/" + id,
                  NodeFixture::ValidInitiative(
                      {{"commune", "75056"}, {"charter", nullptr}, {"reason", "Adresse corrigée"}}),
                  &admin)
            .body["code"] == "wrong_region");
  auto history = node.Get("/api/initiatives/" + id + "/history", &admin);
  CHECK(history.body["events"].back()["actor"] == "admin:admin@example.org");

  // The signed checkpoint is served, and the referential as loaded.
  auto checkpoint = node.Get("/api/log/checkpoint");
  REQUIRE(checkpoint.status == 200);
  Checkpoint parsed;
  CHECK(ParseCheckpointText(checkpoint.text.substr(0, checkpoint.text.find("\n\n") + 1), parsed).ok());
  CHECK(parsed.size == node.JournalSize());
  auto referential = node.Get("/api/referential");
  REQUIRE(referential.status == 200);
  CHECK(referential.body["version"] == TestReferential()->version());
  // An empty parameter counts as absent, as at the hub (core's QueryParam).
  auto empty_without = node.Get("/api/referential?without=");
  REQUIRE(empty_without.status == 200);
  CHECK(empty_without.body.contains("communes"));
  CHECK_FALSE(node.Get("/api/referential?without=communes").body.contains("communes"));
  CHECK(node.Get("/api/referential?without=regions").status == 422);

  // Logout with the CSRF token only.
  CHECK(node.Call("DELETE", "/api/session", std::nullopt, &other, {{"X-CSRF-Token", "x"}}).status == 403);
  CHECK(node.Call("DELETE", "/api/session", std::nullopt, &other).status == 200);
}
