// The real ess-node process: --create-admin, a config file, and a SIGKILL in the middle of
// a burst of writes: after restart every acknowledged write is there with its record, and
// no record lacks its state.
#include <doctest/doctest.h>

#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/checkpoint.h"
#include "core/key_file.h"
#include "core/log_store.h"
#include "core/verify.h"
#include "tests/node/node_fixture.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

struct Deployment {
  TempDir dir;
  TestDatabase db;
  std::string key_file = dir.File("node.key");
  std::string config = dir.File("node.conf");

  Deployment() {
    ChildProcess keygen(BuiltExecutable("essctl/essctl"),
                        {"keygen", "--name", "ess-federation/region/93", "--out", key_file}, dir.File("keygen.log"));
    REQUIRE(keygen.Wait(20s) == 0);
    std::ofstream conf(config);
    conf << "region = 93\n"
         << "database = " << db.connection_string() << "\n"
         << "key-file = " << key_file << "\n"
         << "referential = " << ESS_REFERENTIAL_FILE << "\n"
         << "http = 127.0.0.1:0\n"
         << "[freshness]\nreminder-interval-minutes = 0\n"
         << "[participation]\nrate-per-minute = 1000000\nrate-burst = 1000000\n"
         << "[security]\npassword-ops = 1\npassword-mem-kib = 8\n";
  }

  int RunToExit(const std::vector<std::string>& args) {
    ChildProcess p(BuiltExecutable("node/ess-node"), args, dir.File("run.log"));
    auto code = p.Wait(30s);
    REQUIRE(code);
    return *code;
  }

  std::unique_ptr<ChildProcess> Start(const std::string& ready) {
    auto p = std::make_unique<ChildProcess>(BuiltExecutable("node/ess-node"),
                                            std::vector<std::string>{"--config", config, "--ready-file", dir.File(ready)},
                                            dir.File("node.log"));
    return p;
  }

  RegionKeyRing KeyRing() const {
    NamedSigner key = ReadKeyFile(key_file);
    RegionKeyRing ring(key.name);
    REQUIRE(ring.Add({*ParseVerifierKey(FormatVerifierKey(key.name, key.signer.public_key())), 0, std::nullopt, false}).ok());
    return ring;
  }
};

struct Client {
  int port;
  std::string cookie, csrf;

  HttpResult Post(const std::string& target, const json& body) const {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!cookie.empty()) {
      headers["Cookie"] = cookie;
      headers["X-CSRF-Token"] = csrf;
    }
    return HttpRequestRaw(port, "POST", target, body.dump(), headers);
  }
  void Login(const std::string& email, const std::string& password) {
    auto r = Post("/api/session", {{"email", email}, {"password", password}});
    REQUIRE_MESSAGE(r.status == 201, r.body);
    cookie = r.headers["set-cookie"].substr(0, r.headers["set-cookie"].find(';'));
    csrf = json::parse(r.body)["csrf_token"];
  }
};

}  // namespace

TEST_CASE("--create-admin reads the password, refuses a second account for the same address") {
  Deployment d;
  std::ofstream(d.dir.File("password")) << "mot-de-passe-admin\n";
  CHECK(d.RunToExit({"--config", d.config, "--create-admin", "admin@example.org", "--admin-password-file",
                     d.dir.File("password")}) == 0);
  CHECK(d.RunToExit({"--config", d.config, "--create-admin", "admin@example.org", "--admin-password-file",
                     d.dir.File("password")}) == 1);
  std::ofstream(d.dir.File("short")) << "court\n";
  CHECK(d.RunToExit({"--config", d.config, "--create-admin", "autre@example.org", "--admin-password-file",
                     d.dir.File("short")}) == 1);
  CHECK(d.RunToExit({"--config", d.config, "--committee.majority", "0.3"}) == 2);
  // The documented example parses (it then stops at its key file, which is not here).
  CHECK(d.RunToExit({"--config", ESS_EXAMPLE_CONFIG, "--key-file", d.dir.File("absent.key")}) == 1);
  std::string log = ReadFile(d.dir.File("run.log"));
  CHECK(log.find("compte administrateur créé : admin@example.org") != std::string::npos);
  CHECK(log.find("Un compte existe déjà") != std::string::npos);
  CHECK(log.find("--committee.majority") != std::string::npos);
  CHECK(log.find("absent.key") != std::string::npos);

  auto node = d.Start("ready");
  auto ports = WaitForReadyFile(d.dir.File("ready"), *node, 30s);
  Client admin{ports.at("http"), "", ""};
  admin.Login("admin@example.org", "mot-de-passe-admin");
  node->Signal(SIGTERM);
  CHECK(node->Wait(20s) == 0);
}

