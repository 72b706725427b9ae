// What the web pages need beside the node's workflows: the committee's reads (the last
// admitted revision, for the diff; the reports with their comments), the admin's reads (the
// region's rules, the replication state), and the site in front of the API (WebSite: pages,
// shared modules, Leaflet from npm, page aliases, security headers, the API first).
#include <doctest/doctest.h>

#include <filesystem>

#include "http/web_site.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

std::string HeaderOf(const HttpResponse& res, const std::string& name) {
  for (const auto& [k, v] : res.headers) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

TEST_CASE("committee reads: last admitted revision and reports, staff only") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  std::vector<Session> members = {node.AddMember(admin, "Alice Martin", "usagers", "chair"),
                                  node.AddMember(admin, "Bruno Petit", "pairs"),
                                  node.AddMember(admin, "Chloé Roux", "partenaires")};
  auto [id, token] = node.Submit();
  const std::string revision = "/api/committee/initiatives/" + id + "/admitted-revision";
  const std::string reports = "/api/committee/initiatives/" + id + "/reports";

  CHECK(node.Get(revision).status == 401);
  CHECK(node.Get(reports).status == 401);
  CHECK(node.Get("/api/committee/initiatives/not-a-uuid/admitted-revision", &members[0]).status == 404);
  auto never = node.Get(revision, &members[0]);
  REQUIRE_MESSAGE(never.status == 200, never.text);
  CHECK(never.body["revision"].is_null());

  node.VoteAll(members, id, "admit");
  auto admitted = node.Get(revision, &admin);
  REQUIRE(admitted.status == 200);
  CHECK(admitted.body["revision"]["payload"]["status"] == "admitted");
  CHECK(admitted.body["revision"]["payload"]["name"] == "Épicerie solidaire du Panier");
  const int admitted_version = admitted.body["revision"]["version"];
  CHECK(admitted_version >= 2);

  CHECK(node.Get(reports, &members[0]).body["reports"].empty());
  auto reported = node.Post("/api/initiatives/" + id + "/reports",
                            {{"reason", "charter_breach"}, {"comment", "Les prix ne sont pas ceux affichés."}});
  REQUIRE_MESSAGE(reported.status == 201, reported.text);
  auto list = node.Get(reports, &members[2]);
  REQUIRE(list.body["reports"].size() == 1);
  CHECK(list.body["reports"][0]["reason"] == "charter_breach");
  CHECK(list.body["reports"][0]["comment"] == "Les prix ne sont pas ceux affichés.");
  CHECK(list.body["reports"][0]["handled"] == false);
  CHECK(list.body["reports"][0]["created_at"].get<std::string>().ends_with("Z"));

  // An admitted initiative's owner edit stays admitted: it is the new admitted revision.
  json edit = NodeFixture::ValidInitiative({{"name", "Épicerie du Panier"}, {"charter", nullptr}});
  auto edited = node.Owner("PUT", "/api/initiatives/" + id + "/owner", token, edit);
  REQUIRE_MESSAGE(edited.status == 200, edited.text);
  REQUIRE(edited.body["status"] == "admitted");
  auto live = node.Get(revision, &members[1]);
  CHECK(live.body["revision"]["payload"]["name"] == "Épicerie du Panier");
  const int live_version = live.body["revision"]["version"];
  CHECK(live_version > admitted_version);

  // The committee asks for changes; the owner's next edit goes back under review: the diff
  // is against the last admitted revision, not the latest one.
  auto reopened =
      node.Post("/api/committee/initiatives/" + id + "/reviews", {{"reason", "Vérifier les horaires"}}, &members[0]);
  REQUIRE_MESSAGE(reopened.status == 201, reopened.text);
  node.VoteAll(members, id, "request_changes");
  auto link = node.Post("/api/admin/initiatives/" + id + "/edit-links", json::object(), &admin);
  REQUIRE_MESSAGE(link.status == 201, link.text);
  edit["name"] = "Épicerie du Panier, ouverte le dimanche";
  auto changed = node.Owner("PUT", "/api/initiatives/" + id + "/owner", link.body["edit_token"], edit);
  REQUIRE_MESSAGE(changed.status == 200, changed.text);
  CHECK(changed.body["status"] == "pending");
  auto under_review = node.Get(revision, &members[2]);
  CHECK(under_review.body["revision"]["payload"]["name"] == "Épicerie du Panier");
  CHECK(under_review.body["revision"]["version"] == live_version);
  CHECK(node.Get("/api/initiatives/" + id, &members[2]).body["name"] == "Épicerie du Panier, ouverte le dimanche");
}

