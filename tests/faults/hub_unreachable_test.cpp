// Faults, multi-process: the hub unreachable for a while, first stopped (nothing on its port:
// connections refused), then its port held by a listener that closes every connection it
// accepts. Meanwhile the node accepts submissions over HTTP (201, journalled), its admin
// replication status says the hub is unreachable, and once the hub is back the backlog
// drains: the hub ends with every entry of the node's log.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using nlohmann::json;

namespace {

// Listens on 127.0.0.1:`port` and closes each connection as soon as it is accepted, until
// destroyed: a port that takes connections and answers nothing.
class ClosingListener {
 public:
  explicit ClosingListener(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    int on = 1;
    ::setsockopt(fd_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    REQUIRE(::listen(fd_, 16) == 0);
    thread_ = std::thread([this] {
      while (!stop_) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 50) <= 0) continue;
        int connection = ::accept(fd_, nullptr, nullptr);
        if (connection < 0) continue;
        ::close(connection);
        ++accepted_;
      }
    });
  }
  ~ClosingListener() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  ClosingListener(const ClosingListener&) = delete;
  ClosingListener& operator=(const ClosingListener&) = delete;

  int accepted() const { return accepted_; }

 private:
  int fd_ = -1;
  std::atomic<bool> stop_{false};
  std::atomic<int> accepted_{0};
  std::thread thread_;
};

// The node's HTTP API as a client sees it: one session cookie and its CSRF token once
// signed in.
struct NodeClient {
  int port;
  std::string cookie, csrf;

  std::map<std::string, std::string> Headers() const {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!cookie.empty()) {
      headers["Cookie"] = cookie;
      headers["X-CSRF-Token"] = csrf;
    }
    return headers;
  }
  HttpResult Post(const std::string& target, const json& body) const {
    return HttpRequestRaw(port, "POST", target, body.dump(), Headers());
  }
  json Get(const std::string& target) const {
    auto r = HttpRequestRaw(port, "GET", target, {}, Headers());
    REQUIRE_MESSAGE(r.status == 200, target, " -> ", r.status, " ", r.body);
    return json::parse(r.body);
  }
  void Login(const std::string& email, const std::string& password) {
    auto r = Post("/api/session", {{"email", email}, {"password", password}});
    REQUIRE_MESSAGE(r.status == 201, r.body);
    cookie = r.headers["set-cookie"].substr(0, r.headers["set-cookie"].find(';'));
    csrf = json::parse(r.body)["csrf_token"];
  }
};

// A public submission, as the regional site's form sends it.
json Submission(const std::string& name) {
  return {{"name", name},
          {"family", "association"},
          {"legal_form", "association_loi_1901"},
          {"activities", {"alimentation"}},
          {"description", "Une initiative déposée pendant que le hub est injoignable."},
          {"commune", "13055"},
          {"latitude", 43.29900},
          {"longitude", 5.36900},
          {"email", "contact@example.org"},
          {"private", {{"contact_name", "Marie Durand"}, {"contact_email", "marie@example.org"}}},
          {"charter", {{"version", 1}, {"adhered_by", "Marie Durand"}}}};
}

// Submits `count` initiatives; each must be acknowledged with 201.
void Submit(const NodeClient& visitor, const std::string& phase, int count) {
  for (int i = 0; i < count; ++i) {
    auto r = visitor.Post("/api/initiatives", Submission(phase + " " + std::to_string(i)));
    REQUIRE_MESSAGE(r.status == 201, phase, " ", i, ": ", r.status, " ", r.body);
  }
}

const char* const kLogRows =
    "SELECT log_index || ' ' || encode(leaf_hash, 'hex') FROM log_entry WHERE region = '93' "
    "ORDER BY log_index";

std::vector<std::string> Rows(const std::string& database, const std::string& sql) {
  pqxx::connection c(database);
  pqxx::nontransaction txn(c);
  std::vector<std::string> out;
  for (const auto& row : txn.exec(sql)) out.push_back(row[0].as<std::string>());
  return out;
}

}  // namespace