TEST_CASE("SIGKILL in the middle of a burst of writes: every acknowledged write has its record and state") {
  Deployment d;
  std::ofstream(d.dir.File("password")) << "mot-de-passe-admin\n";
  REQUIRE(d.RunToExit({"--config", d.config, "--create-admin", "admin@example.org", "--admin-password-file",
                       d.dir.File("password")}) == 0);
  auto node = d.Start("ready1");
  const int port = WaitForReadyFile(d.dir.File("ready1"), *node, 30s).at("http");
  Client admin{port, "", ""};
  admin.Login("admin@example.org", "mot-de-passe-admin");
  REQUIRE(admin.Post("/api/admin/charter", {{"text", "Charte"}}).status == 201);

  std::mutex mutex;
  std::condition_variable progress;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  auto writer = [&](int n) {
    Client client{port, "", ""};
    for (int i = 0; !stop; ++i) {
      try {
        json body = NodeFixture::ValidInitiative({{"name", "Initiative " + std::to_string(n) + "-" + std::to_string(i)}});
        auto r = client.Post("/api/initiatives", body);
        if (r.status != 201) continue;
        std::lock_guard lock(mutex);
        acknowledged.push_back(json::parse(r.body)["initiative"]["id"]);
        progress.notify_all();
      } catch (const std::exception&) {
        return;  // the node is gone
      }
    }
  };
  std::vector<std::thread> writers;
  for (int n = 0; n < 3; ++n) writers.emplace_back(writer, n);
  {
    std::unique_lock lock(mutex);
    REQUIRE(progress.wait_for(lock, 60s, [&] { return acknowledged.size() >= 40; }));
  }
  node->Signal(SIGKILL);  // writes are in flight on the other threads
  stop = true;
  for (auto& t : writers) t.join();
  REQUIRE(node->Wait(20s) == 128 + SIGKILL);

  // Restart on the same database: it starts, and the journal goes on.
  auto again = d.Start("ready2");
  const int port2 = WaitForReadyFile(d.dir.File("ready2"), *again, 30s).at("http");
  Client public_client{port2, "", ""};
  auto after = public_client.Post("/api/initiatives", NodeFixture::ValidInitiative({{"name", "Après redémarrage"}}));
  REQUIRE(after.status == 201);
  std::string after_id = json::parse(after.body)["initiative"]["id"];
  again->Signal(SIGTERM);
  REQUIRE(again->Wait(20s) == 0);

  pqxx::connection conn(d.db.connection_string());
  PrepareLogStatements(conn);
  pqxx::work txn(conn);
  std::set<std::string> states, recorded;
  for (const auto& row : txn.exec("SELECT initiative_id::text FROM initiative")) states.insert(row[0].as<std::string>());
  for (const auto& row : txn.exec("SELECT record_id::text FROM log_entry WHERE kind = 'initiative'")) {
    recorded.insert(row[0].as<std::string>());
  }
  for (const auto& id : acknowledged) {
    CHECK_MESSAGE(states.count(id) == 1, "acknowledged write lost: ", id);
    CHECK_MESSAGE(recorded.count(id) == 1, "acknowledged write without record: ", id);
  }
  CHECK(states == recorded);  // no record without its state, no state without its record
  CHECK(states.count(after_id) == 1);
  CHECK(states.size() >= acknowledged.size() + 1);

  // The journal: contiguous indexes, every record verifies against the latest checkpoint.
  LogStore store(txn, "93");
  const std::uint64_t size = store.ReadHead(false).size();
  CHECK(size == states.size() + 1);  // + the charter
  std::string note = *store.LatestCheckpointNote();
  RegionKeyRing ring = d.KeyRing();
  Checkpoint checkpoint;
  REQUIRE(VerifyCheckpointNote(note, ring, checkpoint).ok());
  CHECK(checkpoint.size == size);
  auto records = store.ReadRecords(0, size);
  REQUIRE(records.size() == size);
  for (std::uint64_t i = 0; i < size; ++i) {
    CHECK(records[i].entry.index == i);
    RecordProof proof{records[i].entry_bytes, records[i].payload, records[i].salt, store.InclusionProof(i, size), note};
    CHECK_MESSAGE(VerifyRecordProof(proof, "93", ring).ok(), "record ", i);
  }
}
