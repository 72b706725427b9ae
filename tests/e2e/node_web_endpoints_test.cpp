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
  const int admitted_version = admitted.body["revision"]["record_version"];
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

  // An admitted initiative's owner edit is a proposal: the admitted revision stays, the
  // committee reads both side by side.
  const std::string proposal = "/api/committee/initiatives/" + id + "/proposal";
  CHECK(node.Get(proposal).status == 401);
  auto none = node.Get(proposal, &members[0]);
  REQUIRE_MESSAGE(none.status == 200, none.text);
  CHECK(none.body["proposal"].is_null());
  CHECK(none.body["admitted"]["record_version"] == admitted_version);
  json edit = NodeFixture::ValidInitiative({{"name", "Épicerie du Panier"}, {"commune", "13001"}, {"postcode", nullptr},
                                            {"latitude", nullptr}, {"longitude", nullptr}, {"charter", nullptr}});
  auto edited = node.Owner("PUT", "/api/initiatives/" + id + "/owner", token, edit);
  REQUIRE_MESSAGE(edited.status == 202, edited.text);
  CHECK(edited.body["status"] == "admitted");
  CHECK(edited.body["name"] == "Épicerie solidaire du Panier");
  CHECK(edited.body["proposal"]["payload"]["name"] == "Épicerie du Panier");
  CHECK(edited.body["proposal"]["state"] == "under_review");
  auto side_by_side = node.Get(proposal, &members[1]);
  REQUIRE(side_by_side.status == 200);
  CHECK(side_by_side.body["admitted"]["payload"]["name"] == "Épicerie solidaire du Panier");
  CHECK(side_by_side.body["admitted"]["commune_name"] == "Marseille");
  CHECK(side_by_side.body["proposal"]["payload"]["name"] == "Épicerie du Panier");
  CHECK(side_by_side.body["proposal"]["payload"]["commune"] == "13001");
  CHECK(side_by_side.body["proposal"]["commune_name"] == "Aix-en-Provence");
  CHECK(side_by_side.body["proposal"]["private"]["contact_phone"] == "06 12 34 56 78");
  CHECK(side_by_side.body["proposal"]["proposed_by"] == "owner");
  CHECK(node.Get(revision, &members[1]).body["revision"]["record_version"] == admitted_version);
  node.VoteAll(members, id, "admit");
  auto live = node.Get(revision, &members[1]);
  CHECK(live.body["revision"]["payload"]["name"] == "Épicerie du Panier");
  CHECK(live.body["revision"]["commune_name"] == "Aix-en-Provence");
  const int live_version = live.body["revision"]["record_version"];
  CHECK(live_version > admitted_version);
  CHECK(node.Get(proposal, &members[1]).body["proposal"].is_null());

  // The committee asks for changes on the initiative itself; the owner's next edit goes back
  // under review as pending: the diff is against the last admitted revision, not the latest.
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
  CHECK(changed.body["proposal"].is_null());
  auto under_review = node.Get(revision, &members[2]);
  CHECK(under_review.body["revision"]["payload"]["name"] == "Épicerie du Panier");
  CHECK(under_review.body["revision"]["record_version"] == live_version);
  CHECK(node.Get("/api/initiatives/" + id, &members[2]).body["name"] == "Épicerie du Panier, ouverte le dimanche");
}

