// Load (issue 11, point 5): wrk against a real ess-node process (the build's executable, a
// throwaway database, a region seeded with a few thousand admitted initiatives), first on
// public search (full-text queries, filters, radius, map clusters, in turn), then on public
// submission (a valid initiative, as JSON: the node's limit per address answers most with
// 429, as it should). Not a benchmark: latency is printed, never asserted. Asserted: no 5xx
// and no socket error, every search answered 200, submissions answered 201 within the
// limit's budget or 429, the node still alive and answering /healthz, and its memory flat:
// the median resident size (VmRSS, sampled every second) of the last seconds of a run at
// most 1.25 times that of its first seconds plus 48 MiB (docs/reliability.md, "Load").
//   ESS_LOAD_SECONDS      duration of each of the two runs (default 30)
//   ESS_LOAD_CONNECTIONS  connections wrk keeps open (default 100)
//   ESS_LOAD_THREADS      wrk's threads (default 2)
//   ESS_LOAD_INITIATIVES  initiatives seeded by CSV import (default 3000)
#include <doctest/doctest.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tests/node/node_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr const char* kRegion = "93";
constexpr const char* kAdminEmail = "admin@example.org";
constexpr const char* kAdminPassword = "mot-de-passe-admin";
// The node's defaults for public writes (deploy/node.example.conf): per client address.
constexpr int kSubmissionBurst = 10;
constexpr int kSubmissionsPerMinute = 10;
// The RSS bound: last window <= kRssFactor * first window + kRssSlackKiB.
constexpr double kRssFactor = 1.25;
constexpr long kRssSlackKiB = 48 * 1024;
constexpr auto kRssWindow = 10s;

int Setting(const char* variable, int suite_default) {
  const char* env = std::getenv(variable);
  const int value = env != nullptr ? std::atoi(env) : 0;
  return value > 0 ? value : suite_default;
}