TEST_CASE("admin reads: the region's rules and the replication state, admins only") {
  NodeFixture node;
  Session admin = node.Admin();
  Session member = node.AddMember(admin, "Alice Martin", "usagers");
  CHECK(node.Get("/api/admin/settings").status == 401);
  CHECK(node.Get("/api/admin/settings", &member).status == 403);
  CHECK(node.Get("/api/admin/sync", &member).status == 403);

  auto settings = node.Get("/api/admin/settings", &admin);
  REQUIRE_MESSAGE(settings.status == 200, settings.text);
  CHECK(settings.body["region"] == "93");
  CHECK(settings.body["decision_rule"]["quorum"] == 3);
  CHECK(settings.body["decision_rule"]["min_colleges"] == 2);
  CHECK(settings.body["colleges"] == json({"usagers", "pairs", "partenaires"}));
  CHECK(settings.body["freshness"]["validity_days"] == 365);
  CHECK(settings.body["freshness"]["grace_days"] == 60);
  CHECK(settings.body["report_threshold"] == 3);
  CHECK(settings.body["edit_link_days"] == 60);

  auto before = node.Get("/api/admin/sync", &admin);
  REQUIRE(before.status == 200);
  CHECK(before.body["log_size"] == node.JournalSize());
  CHECK(before.body["hub"].is_null());
  node.pool().WithTransaction([](pqxx::work& txn) {
    txn.exec(
        "INSERT INTO hub_sync_state (region, hub_tree_size, hub_region_status, last_contact_at, "
        "last_receipt_size, append_blocked) VALUES ('93', 1, 'active', now(), 1, false)");
  });
  auto after = node.Get("/api/admin/sync", &admin);
  CHECK(after.body["hub"]["tree_size"] == 1);
  CHECK(after.body["hub"]["region_status"] == "active");
  CHECK(after.body["hub"]["last_receipt_size"] == 1);
  CHECK(after.body["hub"]["append_blocked"] == false);
  CHECK(after.body["hub"]["last_error"].is_null());
  CHECK(after.body["hub"]["last_contact_at"].get<std::string>().ends_with("Z"));
}

TEST_CASE("the site in front of the API: pages, modules, Leaflet, aliases, headers") {
  std::vector<std::string> api_paths;
  HttpHandler api = [&](const HttpRequest& r) {
    api_paths.push_back(r.path);
    return HttpResponse::Error(404, "not_found", "Ressource introuvable.");
  };
  WebSite site(api, {ESS_WEB_ROOT, "node", "https://{s}.tile.example.org/{z}/{x}/{y}.png", "© tuiles"},
               {{"region", "93"}});
  site.AddPageAlias("/modifier/", "modifier.html");
  auto get = [&](const std::string& path, const std::string& method = "GET") {
    HttpRequest r;
    r.method = method;
    r.path = path;
    return site(r);
  };

  auto home = get("/");
  REQUIRE(home.status == 200);
  CHECK(home.content_type == "text/html; charset=utf-8");
  CHECK(home.body.find("/index.js") != std::string::npos);
  const std::string policy = HeaderOf(home, "Content-Security-Policy");
  CHECK(policy.find("script-src 'self'") != std::string::npos);
  CHECK(policy.find("unsafe-inline") == std::string::npos);
  CHECK(policy.find("frame-ancestors 'none'") != std::string::npos);
  CHECK(policy.find("img-src 'self' data: https://*.tile.example.org;") != std::string::npos);
  CHECK(HeaderOf(home, "X-Frame-Options") == "DENY");
  CHECK(HeaderOf(home, "Referrer-Policy") == "no-referrer");
  CHECK(HeaderOf(home, "X-Content-Type-Options") == "nosniff");

  CHECK(get("/common/api.js").content_type == "text/javascript; charset=utf-8");
  CHECK(get("/comite/initiative.html").status == 200);
  if (std::filesystem::exists(std::string(ESS_WEB_ROOT) + "/node_modules/leaflet/dist")) {
    CHECK(get("/vendor/leaflet/leaflet-src.esm.js").status == 200);
    CHECK(get("/vendor/leaflet/leaflet.css").content_type == "text/css; charset=utf-8");
  }
  auto edit = get("/modifier/6f1c2d3e-0000-4000-8000-000000000001");
  CHECK(edit.status == 200);
  CHECK(edit.body.find("/modifier.js") != std::string::npos);
  auto folder = get("/comite");
  CHECK(folder.status == 308);
  CHECK(HeaderOf(folder, "Location") == "/comite/");
  auto settings = nlohmann::json::parse(get("/site.json").body);
  CHECK(settings["site"] == "node");
  CHECK(settings["region"] == "93");
  CHECK(settings["tile_url"] == "https://{s}.tile.example.org/{z}/{x}/{y}.png");

  // The API first; no file outside the web root; what no file matches goes to the API.
  CHECK(api_paths.empty());
  auto answered = get("/api/initiatives");
  CHECK(HeaderOf(answered, "Content-Security-Policy") == "default-src 'none'; frame-ancestors 'none'");
  get("/healthz");
  get("/../CMakeLists.txt");
  get("/common/../../CMakeLists.txt");
  get("/nothing-here.html");
  get("/", "POST");
  CHECK(api_paths == std::vector<std::string>{"/api/initiatives", "/healthz", "/../CMakeLists.txt",
                                              "/common/../../CMakeLists.txt", "/nothing-here.html", "/"});

  // A tile URL that tries to add a directive is left out of the policy.
  CHECK(WebSite::PagePolicy("https://evil.example; script-src *").find("evil") == std::string::npos);
  CHECK(WebSite::PagePolicy("").find("img-src 'self' data:;") != std::string::npos);

  // No web root: the API alone.
  WebSite bare(api, {"", "hub", "", ""});
  HttpRequest r;
  r.method = "GET";
  r.path = "/";
  CHECK(bare(r).status == 404);
}
