// Several processes on one database (issue 13, point 3): two ess-node processes of region 93
// on ONE node database, each replicating to its own ess-hub, the two hubs on ONE hub
// database. Clients spread their requests over both nodes (one address, two ports, as a load
// balancer would) and submit initiatives concurrently for a bounded time while an import job
// started at one node is followed at the other, with a session opened at one node used at
// the other; a client's calls spread over both nodes meet one rate limit. Then: the journal
// is dense (no gap, no duplicate index), each checkpoint was signed once (the hubs hold the
// node's very notes), `essctl verify` passes end to end on both databases, and the hubs hold
// every entry.
//
// The run lasts ESS_TWO_PROCESSES_SECONDS (10 s by default; the 30 s:
//   ESS_TWO_PROCESSES_SECONDS=30 ctest -R '^two_processes_test$').
#include <doctest/doctest.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using json = nlohmann::json;

namespace {

constexpr const char* kAdminEmail = "admin@example.org";
constexpr const char* kAdminPassword = "mot-de-passe-admin";

int RunSeconds() {
  const char* text = std::getenv("ESS_TWO_PROCESSES_SECONDS");
  const int seconds = text ? std::atoi(text) : 10;
  return seconds > 0 && seconds <= 600 ? seconds : 10;
}

HttpResult SendJson(int port, const std::string& method, const std::string& target,
                    const json& body, std::map<std::string, std::string> headers = {}) {
  headers["Content-Type"] = "application/json";
  return HttpRequestRaw(port, method, target, body.dump(), headers);
}

json Submission(const std::string& name) {
  return {{"name", name},
          {"family", "association"},
          {"legal_form", "association_loi_1901"},
          {"activities", {"alimentation"}},
          {"description", "Une initiative déposée pendant l'essai à deux processus."},
          {"commune", "13055"},
          {"latitude", 43.29900},
          {"longitude", 5.36900},
          {"email", "contact@initiative.example"},
          {"private", {{"contact_name", "Marie Durand"}, {"contact_email", "marie@perso.example"}}},
          {"charter", {{"version", 1}, {"adhered_by", "Marie Durand"}}}};
}

long long Count(pqxx::connection& c, const std::string& sql) {
  pqxx::nontransaction txn(c);
  auto r = txn.exec(sql);
  return r[0][0].is_null() ? -1 : r[0][0].as<long long>();
}

}  // namespace

