// Background CSV imports (node/service/import_jobs.h) through the HTTP API: 202 with a job
// to follow, progress that only moves forward (rows checked, then rows written inside the
// one transaction), the report at the end; everything or nothing, the job's outcome included;
// shape errors answered at once; admin role and CSRF token; a bound on waiting jobs; a job
// whose instance went silent reported interrupted. A test hook pauses a job at a known point
// (no sleeping to wait).
#include <doctest/doctest.h>

#include <atomic>

#include <condition_variable>
#include <mutex>

#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;

namespace {

// Holds the worker at the first progress report matching `state` and `count` (rows checked
// while validating, rows written while committing) until Release(); records every report.
class Gate {
 public:
  Gate(std::string state, int count) : state_(std::move(state)), count_(count) {}

  void OnProgress(const node::ImportJobProgress& p) {
    std::unique_lock lock(mutex_);
    seen_.push_back(p);
    const int count = p.state == "validating" ? p.checked : p.saved;
    if (held_once_ || p.state != state_ || count != count_) return;
    held_once_ = true;
    holding_ = true;
    changed_.notify_all();
    changed_.wait_for(lock, 30s, [this] { return released_; });  // bounded: never hang a test
    holding_ = false;
  }
  bool WaitHeld() {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, 30s, [this] { return holding_; });
  }
  void Release() {
    std::lock_guard lock(mutex_);
    released_ = true;
    changed_.notify_all();
  }
  std::vector<node::ImportJobProgress> Seen() {
    std::lock_guard lock(mutex_);
    return seen_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string state_;
  int count_;
  bool held_once_ = false, holding_ = false, released_ = false;
  std::vector<node::ImportJobProgress> seen_;
};

std::string Csv(int rows, int bad_row = 0) {
  std::string out = "name;family;legal_form;activities;commune;contact_phone\n";
  for (int i = 1; i <= rows; ++i) {
    out += "Initiative importée " + std::to_string(i) + ";association;" +
           (i == bad_row ? "forme_inconnue" : "association_loi_1901") + ";alimentation;13055;06 00 00 00 0" +
           std::to_string(i % 10) + "\n";
  }
  return out;
}

const std::map<std::string, std::string> kAsync = {{"Prefer", "respond-async"}};

int StateRank(const std::string& state) {
  for (int i = 0; const char* s : {"queued", "validating", "committing", "succeeded"}) {
    if (state == s) return i;
    ++i;
  }
  return 4;
}

// The job's view once it ended (fails the test if it still runs after 30 s).
json FinishedJob(NodeFixture& node, const Session& admin, const std::string& id) {
  json job;
  REQUIRE(PollUntil(30s, [&] {
    job = node.Get("/api/admin/import/" + id, &admin).body;
    return job["state"] != "queued" && job["state"] != "validating" && job["state"] != "committing";
  }));
  return job;
}

}  // namespace

