// National search at scale and HTTP caching (docs/decisions/0013-search-and-caching.md), as a
// handler over a real PostgreSQL: counts exact up to the cap then capped, the name cursor
// walking every record exactly once while rows change between pages (in the broad path read
// from the name index and in the narrow one), relevance giving way to name order past the
// cap, ETags and 304, and the response cache serving repeated queries until a batch, a write
// by another process or the clock changes the answer.
#include <doctest/doctest.h>

#include <cstdio>
#include <ctime>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/log_entry.h"
#include "hub/api/hub_http_api.h"
#include "hub/store/national_queries.h"
#include "tests/hub/hub_store_fixture.h"
#include "tests/hub/hub_test_support.h"

using namespace ess;
using namespace ess::hub;
using nlohmann::json;
using test::SignedRegionLog;

namespace {

using test::TheReferential;

struct Fixture : test::HubStoreFixture {
  HubHttpApi api{pool,
                 clock,
                 TheReferential(),
                 std::string(kDefaultFederation),
                 {"ess-federation/hub", test::HubTestSigner().public_key()}};

  Fixture() : HubStoreFixture(4) {}

  // `count` initiatives written straight into the national table (as a bulk load would):
  // names "<prefix> <n>" in department `department`, ids from `first`, all in France.
  void Load(int first, int count, const std::string& prefix, const std::string& department,
            const std::string& region = "93") {
    pool.WithTransaction([&](pqxx::work& txn) {
      txn.exec_params(
          "INSERT INTO national_initiative (region, record_id, record_version, log_index, name, "
          "name_key, family, legal_form, activities, commune, commune_name, department, "
          "latitude, longitude, admitted_at, search) "
          "SELECT $5, ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, 1, g, "
          "$3 || ' ' || g, hub_name_key($3 || ' ' || g), 'association', 'association', "
          "ARRAY['alimentation'], '13055', 'Marseille', $4, 43 + (g % 100) / 100.0, "
          "5 + (g % 97) / 100.0, now(), to_tsvector('ess_french', $3 || ' ' || g) "
          "FROM generate_series($1::int, $1::int + $2::int - 1) g",
          first, count, prefix, department, region);
    });
  }

  void Exec(const std::string& sql) {
    pool.WithTransaction([&](pqxx::work& txn) { txn.exec(sql); });
  }

  HttpResponse Call(const std::string& target, std::map<std::string, std::string> headers = {}) {
    return api(test::ApiRequest("GET", target, std::move(headers)));
  }

  json Get(const std::string& target, int expected_status = 200) {
    HttpResponse res = Call(target);
    CAPTURE(target);
    CAPTURE(res.BodyText());
    CHECK(res.status == expected_status);
    return json::parse(res.BodyText());
  }
};

std::string HeaderOf(const HttpResponse& res, const std::string& name) {
  for (const auto& [k, v] : res.headers) {
    if (k == name) return v;
  }
  return "";
}

// Walks `target` page by page through `next`, running `between` after each page; the ids met.
std::vector<std::string> Walk(Fixture& f, const std::string& target,
                              const std::function<void(int)>& between) {
  std::vector<std::string> ids;
  std::string after;
  for (int page = 0; page < 1000; ++page) {
    json body = f.Get(target + (after.empty() ? "" : "&after=" + after));
    for (const auto& item : body["items"]) ids.push_back(item["id"].get<std::string>());
    if (body["next"].is_null()) return ids;
    after = body["next"].get<std::string>();
    between(page);
  }
  FAIL("the walk did not end");
  return ids;
}

}  // namespace