TEST_CASE("two nodes on one database and two hubs on one database: a dense journal, verified") {
  TempDir dir;
  TestDatabase node_db, hub_db;
  const std::string key = MakeKey(dir, "ess-federation/region/93", "node-93.key");
  Enrol(dir, hub_db.connection_string(), "93", key);
  HubProcess hub_a(dir, hub_db.connection_string());
  HubProcess hub_b(dir, hub_db.connection_string());
  hub_a.Start();
  hub_b.Start();

  const std::vector<std::string> fast = {
      "--security.password-ops", "1", "--security.password-mem-kib", "8",
      "--freshness.reminder-interval-minutes", "0",
      // Every client here is 127.0.0.1: the per-address limits would refuse the run.
      "--participation.rate-per-minute", "1000000", "--participation.rate-burst", "1000000",
      "--http-max-connections-per-client", "0"};
  {
    const std::string password_file = dir.File("admin-password");
    std::ofstream(password_file) << kAdminPassword << "\n";
    std::vector<std::string> create = {"--region",
                                       "93",
                                       "--database",
                                       node_db.connection_string(),
                                       "--key-file",
                                       key,
                                       "--create-admin",
                                       kAdminEmail,
                                       "--admin-password-file",
                                       password_file};
    create.insert(create.end(), fast.begin(), fast.begin() + 4);
    ChildProcess admin(BuiltExecutable("node/ess-node"), create, dir.File("create-admin.log"));
    REQUIRE_MESSAGE(admin.Wait(60s) == 0, ReadFile(dir.File("create-admin.log")));
  }
  NodeProcess node_a(dir, "93", node_db.connection_string(), key);
  NodeProcess node_b(dir, "93", node_db.connection_string(), key);
  node_a.Start(hub_a.grpc_address(), fast);
  node_b.Start(hub_b.grpc_address(), fast);
  const int ports[2] = {node_a.http_port(), node_b.http_port()};

  // A session opened at node A works at node B (sessions live in PostgreSQL).
  auto login = SendJson(ports[0], "POST", "/api/session",
                        {{"email", kAdminEmail}, {"password", kAdminPassword}});
  REQUIRE_MESSAGE(login.status == 201, login.body);
  const std::map<std::string, std::string> admin = {
      {"Cookie", login.headers["set-cookie"].substr(0, login.headers["set-cookie"].find(';'))},
      {"X-CSRF-Token", json::parse(login.body)["csrf_token"]}};
  auto charter =
      SendJson(ports[1], "POST", "/api/admin/charter", {{"text", "Charte de la région"}}, admin);
  REQUIRE_MESSAGE(charter.status == 201, charter.body);

  // Writers spread over both nodes for the run's time.
  const int seconds = RunSeconds();
  std::atomic<long> accepted[2] = {0, 0};
  std::atomic<long> refused{0};
  std::mutex failures_mutex;
  std::vector<std::string> failures;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (long k = 0; std::chrono::steady_clock::now() < deadline; ++k) {
        const int which = static_cast<int>((t + k) % 2);
        auto r = SendJson(ports[which], "POST", "/api/initiatives",
                          Submission("Initiative " + std::to_string(t) + "-" + std::to_string(k)));
        if (r.status == 201) {
          ++accepted[which];
        } else {
          ++refused;
          std::lock_guard lock(failures_mutex);
          if (failures.size() < 5) failures.push_back(std::to_string(r.status) + " " + r.body);
        }
      }
    });
  }
  // Meanwhile an import job started at node A, followed at node B (jobs live in PostgreSQL).
  std::string csv = "Nom;Famille;Statut;Activités;Code INSEE;Lat;Lon\r\n";
  for (int i = 0; i < 50; ++i) {
    csv += "Recyclerie importée " + std::to_string(i) +
           ";association;association_loi_1901;alimentation;13055;43.29;5.37\r\n";
  }
  const json mapping = {{"name", "Nom"},           {"family", "Famille"},
                        {"legal_form", "Statut"},  {"activities", "Activités"},
                        {"commune", "Code INSEE"}, {"latitude", "Lat"},
                        {"longitude", "Lon"}};
  auto async = admin;
  async["Prefer"] = "respond-async";
  auto job = SendJson(
      ports[0], "POST", "/api/admin/import",
      {{"csv", csv}, {"separator", ";"}, {"mapping", mapping}, {"status", "admitted"}}, async);
  REQUIRE_MESSAGE(job.status == 202, job.body);
  const std::string job_url = job.headers["location"];
  REQUIRE(!job_url.empty());
  json job_state;
  CHECK(WaitUntil(60s, [&] {
    auto r = HttpRequestRaw(ports[1], "GET", job_url, {}, admin);
    if (r.status != 200) return false;
    job_state = json::parse(r.body);
    return job_state["state"] != "queued" && job_state["state"] != "validating" &&
           job_state["state"] != "committing";
  }));
  for (auto& w : writers) w.join();
  INFO("job: ", job_state.value("state", "?"), " ", job_state["error"].dump());
  CHECK(job_state["state"] == "succeeded");
  INFO("refusals: ", failures.size() ? failures.front() : "");
  CHECK(refused == 0);
  CHECK(accepted[0] > 0);
  CHECK(accepted[1] > 0);
  MESSAGE("two processes, ", seconds, " s: ", accepted[0].load(), " + ", accepted[1].load(),
          " submissions accepted");

  // Rate limits hold across processes (their buckets live in PostgreSQL): the duplicate
  // warning's limit (60 a minute, burst 30 per address) gives 40 quick calls spread over both
  // nodes the burst and what refilled meanwhile, where each process alone would admit its 20.
  {
    const auto start = std::chrono::steady_clock::now();
    int admitted = 0, limited = 0;
    std::string other;  // the first other answer
    for (int k = 0; k < 40; ++k) {
      auto r = HttpRequestRaw(ports[k % 2], "GET",
                              "/api/initiatives/similar?name=Recyclerie&commune=13055", {}, {});
      if (r.status == 200) ++admitted;
      if (r.status == 429) ++limited;
      if (r.status != 200 && r.status != 429 && other.empty()) {
        other = std::to_string(r.status) + " " + r.body;
      }
    }
    const auto elapsed =
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start);
    MESSAGE("duplicate warning, 40 calls over both nodes in ", elapsed.count(), " s: ", admitted,
            " admitted, ", limited, " refused");
    INFO("other answer: ", other);
    CHECK(admitted + limited == 40);
    CHECK(admitted >= 30);
    CHECK(admitted <= 31 + elapsed.count());
    CHECK(limited > 0);
  }

  // The journal is dense: indexes 0..n-1, each once, the head at n.
  pqxx::connection node(node_db.connection_string());
  const long long entries = Count(node, "SELECT count(*) FROM log_entry WHERE region = '93'");
  CHECK(entries >= accepted[0] + accepted[1] + 50);
  CHECK(Count(node, "SELECT count(DISTINCT log_index) FROM log_entry WHERE region = '93'") ==
        entries);
  CHECK(Count(node, "SELECT min(log_index) FROM log_entry WHERE region = '93'") == 0);
  CHECK(Count(node, "SELECT max(log_index) FROM log_entry WHERE region = '93'") == entries - 1);
  CHECK(Count(node, "SELECT tree_size FROM log_head WHERE region = '93'") == entries);
  CHECK(Count(node, "SELECT max(tree_size) FROM log_checkpoint WHERE region = '93'") == entries);
  MESSAGE(entries, " entries, ",
          Count(node, "SELECT count(*) FROM log_checkpoint WHERE region = '93'"), " checkpoints");

  // The hubs hold every entry, and every checkpoint they hold is the node's very note: no
  // size was signed twice.
  CHECK(WaitUntil(90s, [&] {
    return hub_a.TreeSize("93") == static_cast<std::uint64_t>(entries) &&
           hub_b.TreeSize("93") == static_cast<std::uint64_t>(entries);
  }));
  {
    pqxx::connection hub(hub_db.connection_string());
    pqxx::nontransaction txn(hub);
    std::map<long long, std::string> node_notes;
    {
      pqxx::nontransaction ntxn(node);
      for (const auto& row : ntxn.exec("SELECT tree_size, note FROM log_checkpoint")) {
        node_notes[row[0].as<long long>()] = row[1].as<std::string>();
      }
    }
    long long compared = 0;
    for (const auto& row :
         txn.exec("SELECT tree_size, note FROM log_checkpoint WHERE region = '93'")) {
      auto it = node_notes.find(row[0].as<long long>());
      REQUIRE_MESSAGE(it != node_notes.end(), "the hub holds a checkpoint the node never stored");
      CHECK(it->second == row[1].as<std::string>());
      ++compared;
    }
    CHECK(compared > 0);
  }

  // essctl verify end to end, on the node's database and on the hubs'.
  auto at_node = RunEssctl(dir, {"verify", "--database", node_db.connection_string(), "--region",
                                 "93", "--verifier-key", VerifierKeyOf(key)});
  INFO(at_node.output);
  CHECK(at_node.exit_code == 0);
  CHECK(at_node.output.find("entrées : " + std::to_string(entries)) != std::string::npos);
  auto at_hub =
      RunEssctl(dir, {"verify", "--database", hub_db.connection_string(), "--region", "93"});
  INFO(at_hub.output);
  CHECK(at_hub.exit_code == 0);
  const auto root_line = [](const std::string& out) { return out.substr(out.find("racine : ")); };
  CHECK(root_line(at_node.output) == root_line(at_hub.output));

  node_a.Stop();
  node_b.Stop();
  hub_a.Stop();
  hub_b.Stop();
}
