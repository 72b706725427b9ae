// Governance safeguards (issue 15, point 5): rules the committee cannot meet are refused by
// either door (the settings, a member's change), the last chair stays, a new charter goes
// through a preview and a confirmation of the listings it sends back for re-adherence, and
// members are invited by a one-time link sent through the outbox to choose their password.
#include <doctest/doctest.h>

#include "tests/node/committee_fixtures.h"

using namespace ess;
using namespace ess::test;

namespace {

void CheckRefused(const Reply& r, int status, const std::string& code, const std::string& field,
                  const std::string& message_part = "") {
  CHECK_MESSAGE(r.status == status, r.text);
  CHECK(r.body["code"] == code);
  if (!field.empty()) CHECK(r.body["field"] == field);
  if (!message_part.empty()) {
    CHECK_MESSAGE(r.body["message"].get<std::string>().find(message_part) != std::string::npos,
                  r.text);
  }
}

Reply Patch(NodeFixture& node, const Session& admin, const Session& member, const json& body) {
  return node.Call("PATCH", "/api/admin/committee/members/" + member.member_id, body, &admin);
}

}  // namespace

TEST_CASE("settings the committee cannot meet are refused with a message naming the field") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();  // 3 members: usagers x2, pairs (chair)
  const Session& admin = c.admin;
  auto put = [&](const json& changes) {
    return node.Call("PUT", "/api/admin/settings", TestRegionRules(changes), &admin);
  };
  CheckRefused(put({{"decision_rule", {{"quorum", 10}}}}), 422, "quorum_unreachable",
               "decision_rule.quorum", "membres actifs du comité (3)");
  CheckRefused(put({{"decision_rule", {{"min_colleges", 3}}}}), 422, "colleges_unreachable",
               "decision_rule.min_colleges", "ont un membre actif (2)");
  CheckRefused(
      put({{"colleges", {"usagers", "partenaires"}}, {"decision_rule", {{"min_colleges", 1}}}}),
      422, "college_in_use", "colleges", "Chloé Roux (pairs)");
  CHECK(node.Get("/api/admin/settings", &admin).body["revision"] == 1);
  // Meetable rules pass, and a change of what they do not touch passes as before.
  auto ok = put({{"decision_rule", {{"quorum", 2}}}});
  CHECK_MESSAGE(ok.status == 200, ok.text);
  CHECK(put({{"decision_rule", {{"quorum", 2}}}, {"report_threshold", 5}}).status == 200);
}

TEST_CASE(
    "a fresh node keeps its first rules until its committee is named; other settings still "
    "change") {
  NodeFixture node;
  Session admin = node.Admin();
  CHECK(node.Call("PUT", "/api/admin/settings", TestRegionRules({{"report_threshold", 4}}), &admin)
            .status == 200);
  CheckRefused(node.Call("PUT", "/api/admin/settings",
                         TestRegionRules({{"decision_rule", {{"quorum", 2}}}}), &admin),
               422, "quorum_unreachable", "decision_rule.quorum");
}

TEST_CASE("a member's change may not make the rules impossible, nor remove the last chair") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();
  const Session& admin = c.admin;
  const std::size_t journal = node.JournalSize();
  // Three active members for a quorum of 3: none may leave, Chloé may not leave « pairs ».
  CheckRefused(Patch(node, admin, c.members[0], {{"active", false}}), 422, "quorum_unreachable",
               "active", "impossibles à tenir");
  CheckRefused(Patch(node, admin, c.members[2], {{"college", "usagers"}}), 422,
               "colleges_unreachable", "college");
  // Chloé is the only chair.
  CheckRefused(Patch(node, admin, c.members[2], {{"role", "member"}}), 422, "last_chair", "role",
               "seule présidence");
  CHECK(node.JournalSize() == journal);
  // With a fourth member, one may leave; with a second chair, the first may step down.
  Session dana = node.AddMember(admin, "Dana Roy", "partenaires");
  CHECK(Patch(node, admin, c.members[0], {{"active", false}}).status == 200);
  CheckRefused(Patch(node, admin, c.members[2], {{"active", false}}), 422, "last_chair", "active");
  CHECK(Patch(node, admin, dana, {{"role", "chair"}}).status == 200);
  CHECK(Patch(node, admin, c.members[2], {{"role", "member"}}).status == 200);
}