TEST_CASE("counts are exact up to the cap, then capped; relevance past the cap comes by name") {
  Fixture f;
  f.Load(1, 10'050, "Epicerie", "13");
  f.Load(20'001, 300, "Recyclerie", "06");
  json all = f.Get("/api/initiatives?per_page=5");
  CHECK(all["total"] == kSearchCountCap);
  CHECK(all["total_capped"] == true);
  CHECK(all["sort"] == "name");
  CHECK(all["items"].size() == 5);
  CHECK(all["next"].is_string());
  // Below the cap: exact, as before.
  json narrow = f.Get("/api/initiatives?department=06");
  CHECK(narrow["total"] == 300);
  CHECK(narrow["total_capped"] == false);
  json few = f.Get("/api/initiatives?q=recyclerie");
  CHECK(few["total"] == 300);
  CHECK(few["sort"] == "relevance");
  CHECK(few["next"].is_null());  // relevance pages by page number
  // A broad keyword: capped, ranked among the first matches rather than all of them.
  json broad = f.Get("/api/initiatives?q=epicerie&per_page=3");
  CHECK(broad["total_capped"] == true);
  CHECK(broad["total"] == kSearchCountCap);
  CHECK(broad["sort"] == "relevance");
  CHECK(broad["items"].size() == 3);
  CHECK(f.Get("/api/initiatives?q=epicerie&per_page=3&page=2")["items"][0] != broad["items"][0]);
  // By name on demand: exact, as before.
  json by_name = f.Get("/api/initiatives?q=epicerie&per_page=3&sort=name");
  CHECK(by_name["items"][0]["name"] == "Epicerie 1");
  CHECK(by_name["items"][1]["name"] == "Epicerie 10");
  // Pages by number reach the first 10,000 results only; a bad cursor is named.
  CHECK(f.Get("/api/initiatives?page=101&per_page=100", 422)["field"] == "page");
  CHECK(f.Get("/api/initiatives?page=100&per_page=100")["items"].size() == 100);
  CHECK(f.Get("/api/initiatives?after=nope", 422)["field"] == "after");
  CHECK(f.Get("/api/initiatives?after=" + all["next"].get<std::string>() + "&sort=relevance",
              422)["field"] == "sort");
  // An export counts up to what it returns, and says when there are more.
  HttpResponse csv = f.Call("/api/export/initiatives.csv?per_page=20000");
  CHECK(HeaderOf(csv, "X-Total-Count") == "10350");
  CHECK(HeaderOf(csv, "X-Total-Capped") == "");
  HttpResponse capped_csv = f.Call("/api/export/initiatives.csv?per_page=10");
  CHECK(HeaderOf(capped_csv, "X-Total-Count") == "10000");
  CHECK(HeaderOf(capped_csv, "X-Total-Capped") == "true");
}

TEST_CASE("a walk by cursors meets every record that stayed exactly once, in name order") {
  Fixture f;
  f.Load(1, 10'200, "Atelier", "13");
  f.Load(30'001, 400, "Jardin", "06");
  for (const std::string& target :
       {std::string("/api/initiatives?per_page=100"),
        std::string("/api/initiatives?department=06&per_page=37"),
        std::string("/api/initiatives?q=atelier&sort=name&per_page=100")}) {
    CAPTURE(target);
    // Between pages: rows deleted behind and ahead of the cursor, new ones added, renamed.
    std::set<std::string> touched;
    const auto id_of = [](int g) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012x", g);
      return std::string(buf);
    };
    int fresh = 50'000;
    auto between = [&](int page) {
      if (page % 7 != 3) return;
      const int ahead = 9'000 + page, behind = 1 + page;
      f.Exec("DELETE FROM national_initiative WHERE record_id IN ('" + id_of(ahead) + "', '" +
             id_of(behind) + "', '" + id_of(30'390 - page) + "')");
      touched.insert({id_of(ahead), id_of(behind), id_of(30'390 - page)});
      f.Load(fresh, 2, "Atelier", "13");
      touched.insert({id_of(fresh), id_of(fresh + 1)});
      fresh += 2;
    };
    auto ids = Walk(f, target, between);
    std::multiset<std::string> met(ids.begin(), ids.end());
    for (const auto& id : met) CHECK_MESSAGE(met.count(id) == 1, id);
    // What the table holds now and never changed must all have been met.
    std::vector<std::string> expected;
    std::string where = target.find("department=06") != std::string::npos ? "department = '06'"
                        : target.find("q=atelier") != std::string::npos   ? "name LIKE 'Atelier%'"
                                                                          : "true";
    f.pool.WithTransaction([&](pqxx::work& txn) {
      for (const auto& row : txn.exec("SELECT record_id::text FROM national_initiative WHERE " +
                                      where + " ORDER BY name_key, region, record_id")) {
        expected.push_back(row[0].as<std::string>());
      }
    });
    std::vector<std::string> stayed;
    for (const auto& id : expected) {
      if (!touched.count(id)) {
        stayed.push_back(id);
        CHECK_MESSAGE(met.count(id) == 1, id);
      }
    }
    // And in name order.
    std::vector<std::string> met_stayed;
    for (const auto& id : ids) {
      if (!touched.count(id)) met_stayed.push_back(id);
    }
    CHECK(met_stayed == stayed);
    // Restore for the next walk.
    f.Exec("DELETE FROM national_initiative");
    f.Load(1, 10'200, "Atelier", "13");
    f.Load(30'001, 400, "Jardin", "06");
  }
}

TEST_CASE(
    "ETag and 304; the cache serves a repeated query until a batch or another process writes") {
  Fixture f;
  SignedRegionLog paca{"93", 1};
  f.Enrol(paca);
  paca.Initiative(test::TestRecordId(1),
                  test::InitiativePayload("Épicerie solidaire du Panier", "admitted"));
  REQUIRE(f.replicas.ApplyBatch("93", paca.Batch(0, 1), "t").kind == BatchOutcome::Kind::kAccepted);
  const std::string id = RecordIdToString(test::TestRecordId(1));

  HttpResponse first = f.Call("/api/initiatives?q=epicerie");
  REQUIRE(first.status == 200);
  const std::string etag = HeaderOf(first, "ETag");
  CHECK(!etag.empty());
  CHECK(HeaderOf(first, "Cache-Control") == "public, no-cache");
  const auto before = f.api.cache_stats();
  HttpResponse again = f.Call("/api/initiatives?q=epicerie");
  CHECK(again.BodyText() == first.BodyText());
  CHECK(HeaderOf(again, "ETag") == etag);
  CHECK(f.api.cache_stats().hits == before.hits + 1);
  // The same parameters in another order are the same query.
  CHECK(HeaderOf(f.Call("/api/initiatives?q=epicerie&per_page=20"), "ETag") ==
        HeaderOf(f.Call("/api/initiatives?per_page=20&q=epicerie"), "ETag"));
  // A revalidation gets a 304 without a body, without running the query.
  HttpResponse not_modified = f.Call("/api/initiatives?q=epicerie", {{"if-none-match", etag}});
  CHECK(not_modified.status == 304);
  CHECK(not_modified.BodyText().empty());
  CHECK(HeaderOf(not_modified, "ETag") == etag);
  for (const std::string& route :
       {std::string("/api/map/clusters?zoom=5"), "/api/initiatives/93/" + id,
        "/api/initiatives/93/" + id + "/proof", std::string("/api/indicators"),
        std::string("/api/export/initiatives.geojson")}) {
    CAPTURE(route);
    HttpResponse res = f.Call(route);
    REQUIRE(res.status == 200);
    CHECK(f.Call(route, {{"if-none-match", HeaderOf(res, "ETag")}}).status == 304);
  }
  // Another route's ETag is not this one's.
  CHECK(f.Call("/api/map/clusters?zoom=5", {{"if-none-match", etag}}).status == 200);
  // An error is neither cached nor tagged.
  CHECK(HeaderOf(f.Call("/api/initiatives?page=0"), "ETag").empty());

  // A new batch changes the answer: new ETag, the new record in it.
  paca.Initiative(test::TestRecordId(2),
                  test::InitiativePayload("Épicerie du Vieux-Port", "admitted"));
  REQUIRE(f.replicas.ApplyBatch("93", paca.Batch(1, 2), "t").kind == BatchOutcome::Kind::kAccepted);
  HttpResponse after_batch = f.Call("/api/initiatives?q=epicerie", {{"if-none-match", etag}});
  CHECK(after_batch.status == 200);
  CHECK(json::parse(after_batch.BodyText())["total"] == 2);
  CHECK(HeaderOf(after_batch, "ETag") != etag);
  // The proof follows the region's new checkpoint.
  CHECK(f.Get("/api/initiatives/93/" + id + "/proof")["tree_size"] == 2);

  // A write by another process on the same database (a bare SQL statement here) too.
  f.Exec(
      "UPDATE national_initiative SET name = 'Épicerie renommée', "
      "name_key = hub_name_key('Épicerie renommée') WHERE record_id = '" +
      id + "'");
  CHECK(f.Get("/api/initiatives/93/" + id)["name"] == "Épicerie renommée");
  f.Exec("DELETE FROM national_initiative WHERE record_id = '" + id + "'");
  CHECK(f.Get("/api/initiatives?q=epicerie")["total"] == 1);
  f.Exec("TRUNCATE national_initiative");
  CHECK(f.Get("/api/initiatives?q=epicerie")["total"] == 0);
}

TEST_CASE("an answer the cache holds for the current state is served in the cheap class") {
  Fixture f;
  SignedRegionLog paca{"93", 1};
  f.Enrol(paca);
  paca.Initiative(test::TestRecordId(1),
                  test::InitiativePayload("Épicerie solidaire du Panier", "admitted"));
  REQUIRE(f.replicas.ApplyBatch("93", paca.Batch(0, 1), "t").kind == BatchOutcome::Kind::kAccepted);
  const auto class_of = [&](const std::string& target,
                            std::map<std::string, std::string> headers = {}) {
    return f.api.ClassOf(test::ApiRequest("GET", target, std::move(headers)));
  };
  // Nothing kept yet: the national queries are expensive, the small lookups cheap.
  CHECK(class_of("/api/map/clusters?zoom=5") == RouteClass::kExpensive);
  CHECK(class_of("/healthz") == RouteClass::kCheap);
  const std::string etag = HeaderOf(f.Call("/api/map/clusters?zoom=5"), "ETag");
  CHECK(class_of("/api/map/clusters?zoom=5") == RouteClass::kCheap);  // kept
  CHECK(class_of("/api/map/clusters?zoom=6") == RouteClass::kExpensive);
  CHECK(class_of("/api/indicators", {{"if-none-match", etag}}) == RouteClass::kExpensive);
  f.Call("/api/indicators");
  CHECK(class_of("/api/indicators") == RouteClass::kCheap);

  // A batch: once a request has read the new state, the answers kept under the old one are
  // expensive again, and a revalidation with the old ETag too.
  paca.Initiative(test::TestRecordId(2),
                  test::InitiativePayload("Épicerie du Vieux-Port", "admitted"));
  REQUIRE(f.replicas.ApplyBatch("93", paca.Batch(1, 2), "t").kind == BatchOutcome::Kind::kAccepted);
  f.Call("/api/map/clusters?zoom=7");
  CHECK(class_of("/api/map/clusters?zoom=5") == RouteClass::kExpensive);
  CHECK(class_of("/api/map/clusters?zoom=5", {{"if-none-match", etag}}) == RouteClass::kExpensive);
  CHECK(class_of("/api/indicators") == RouteClass::kExpensive);
  CHECK(class_of("/api/map/clusters?zoom=7") == RouteClass::kCheap);
  const std::string new_etag = HeaderOf(f.Call("/api/map/clusters?zoom=5"), "ETag");
  CHECK(new_etag != etag);
  CHECK(class_of("/api/map/clusters?zoom=5", {{"if-none-match", new_etag}}) == RouteClass::kCheap);
}

TEST_CASE("a kept answer ends when the clock reaches a valid_until or a hide_after") {
  Fixture f;
  SignedRegionLog paca{"93", 1};
  f.Enrol(paca);
  // The fixture's clock is 2026-01-01T00:00:00Z.
  paca.Initiative(test::TestRecordId(1),
                  test::InitiativePayload("Épicerie solidaire", "admitted", test::kMarseille,
                                          {{"valid_until", "2026-03-01T00:00:00Z"},
                                           {"hide_after", "2026-06-01T00:00:00Z"}}));
  REQUIRE(f.replicas.ApplyBatch("93", paca.Batch(0, 1), "t").kind == BatchOutcome::Kind::kAccepted);
  const std::string id = RecordIdToString(test::TestRecordId(1));
  const auto at = [&](const char* rfc3339) {
    std::tm tm{};
    REQUIRE(strptime(rfc3339, "%Y-%m-%dT%H:%M:%S", &tm));
    f.clock.Set(std::chrono::system_clock::from_time_t(timegm(&tm)));
  };
  CHECK(f.Get("/api/initiatives/93/" + id)["freshness"] == "fresh");
  CHECK(f.Get("/api/initiatives/93/" + id)["freshness"] == "fresh");  // kept
  const std::string etag = HeaderOf(f.Call("/api/initiatives/93/" + id), "ETag");
  at("2026-02-28T23:59:59");
  CHECK(f.Get("/api/initiatives/93/" + id)["freshness"] == "fresh");
  at("2026-03-01T00:00:00");
  CHECK(f.Get("/api/initiatives/93/" + id)["freshness"] == "to_confirm");
  CHECK(f.Call("/api/initiatives/93/" + id, {{"if-none-match", etag}}).status == 200);
  CHECK(f.Get("/api/initiatives?freshness=to_confirm")["total"] == 1);
  at("2026-06-01T00:00:00");
  f.Get("/api/initiatives/93/" + id, 404);
  CHECK(f.Get("/api/initiatives")["total"] == 0);
  // A clock set back finds the record again.
  at("2026-01-02T00:00:00");
  CHECK(f.Get("/api/initiatives/93/" + id)["freshness"] == "fresh");
}

TEST_CASE("with a state check period, the cache trusts the version read for that long") {
  test::HubStoreFixture store(4);
  HubHttpApi api{store.pool,
                 store.clock,
                 TheReferential(),
                 std::string(kDefaultFederation),
                 {"ess-federation/hub", test::HubTestSigner().public_key()},
                 nullptr,
                 {.name = "ess_pilot_session"},
                 {.state_check = std::chrono::hours(1)}};
  HttpRequest req;
  req.method = "GET";
  req.target = req.path = "/api/initiatives";
  CHECK(json::parse(api(req).BodyText())["total"] == 0);
  store.pool.WithTransaction([&](pqxx::work& txn) {
    txn.exec(
        "INSERT INTO national_initiative (region, record_id, record_version, log_index, name, "
        "name_key, family, legal_form, activities, commune, department, latitude, longitude, "
        "admitted_at, search) VALUES ('93', gen_random_uuid(), 1, 0, 'A', 'a', 'association', "
        "'association', '{}', '13055', '13', 43.3, 5.4, now(), ''::tsvector)");
  });
  // Within the period the kept answer stands (the bounded staleness the option buys)...
  CHECK(json::parse(api(req).BodyText())["total"] == 0);
  // ...and a clock past the period reads the version again.
  store.clock.Advance(std::chrono::hours(2));
  CHECK(json::parse(api(req).BodyText())["total"] == 1);
}