TEST_CASE("a background import reports its progress, then commits every row in one transaction, journalled") {
  Gate gate("committing", 3);
  NodeFixture node(TestSettings(), true, [&](const node::ImportJobProgress& p) { gate.OnProgress(p); });
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();

  auto started = node.Call("POST", "/api/admin/import", json{{"csv", Csv(5)}, {"separator", ";"}, {"status", "admitted"}},
                           &admin, kAsync);
  REQUIRE_MESSAGE(started.status == 202, started.text);
  const std::string job = started.body["id"];
  CHECK(started.headers["location"] == "/api/admin/import/" + job);
  CHECK(started.headers["preference-applied"] == "respond-async");
  CHECK(started.body["rows"] == 5);
  CHECK(started.body["status"] == "admitted");
  CHECK(StateRank(started.body["state"]) <= StateRank("committing"));

  // Inside the commit: 3 of 5 rows written, nothing visible yet.
  REQUIRE(gate.WaitHeld());
  auto during = node.Get("/api/admin/import/" + job, &admin);
  REQUIRE_MESSAGE(during.status == 200, during.text);
  CHECK(during.body["state"] == "committing");
  CHECK(during.body["checked"] == 5);
  CHECK(during.body["saved"] == 3);
  CHECK(during.body["percent"] == 80);
  CHECK(during.body["report"].is_null());
  CHECK(node.Get("/api/initiatives").body["total"] == 0);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  gate.Release();

  std::vector<json> polled;
  REQUIRE(PollUntil(30s, [&] {
    polled.push_back(node.Get("/api/admin/import/" + job, &admin).body);
    return polled.back()["state"] == "succeeded";
  }));
  const json& done = polled.back();
  CHECK(done["percent"] == 100);
  CHECK(done["error"].is_null());
  CHECK(done["finished_at"].is_string());
  CHECK(done["report"]["rows"] == 5);
  CHECK(done["report"]["imported"] == 5);
  CHECK(done["report"]["ids"].size() == 5);
  CHECK(done["report"]["error_count"] == 0);
  // Progress only moves forward, as recorded and as read.
  std::vector<json> observed = {started.body, during.body};
  observed.insert(observed.end(), polled.begin(), polled.end());
  for (std::size_t i = 1; i < observed.size(); ++i) {
    CHECK(StateRank(observed[i]["state"]) >= StateRank(observed[i - 1]["state"]));
    CHECK(observed[i]["percent"] >= observed[i - 1]["percent"]);
    CHECK(observed[i]["checked"] >= observed[i - 1]["checked"]);
  }
  auto seen = gate.Seen();
  REQUIRE(seen.size() == 12);  // validating 0..5, committing 0..5
  for (std::size_t i = 1; i < seen.size(); ++i) {
    CHECK(StateRank(seen[i].state) >= StateRank(seen[i - 1].state));
    CHECK(seen[i].checked >= seen[i - 1].checked);
    CHECK(seen[i].saved >= (seen[i].state == seen[i - 1].state ? seen[i - 1].saved : 0));
  }
  CHECK(seen.front().state == "validating");
  CHECK(seen.back().saved == 5);

  CHECK(node.Get("/api/initiatives").body["total"] == 5);
  CHECK(node.JournalKinds(journal) == std::vector<std::string>(5, "initiative"));
  auto records = node.VerifiedJournal();
  CHECK((*records[journal].payload)["name"] == "Initiative importée 1");
  CHECK((*records[journal].payload)["status"] == "admitted");
  CHECK(records[journal].payload->dump().find("06 00 00 00") == std::string::npos);
  auto history = node.Get("/api/initiatives/" + done["report"]["ids"][0].get<std::string>() + "/history", &admin);
  CHECK(history.body["events"][0]["actor"] == "admin:admin@example.org");
}

TEST_CASE("a background import with an invalid row imports nothing: rejected, with its report") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();
  auto started = node.Call("POST", "/api/admin/import", json{{"csv", Csv(4, 3)}, {"separator", ";"}}, &admin, kAsync);
  REQUIRE_MESSAGE(started.status == 202, started.text);
  const json job = FinishedJob(node, admin, started.body["id"]);
  CHECK(job["state"] == "rejected");
  CHECK(job["error"]["code"] == "import_rejected");
  CHECK(job["error"]["message"].get<std::string>().find("rien n'a été importé") != std::string::npos);
  CHECK(job["report"]["rows"] == 4);
  CHECK(job["report"]["valid"] == 3);
  CHECK(job["report"]["imported"] == 0);
  REQUIRE(job["report"]["errors"].size() == 1);
  CHECK(job["report"]["errors"][0]["row"] == 3);
  CHECK(job["report"]["errors"][0]["field"] == "legal_form");
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  CHECK(node.JournalSize() == journal);
}

TEST_CASE(
    "a background import while the journal is blocked fails with journal_blocked and imports "
    "nothing") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t journal = node.JournalSize();
  std::atomic<int> notified{0};
  auto subscription = node.journal_commits().Listen([&notified] { ++notified; });
  // What the uploader records when the hub holds more of this region's log than the node.
  node.pool().WithTransaction([](pqxx::work& txn) {
    txn.exec(
        "INSERT INTO hub_replication_state (region, append_blocked, append_blocked_reason) "
        "VALUES ('93', true, 'le hub détient 12 entrées, ce nœud 7')");
  });
  auto started = node.Call("POST", "/api/admin/import", json{{"csv", Csv(3)}, {"separator", ";"}},
                           &admin, kAsync);
  REQUIRE_MESSAGE(started.status == 202, started.text);
  const json job = FinishedJob(node, admin, started.body["id"]);
  CHECK(job["state"] == "failed");
  CHECK(job["error"]["code"] == "journal_blocked");
  CHECK(job["error"]["message"].get<std::string>().find("rien n'a été importé") !=
        std::string::npos);
  // The same import waited for answers 503 journal_blocked, as every blocked write does.
  auto waited = node.Post("/api/admin/import", json{{"csv", Csv(3)}, {"separator", ";"}}, &admin);
  CHECK(waited.status == 503);
  CHECK(waited.body["code"] == "journal_blocked");
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
  CHECK(node.JournalSize() == journal);
  CHECK(notified == 0);  // nothing committed: the uploader is not woken
}