TEST_CASE("the referential without its communes, cached by ETag; the region's communes as one types") {
  NodeFixture node;
  auto full = node.Get("/api/referential");
  REQUIRE(full.status == 200);
  auto light = node.Get("/api/referential?without=communes");
  REQUIRE_MESSAGE(light.status == 200, light.text);
  CHECK_FALSE(light.body.contains("communes"));
  CHECK(light.body["version"] == full.body["version"]);
  CHECK(light.body["activities"] == full.body["activities"]);
  CHECK(light.body["departments"] == full.body["departments"]);
  CHECK(light.text.size() * 50 < full.text.size());  // a few kilobytes instead of megabytes
  const std::string etag = light.headers["etag"];
  CHECK(etag.size() == 34);
  CHECK(etag != full.headers["etag"]);
  CHECK(light.headers["cache-control"] == "public, max-age=300");
  auto again = node.Call("GET", "/api/referential?without=communes", std::nullopt, nullptr, {{"If-None-Match", etag}});
  CHECK(again.status == 304);
  CHECK(again.text.empty());
  CHECK(again.headers["etag"] == etag);
  CHECK(node.Call("GET", "/api/referential", std::nullopt, nullptr, {{"If-None-Match", etag}}).status == 200);
  CHECK(node.Call("GET", "/api/referential", std::nullopt, nullptr, {{"If-None-Match", full.headers["etag"]}}).status == 304);
  CHECK(node.Get("/api/referential?without=regions").status == 422);

  auto names = [&](const std::string& query) {
    auto r = node.Get("/api/communes?" + query);
    REQUIRE_MESSAGE(r.status == 200, r.text);
    std::vector<std::string> out;
    for (const auto& c : r.body["communes"]) out.push_back(c["name"]);
    return out;
  };
  auto marseille = node.Get("/api/communes?q=marse");
  REQUIRE(marseille.body["communes"].size() >= 1);
  // With its reference point, where a record without a pin is placed (exact for Marseille).
  CHECK(marseille.body["communes"][0] ==
        json{{"code", "13055"},
             {"name", "Marseille"},
             {"department", "13"},
             {"postcodes", marseille.body["communes"][0]["postcodes"]},
             {"latitude", 43.24963},
             {"longitude", 5.38048},
             {"approximate", false}});
  auto banon = node.Get("/api/communes?code=04018");
  REQUIRE(banon.body["communes"].size() == 1);
  CHECK(banon.body["communes"][0]["approximate"] == true);  // an approximated point
  CHECK(banon.body["communes"][0]["latitude"].is_number());
  CHECK(marseille.body["communes"][0]["postcodes"].size() == 16);
  CHECK(names("q=%C3%A8ze").at(0) == "Èze");
  CHECK(names("q=EZE").at(0) == "Èze");
  CHECK(names("q=tropez") == std::vector<std::string>{"Saint-Tropez"});
  CHECK(names("q=aix-en").at(0) == "Aix-en-Provence");
  CHECK(names("q=a&limit=5").size() == 5);
  CHECK(names("q=paris").empty());  // not in the region
  CHECK(names("code=13001") == std::vector<std::string>{"Aix-en-Provence"});
  CHECK(names("code=75056").empty());
  CHECK(node.Get("/api/communes").status == 422);
  CHECK(node.Get("/api/communes?q=mar&limit=500").body["field"] == "limit");

  NodeFixture bare(TestSettings(), /*with_referential=*/false);
  CHECK(bare.Get("/api/referential?without=communes").body["code"] == "no_referential");
  CHECK(bare.Get("/api/communes?q=mar").status == 503);
}

TEST_CASE("admin reads: the region's rules and the replication state, admins only") {
  NodeFixture node;
  Session admin = node.Admin();
  Session member = node.AddMember(admin, "Alice Martin", "usagers");
  CHECK(node.Get("/api/admin/settings").status == 401);
  CHECK(node.Get("/api/admin/settings", &member).status == 403);
  CHECK(node.Get("/api/admin/replication", &member).status == 403);

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
  CHECK(settings.body["revision"] == 1);

  auto before = node.Get("/api/admin/replication", &admin);
  REQUIRE(before.status == 200);
  CHECK(before.body["log_size"] == node.JournalSize());
  CHECK(before.body["hub"].is_null());
  node.pool().WithTransaction([](pqxx::work& txn) {
    txn.exec(
        "INSERT INTO hub_replication_state (region, hub_tree_size, hub_region_status, "
        "last_contact_at, "
        "last_receipt_size, append_blocked) VALUES ('93', 1, 'active', now(), 1, false)");
  });
  auto after = node.Get("/api/admin/replication", &admin);
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

TEST_CASE("GET /api/log/key: the region's log key and its fingerprint, as the hub shows them") {
  NodeFixture node;
  auto res = node.Get("/api/log/key");
  REQUIRE(res.status == 200);
  const json& key = res.body;
  const auto& log = node.context().log_writer;
  CHECK(key["origin"] == log.origin());
  CHECK(key["fingerprint"] == KeyFingerprint(log.public_key()));
  // The verifier key names the log and carries the same public key.
  auto parsed = ParseVerifierKey(key["verifier_key"].get<std::string>());
  REQUIRE(parsed);
  CHECK(parsed->name == log.origin());
  CHECK(parsed->public_key == log.public_key());
}