TEST_CASE("a new charter: preview counts the listings to re-adhere, publication needs that count") {
  NodeFixture node;
  Committee c = node.SetUpCommittee();  // charter v1 published
  const Session& admin = c.admin;
  node.Submit();
  CheckRefused(node.Post("/api/admin/charter/preview", {{"text", " \n "}}, &admin), 422, "required",
               "text");
  CheckRefused(
      node.Post("/api/admin/charter/preview", {{"text", "Charte régionale de l'ESS"}}, &admin), 422,
      "unchanged", "text", "version 1");
  const json draft = {{"text", "Charte régionale de l'ESS, version 2"}, {"readhesion_days", 30}};
  auto preview = node.Post("/api/admin/charter/preview", draft, &admin);
  REQUIRE_MESSAGE(preview.status == 200, preview.text);
  CHECK(preview.body == json{{"listings_to_readhere", 1}, {"current_version", 1}});
  // Nothing was written by the preview.
  CHECK(node.Get("/api/charter").body["version"] == 1);
  // Without the confirmation, or with a count that is no longer right: refused, nothing published.
  CheckRefused(node.Post("/api/admin/charter", draft, &admin), 422, "confirmation_required",
               "confirm_listings");
  node.Submit({{"name", "Garage solidaire"}});
  const long long messages = node.Count("SELECT count(*) FROM outbox");
  json confirmed = draft;
  confirmed["confirm_listings"] = 1;
  CheckRefused(node.Post("/api/admin/charter", confirmed, &admin), 409, "readhesion_count_changed",
               "confirm_listings", "1 confirmées, 2 maintenant");
  CHECK(node.Get("/api/charter").body["version"] == 1);
  CHECK(node.Count("SELECT count(*) FROM outbox") == messages);
  confirmed["confirm_listings"] = 2;
  auto published = node.Post("/api/admin/charter", confirmed, &admin);
  REQUIRE_MESSAGE(published.status == 201, published.text);
  CHECK(published.body["readhesions_asked"] == 2);
  CheckRefused(node.Post("/api/admin/charter", confirmed, &admin), 422, "unchanged", "text");
}