TEST_CASE("background imports: shape errors at once, admin role and CSRF token, unknown jobs") {
  NodeFixture node;
  Session admin = node.Admin();
  Session member = node.AddMember(admin, "Alice Martin", "usagers");
  node.PublishCharter(admin);
  const json request = {{"csv", Csv(2)}, {"separator", ";"}};

  auto no_csv = node.Call("POST", "/api/admin/import", json{{"separator", ";"}}, &admin, kAsync);
  CHECK(no_csv.status == 422);
  CHECK(no_csv.body["code"] == "required");
  CHECK(no_csv.body["field"] == "csv");
  auto bad_mapping = node.Call("POST", "/api/admin/import",
                               json{{"csv", Csv(2)}, {"separator", ";"}, {"mapping", {{"name", "Raison sociale"}}}},
                               &admin, kAsync);
  CHECK(bad_mapping.body["code"] == "unknown_column");
  CHECK(node.Call("POST", "/api/admin/import", request, &member, kAsync).body["code"] == "forbidden");
  auto headers = kAsync;
  headers["X-CSRF-Token"] = "faux";
  auto no_csrf = node.Call("POST", "/api/admin/import", request, &admin, headers);
  CHECK(no_csrf.status == 403);
  CHECK(no_csrf.body["code"] == "csrf_token_invalid");
  CHECK(node.Count("SELECT count(*) FROM import_job") == 0);

  // A dry run answers directly, even when asked to answer later.
  auto dry = node.Call("POST", "/api/admin/import", json{{"csv", Csv(2)}, {"separator", ";"}, {"dry_run", true}}, &admin,
                       kAsync);
  CHECK(dry.status == 200);
  CHECK(dry.body["dry_run"] == true);
  CHECK(dry.body["valid"] == 2);

  auto started = node.Call("POST", "/api/admin/import", request, &admin, kAsync);
  REQUIRE(started.status == 202);
  const std::string path = "/api/admin/import/" + started.body["id"].get<std::string>();
  CHECK(node.Get(path).status == 401);
  CHECK(node.Get(path, &member).status == 403);
  CHECK(node.Get("/api/admin/import/6f1c2d3e-0000-4000-8000-000000000001", &admin).status == 404);
  CHECK(node.Get("/api/admin/import/pas-un-identifiant", &admin).body["code"] == "not_found");
  REQUIRE(PollUntil(30s, [&] { return node.Get(path, &admin).body["state"] == "succeeded"; }));
}

TEST_CASE("background imports wait for a worker, too many are refused, a silent job is reported interrupted") {
  Gate gate("validating", 1);
  NodeFixture node(TestSettings(), true, [&](const node::ImportJobProgress& p) { gate.OnProgress(p); });
  Session admin = node.Admin();
  node.PublishCharter(admin);
  auto start = [&](int n) {
    std::string csv = "name;family;legal_form;activities;commune\nLot " + std::to_string(n) +
                      ";association;association_loi_1901;alimentation;13055\n";
    return node.Call("POST", "/api/admin/import", json{{"csv", csv}, {"separator", ";"}}, &admin, kAsync);
  };
  auto first = start(1);
  REQUIRE(first.status == 202);
  REQUIRE(gate.WaitHeld());  // the one worker is busy with the first job
  std::vector<std::string> jobs = {first.body["id"]};
  for (int n = 2; n <= 5; ++n) {
    auto r = start(n);
    REQUIRE_MESSAGE(r.status == 202, r.text);
    CHECK(r.body["state"] == "queued");
    CHECK(r.body["percent"] == 0);
    jobs.push_back(r.body["id"]);
  }
  auto busy = start(6);
  CHECK(busy.status == 503);
  CHECK(busy.body["code"] == "import_busy");
  CHECK(node.Count("SELECT count(*) FROM import_job") == 5);

  // The worker stays silent (as if its process had died): past 15 minutes, interrupted.
  node.clock.Advance(std::chrono::minutes(16));
  admin = node.Renew(admin);
  auto silent = node.Get("/api/admin/import/" + jobs[0], &admin);
  CHECK(silent.body["state"] == "failed");
  CHECK(silent.body["error"]["code"] == "interrupted");

  gate.Release();
  for (const auto& job : jobs) {
    CHECK(PollUntil(30s, [&] { return node.Get("/api/admin/import/" + job, &admin).body["state"] == "succeeded"; }));
  }
  CHECK(node.Count("SELECT count(*) FROM initiative") == 5);
}