TEST_CASE("the hub unreachable: the node takes writes, says so, and the backlog drains") {
  TempDir dir;
  TestDatabase hub_db, node_db;
  HubProcess hub(dir, hub_db.connection_string());
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  Enrol(dir, hub_db.connection_string(), "93", key);
  hub.Start();

  // Fast password hashing and no participation limit: the test signs in and submits a lot.
  const std::vector<std::string> settings = {"--security.password-ops",
                                             "1",
                                             "--security.password-mem-kib",
                                             "8",
                                             "--participation.rate-per-minute",
                                             "1000000",
                                             "--participation.rate-burst",
                                             "1000000",
                                             "--freshness.reminder-interval-minutes",
                                             "0"};
  std::ofstream(dir.File("password")) << "mot-de-passe-admin\n";
  {
    std::vector<std::string> args = {"--region",
                                     "93",
                                     "--database",
                                     node_db.connection_string(),
                                     "--key-file",
                                     key,
                                     "--referential",
                                     ESS_REFERENTIAL_FILE,
                                     "--create-admin",
                                     "admin@example.org",
                                     "--admin-password-file",
                                     dir.File("password")};
    args.insert(args.end(), settings.begin(), settings.end());
    ChildProcess create(BuiltExecutable("node/ess-node"), args, dir.File("create-admin.log"));
    REQUIRE_MESSAGE(create.Wait(60s) == 0, ReadFile(dir.File("create-admin.log")));
  }
  NodeProcess node(dir, "93", node_db.connection_string(), key);
  node.Start(hub.grpc_address(), settings);
  NodeClient admin{node.http_port(), "", ""};
  admin.Login("admin@example.org", "mot-de-passe-admin");
  REQUIRE(admin.Post("/api/admin/charter", {{"text", "Charte de l'ESS"}}).status == 201);
  const NodeClient visitor{node.http_port(), "", ""};

  auto replication = [&] { return admin.Get("/api/admin/replication"); };
  auto hub_holds_everything = [&] {
    json r = replication();
    return r["hub"].is_object() && r["hub"]["tree_size"] == r["log_size"] &&
           r["hub"]["last_error"].is_null();
  };
  Submit(visitor, "Avant la panne", 3);
  REQUIRE(WaitUntil(60s, hub_holds_everything));
  const std::int64_t before = replication()["log_size"];

  // 1. The hub stopped: nothing listens on its port, connections are refused.
  hub.Stop();
  Submit(visitor, "Hub arrêté", 10);
  json status;
  CHECK_MESSAGE(WaitUntil(60s,
                          [&] {
                            status = replication();
                            return status["hub"]["last_error"].is_string();
                          }),
                status.dump());
  CHECK(status["log_size"].get<std::int64_t>() >= before + 10);  // journalled
  CHECK(status["hub"]["tree_size"] == before);                   // not replicated
  CHECK(status["hub"]["last_error"].get<std::string>().rfind("hub injoignable", 0) == 0);
  CHECK(status["hub"]["last_error_at"].is_string());
  std::cout << "hub_unreachable_test: port refused: " << status["hub"]["last_error"] << std::endl;

  // 2. Its port takes connections and closes them at once.
  {
    ClosingListener closing(hub.grpc_port());
    Submit(visitor, "Port qui ferme", 10);
    CHECK(WaitUntil(60s, [&] { return closing.accepted() >= 1; }));  // the node kept trying
    // A failure recorded after that connection: the node saw the listener close it.
    const std::string tried_at = replication()["hub"]["last_error_at"];
    CHECK_MESSAGE(WaitUntil(60s,
                            [&] {
                              status = replication();
                              return status["hub"]["last_error_at"] != tried_at;
                            }),
                  status.dump());
    CHECK(status["hub"]["last_error"].get<std::string>().rfind("hub injoignable", 0) == 0);
    CHECK(status["hub"]["tree_size"] == before);
    std::cout << "hub_unreachable_test: connections closed: " << status["hub"]["last_error"] << " ("
              << closing.accepted() << " connections)" << std::endl;
  }
  const std::int64_t written = replication()["log_size"];
  CHECK(written >= before + 20);

  // 3. The hub back on its port: the backlog drains by itself, the error clears.
  hub.Start();
  const auto back = std::chrono::steady_clock::now();
  CHECK_MESSAGE(WaitUntil(60s, hub_holds_everything), replication().dump());
  std::cout << "hub_unreachable_test: " << written - before
            << " entries written while the hub was away, drained in "
            << std::chrono::duration<double>(std::chrono::steady_clock::now() - back).count()
            << " s" << std::endl;
  CHECK(hub.TreeSize("93") == static_cast<std::uint64_t>(written));
  CHECK(Rows(hub_db.connection_string(), kLogRows) == Rows(node_db.connection_string(), kLogRows));
  CHECK(hub.Region("93")["rejected_count"] == 0);
  node.Stop();
  hub.Stop();
}