// `name` on $PATH, "" if absent (ChildProcess runs a path, not a name).
std::string FindOnPath(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    const std::string candidate = dir + "/" + name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The process's resident set (VmRSS of /proc/<pid>/status) in KiB; 0 if unreadable.
long ResidentKiB(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

long Median(std::vector<long> values) {
  REQUIRE(!values.empty());
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string MiB(long kib) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(1) << kib / 1024.0 << " MiB";
  return out.str();
}

HttpResult SendJson(int port, const std::string& target, const json& body,
                    std::map<std::string, std::string> headers = {}) {
  headers["Content-Type"] = "application/json";
  return HttpRequestRaw(port, "POST", target, body.dump(), headers);
}

// A real ess-node for region 93 with the node's default limits, except the connection cap
// per address: every wrk connection comes from 127.0.0.1, and the default cap of 64 would
// answer 36 of the 100 with 503 server_busy and close them, so wrk would reconnect all the
// run long (a test of the cap, which http_server_test has) and a real 5xx would hide among
// those 503s. The total cap (512) stays.
class LoadNode {
 public:
  LoadNode(const TempDir& dir, const std::string& database) : dir_(dir) {
    const std::string key_file = dir.File("node.key");
    ChildProcess keygen(
        BuiltExecutable("essctl/essctl"),
        {"keygen", "--name", std::string("ess-federation/region/") + kRegion, "--out", key_file},
        dir.File("keygen.log"));
    REQUIRE(keygen.Wait(30s) == 0);
    const std::string password_file = dir.File("admin-password");
    std::ofstream(password_file) << kAdminPassword << "\n";
    common_ = {"--region", kRegion, "--database", database, "--key-file", key_file,
               // Fast password hashing for the one admin login of the set-up; no reminders.
               "--security.password-ops", "1", "--security.password-mem-kib", "8",
               "--freshness.reminder-interval-minutes", "0"};
    std::vector<std::string> create = common_;
    create.insert(create.end(),
                  {"--create-admin", kAdminEmail, "--admin-password-file", password_file});
    ChildProcess admin(BuiltExecutable("node/ess-node"), create, dir.File("create-admin.log"));
    REQUIRE_MESSAGE(admin.Wait(60s) == 0, ReadFile(dir.File("create-admin.log")));

    std::vector<std::string> run = common_;
    run.insert(run.end(),
               {"--referential", ESS_REFERENTIAL_FILE, "--http", "127.0.0.1:0",
                "--http-max-connections-per-client", "0", "--ready-file", dir.File("node.ready")});
    process_ = std::make_unique<ChildProcess>(BuiltExecutable("node/ess-node"), run, log_file());
    port_ = WaitForReadyFile(dir.File("node.ready"), *process_, 60s).at("http");
  }

  int port() const { return port_; }
  ChildProcess& process() { return *process_; }
  std::string log_file() const { return dir_.File("node.log"); }

  // Signs the admin in; the session's headers for state-changing requests.
  std::map<std::string, std::string> AdminHeaders() const {
    auto login =
        SendJson(port_, "/api/session", {{"email", kAdminEmail}, {"password", kAdminPassword}});
    REQUIRE_MESSAGE(login.status == 201, login.body);
    const std::string cookie =
        login.headers["set-cookie"].substr(0, login.headers["set-cookie"].find(';'));
    return {{"Cookie", cookie}, {"X-CSRF-Token", json::parse(login.body)["csrf_token"]}};
  }

 private:
  const TempDir& dir_;
  std::vector<std::string> common_;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// The seeded region's vocabulary: the queries below search its words.
const char* const kKinds[] = {"Épicerie solidaire", "AMAP",
                              "Recyclerie",         "Jardin partagé",
                              "Café associatif",    "Atelier vélo",
                              "Ressourcerie",       "Crèche parentale",
                              "Régie de quartier",  "Coopérative d'habitants"};

// `count` admitted initiatives spread over the region's communes that have a position (at
// most ~1 km from it), as a regional database's CSV export would list them.
std::vector<std::string> SeedRows(int count) {
  std::ifstream file(ESS_REFERENTIAL_FILE);
  const json referential = json::parse(file);
  std::vector<json> communes;
  for (const auto& c : referential["communes"]) {
    if (c["region"] == kRegion && c.contains("latitude")) communes.push_back(c);
  }
  REQUIRE(communes.size() > 100);
  std::vector<std::pair<std::string, std::string>> forms;  // family, legal form
  for (const auto& f : referential["legal_forms"]) forms.emplace_back(f["family"], f["code"]);
  std::vector<std::string> activities;
  for (const auto& a : referential["activities"]) activities.push_back(a["code"]);

  std::vector<std::string> rows;
  for (int i = 0; i < count; ++i) {
    const json& commune = communes[(i * 7) % communes.size()];
    const auto& [family, legal_form] = forms[i % forms.size()];
    const std::size_t activity = i % activities.size();  // and a different second one
    const std::size_t other =
        (activity + 1 + i / activities.size() % (activities.size() - 1)) % activities.size();
    const double jitter_lat = ((i * 37) % 200 - 100) / 10000.0;
    const double jitter_lon = ((i * 53) % 200 - 100) / 10000.0;
    std::ostringstream row;
    row << std::fixed << std::setprecision(5) << kKinds[i % std::size(kKinds)] << " "
        << commune["name"].get<std::string>() << " " << i << ";" << family << ";" << legal_form
        << ";" << activities[activity] << "|" << activities[other] << ";"
        << commune["code"].get<std::string>() << ";" << (i % 2 ? "oui" : "non") << ";"
        << commune["latitude"].get<double>() + jitter_lat << ";"
        << commune["longitude"].get<double>() + jitter_lon;
    rows.push_back(row.str());
  }
  return rows;
}

void Seed(const LoadNode& node, int count) {
  const auto admin = node.AdminHeaders();
  auto charter =
      SendJson(node.port(), "/api/admin/charter", {{"text", "Charte de la région"}}, admin);
  REQUIRE_MESSAGE(charter.status == 201, charter.body);
  const json mapping = {{"name", "Nom"},           {"family", "Famille"},
                        {"legal_form", "Statut"},  {"activities", "Activités"},
                        {"commune", "Code INSEE"}, {"employer", "Employeur"},
                        {"latitude", "Lat"},       {"longitude", "Lon"}};
  const std::vector<std::string> rows = SeedRows(count);
  constexpr std::size_t kRowsPerImport = 5000;  // under the node's import.max-rows
  for (std::size_t from = 0; from < rows.size(); from += kRowsPerImport) {
    std::string csv = "Nom;Famille;Statut;Activités;Code INSEE;Employeur;Lat;Lon\r\n";
    for (std::size_t i = from; i < std::min(rows.size(), from + kRowsPerImport); ++i) {
      csv += rows[i] + "\r\n";
    }
    auto imported = SendJson(
        node.port(), "/api/admin/import",
        {{"csv", csv}, {"separator", ";"}, {"mapping", mapping}, {"status", "admitted"}}, admin);
    REQUIRE_MESSAGE(imported.status == 201, imported.body.substr(0, 2000));
  }
}

// What the search run asks, in turn: full-text queries, filters, a radius, map clusters at
// three zooms over the region's box.
std::vector<std::string> SearchTargets() {
  return {"/api/initiatives?q=epicerie",
          "/api/initiatives?q=amap&per_page=50",
          "/api/initiatives?q=recyclerie&page=2",
          "/api/initiatives?q=jardin%20partage",
          "/api/initiatives?q=cafe&activity=alimentation",
          "/api/initiatives?q=velo&department=06",
          "/api/initiatives?department=13&page=3",
          "/api/initiatives?near=43.2965,5.3698&radius_km=25",
          "/api/map/clusters?bbox=4.2,42.9,7.8,45.2&zoom=6",
          "/api/map/clusters?bbox=4.2,42.9,7.8,45.2&zoom=9",
          "/api/map/clusters?bbox=5.2,43.1,5.6,43.5&zoom=12&q=epicerie"};
}

struct RunFigures {
  json wrk;                // the ESS_LOAD line of tests/load/wrk_load.lua
  long rss_first_kib = 0;  // median over the first kRssWindow
  long rss_last_kib = 0;   // median over the last kRssWindow
  long rss_peak_kib = 0;
  std::size_t samples = 0;
};

// Runs wrk with tests/load/wrk_load.lua and `script_args` against the node for `seconds`,
// sampling the node's VmRSS every second meanwhile.
RunFigures RunWrk(const TempDir& dir, LoadNode& node, const std::string& name,
                  const std::vector<std::string>& script_args, int seconds) {
  const std::string wrk = FindOnPath("wrk");
  REQUIRE_MESSAGE(!wrk.empty(), "wrk is not installed (deploy/install-deps.sh installs it)");
  const int connections = Setting("ESS_LOAD_CONNECTIONS", 100);
  std::vector<std::string> args = {
      "--threads", std::to_string(Setting("ESS_LOAD_THREADS", 2)), "--connections",
      std::to_string(connections), "--duration", std::to_string(seconds) + "s",
      // A slow answer is a figure, not a socket error.
      "--timeout", "10s", "--latency", "--script", std::string(ESS_LOAD_DIR) + "/wrk_load.lua",
      "http://127.0.0.1:" + std::to_string(node.port()), "--"};
  args.insert(args.end(), script_args.begin(), script_args.end());
  const std::string output = dir.File("wrk-" + name + ".log");
  std::vector<std::pair<std::chrono::steady_clock::duration, long>> samples;
  const auto started = std::chrono::steady_clock::now();
  ChildProcess run(wrk, args, output);
  std::optional<int> code;
  while (!(code = run.Wait(1s))) {
    samples.emplace_back(std::chrono::steady_clock::now() - started,
                         ResidentKiB(node.process().pid()));
    REQUIRE_MESSAGE(std::chrono::steady_clock::now() - started < std::chrono::seconds(seconds + 60),
                    "wrk did not stop");
  }
  const std::string text = ReadFile(output);
  REQUIRE_MESSAGE(*code == 0, text);
  const auto line = text.find("ESS_LOAD ");
  REQUIRE_MESSAGE(line != std::string::npos, text);
  RunFigures figures;
  figures.wrk = json::parse(text.substr(line + 9, text.find('\n', line) - line - 9));
  const auto last_from = std::chrono::seconds(seconds) - kRssWindow;
  std::vector<long> first, last;
  for (const auto& [at, kib] : samples) {
    REQUIRE(kib > 0);
    if (at <= kRssWindow) first.push_back(kib);
    if (at >= last_from && at <= std::chrono::seconds(seconds)) last.push_back(kib);
    figures.rss_peak_kib = std::max(figures.rss_peak_kib, kib);
  }
  figures.samples = samples.size();
  figures.rss_first_kib = Median(first);
  figures.rss_last_kib = Median(last);

  const json& w = figures.wrk;
  const double per_second = w["requests"].get<double>() / (w["duration_us"].get<double>() / 1e6);
  std::cout << "load " << name << ": " << connections << " connections, " << seconds
            << " s: " << w["requests"] << " requests (" << std::fixed << std::setprecision(1)
            << per_second << "/s), latency p50 " << w["latency_us"]["p50"].get<double>() / 1000
            << " ms, p99 " << w["latency_us"]["p99"].get<double>() / 1000 << " ms, max "
            << w["latency_us"]["max"].get<double>() / 1000 << " ms; statuses "
            << w["statuses"].dump() << "; socket errors " << w["errors"].dump()
            << "; node RSS median first " << kRssWindow.count() << " s "
            << MiB(figures.rss_first_kib) << ", last " << kRssWindow.count() << " s "
            << MiB(figures.rss_last_kib) << ", peak " << MiB(figures.rss_peak_kib) << " ("
            << figures.samples << " samples)" << std::endl;
  return figures;
}

// What every run must hold: no socket error (the connection cap per address is off, see
// LoadNode), no 5xx, the node's memory flat.
void CheckRun(const RunFigures& figures, const std::string& name) {
  INFO("run: ", name, ", wrk: ", figures.wrk.dump());
  for (const char* error : {"connect", "read", "write", "timeout"}) {
    CHECK_MESSAGE(figures.wrk["errors"][error] == 0, error, " errors");
  }
  int server_errors = 0;
  for (const auto& [status, count] : figures.wrk["statuses"].items()) {
    if (std::stoi(status) >= 500) server_errors += count.get<int>();
  }
  CHECK(server_errors == 0);
  const long bound = static_cast<long>(kRssFactor * figures.rss_first_kib) + kRssSlackKiB;
  CHECK_MESSAGE(figures.rss_last_kib <= bound, "RSS of the last ", kRssWindow.count(), " s ",
                MiB(figures.rss_last_kib), " over the bound ", MiB(bound), " (first ",
                kRssWindow.count(), " s: ", MiB(figures.rss_first_kib), ")");
}

}  // namespace

TEST_CASE(
    "100 connections on search, then on submission: no 5xx, no socket error, the node alive, "
    "its memory flat") {
  const int seconds = Setting("ESS_LOAD_SECONDS", 30);
  REQUIRE_MESSAGE(seconds >= 2 * kRssWindow.count(), "ESS_LOAD_SECONDS: at least 20");
  TempDir dir;
  TestDatabase db;
  LoadNode node(dir, db.connection_string());
  const int initiatives = Setting("ESS_LOAD_INITIATIVES", 3000);
  Seed(node, initiatives);
  std::cout << "load: node RSS after seeding " << initiatives << " initiatives "
            << MiB(ResidentKiB(node.process().pid())) << std::endl;
  {
    // Every query finds something in the seeded region.
    for (const std::string& target : SearchTargets()) {
      auto r = HttpGet(node.port(), target);
      REQUIRE_MESSAGE(r.status == 200, target, ": ", r.body);
      const json body = json::parse(r.body);
      const bool found =
          body.contains("clusters") ? !body["clusters"].empty() : !body["items"].empty();
      CHECK_MESSAGE(found, target, " finds nothing: ", r.body.substr(0, 300));
    }
  }

  {
    std::ofstream targets(dir.File("search-targets.txt"));
    for (const std::string& target : SearchTargets()) targets << target << "\n";
  }
  RunFigures search = RunWrk(dir, node, "search", {"get", dir.File("search-targets.txt")}, seconds);
  CheckRun(search, "search");
  for (const auto& [status, count] : search.wrk["statuses"].items()) {
    CHECK_MESSAGE(status == "200", count, " searches answered ", status);
  }
  CHECK(search.wrk["requests"].get<long>() > 0);

  std::ofstream(dir.File("submission.json"))
      << NodeFixture::ValidInitiative({{"name", "Épicerie solidaire sous charge"}}).dump();
  RunFigures submit = RunWrk(dir, node, "submission",
                             {"post", "/api/initiatives", dir.File("submission.json")}, seconds);
  CheckRun(submit, "submission");
  long accepted = 0, limited = 0;
  for (const auto& [status, count] : submit.wrk["statuses"].items()) {
    if (status == "201") {
      accepted = count.get<long>();
    } else if (status == "429") {
      limited = count.get<long>();
    } else {
      CHECK_MESSAGE(false, count, " submissions answered ", status);
    }
  }
  // The limit per address holds under load: its burst, then its rate (a few seconds more
  // than the run for wrk's start and end).
  CHECK(accepted >= 1);
  CHECK(accepted <= kSubmissionBurst + kSubmissionsPerMinute * (seconds + 5) / 60 + 1);
  CHECK(limited > 0);
  std::cout << "load submission: " << accepted << " accepted (201), " << limited << " limited (429)"
            << std::endl;

  // Still there, still answering, and it stops cleanly.
  REQUIRE_MESSAGE(node.process().Running(), ReadFile(node.log_file()).substr(0, 4000));
  auto health = HttpGet(node.port(), "/healthz");
  CHECK(health.status == 200);
  CHECK(HttpGet(node.port(), SearchTargets().front()).status == 200);
  node.process().Signal(SIGTERM);
  CHECK(node.process().Wait(30s) == 0);
}