TEST_CASE("members are invited by a one-time link sealed in the outbox and choose their password") {
  NodeFixture node;
  Session admin = node.Admin();
  auto added = node.Post(
      "/api/admin/committee/members",
      {{"name", "Inès Faure"}, {"email", "ines@example.org"}, {"college", "usagers"}}, &admin);
  REQUIRE_MESSAGE(added.status == 201, added.text);
  const std::string member_id = added.body["id"];
  // The message: to the member, its link sealed (the admin's outbox and the table never hold it).
  auto outbox = node.Get("/api/admin/outbox", &admin).body["messages"];
  REQUIRE(outbox.size() == 1);
  CHECK(outbox[0]["recipient"] == "ines@example.org");
  CHECK(outbox[0]["body"].get<std::string>().find("« lien privé masqué »") != std::string::npos);
  CHECK(node.Count(
            "SELECT count(*) FROM outbox WHERE body LIKE '%jeton%' OR sealed_link IS NULL") == 0);
  CHECK(node.Count("SELECT count(*) FROM outbox WHERE kind = 'member_invitation'") == 1);
  const std::string delivered = node.DeliveredMessage(0);
  CHECK(delivered.find(node.context().settings.public_url + "/invitation.html#jeton=") !=
        std::string::npos);
  const std::string token = TokenInMessage(delivered);
  CHECK(node.Count("SELECT count(*) FROM member_invitation WHERE used_at IS NULL") == 1);

  // No usable password before the link is used.
  CHECK(node.Post("/api/session", {{"email", "ines@example.org"}, {"password", ""}}).status == 401);
  // (Checked against the dummy hash of unknown emails, so that timing does not tell an
  // invited account apart: that hash's own password does not open it either.)
  CHECK(node.Post("/api/session",
                  {{"email", "ines@example.org"}, {"password", "ess-federation-dummy-password"}})
            .status == 401);
  auto pending = node.Get("/api/admin/committee/invitations", &admin);
  REQUIRE(pending.body["invitations"].size() == 1);
  CHECK(pending.body["invitations"][0]["member"] == member_id);

  // A wrong or malformed token is refused.
  CheckRefused(node.Post("/api/invitation", {{"token", std::string(64, 'a')}}), 401,
               "invitation_invalid", "");
  CheckRefused(node.Post("/api/invitation", {{"token", "x"}}), 401, "invitation_invalid", "");
  auto check = node.Post("/api/invitation", {{"token", token}});
  REQUIRE_MESSAGE(check.status == 200, check.text);
  CHECK(check.body["name"] == "Inès Faure");
  CHECK(check.body["email"] == "ines@example.org");
  // The password rules apply; then the link works once.
  CheckRefused(
      node.Post("/api/invitation/password", {{"token", token}, {"password", "123456789012"}}), 422,
      "weak_password", "password");
  auto set = node.Post("/api/invitation/password",
                       {{"token", token}, {"password", "mot-de-passe-d-ines"}});
  REQUIRE_MESSAGE(set.status == 200, set.text);
  Session ines = node.Login("ines@example.org", "mot-de-passe-d-ines");
  CHECK(ines.member_id == member_id);
  CheckRefused(node.Post("/api/invitation/password",
                         {{"token", token}, {"password", "autre-mot-de-passe-x"}}),
               401, "invitation_used", "");
  CHECK(node.Get("/api/admin/committee/invitations", &admin).body["invitations"].empty());
  CheckRefused(node.Post("/api/admin/committee/members/" + member_id + "/invitation",
                         json::object(), &admin),
               409, "password_set", "");
}

TEST_CASE("an invitation expires; inviting again revokes the earlier link") {
  NodeFixture node;
  Session admin = node.Admin();
  auto added = node.Post(
      "/api/admin/committee/members",
      {{"name", "Jules Morel"}, {"email", "jules@example.org"}, {"college", "pairs"}}, &admin);
  REQUIRE(added.status == 201);
  const std::string first = TokenInMessage(node.DeliveredMessage(0));
  node.AdvanceDays(8);
  admin = node.Renew(admin);
  CheckRefused(node.Post("/api/invitation", {{"token", first}}), 401, "invitation_expired", "");
  auto again = node.Post(
      "/api/admin/committee/members/" + added.body["id"].get<std::string>() + "/invitation",
      json::object(), &admin);
  REQUIRE_MESSAGE(again.status == 201, again.text);
  CHECK(again.body.contains("expires_at"));
  CHECK_FALSE(again.body.contains("token"));
  const std::string second = TokenInMessage(node.DeliveredMessage(0));
  CHECK(second != first);
  CheckRefused(node.Post("/api/invitation/password",
                         {{"token", first}, {"password", "mot-de-passe-de-jules"}}),
               401, "invitation_used", "");
  CHECK(node.Post("/api/invitation/password",
                  {{"token", second}, {"password", "mot-de-passe-de-jules"}})
            .status == 200);
  node.Login("jules@example.org", "mot-de-passe-de-jules");
  CheckRefused(
      node.Post("/api/admin/committee/members/00000000-0000-4000-8000-000000000000/invitation",
                json::object(), &admin),
      404, "not_found", "");
}
