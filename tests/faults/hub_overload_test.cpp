// Overload (issue 12, docs/decisions/0014-overload.md): a real ess-hub process on a real
// PostgreSQL, its national queries made slow for real by the test-only option
// --http-test-expensive-sleep-ms (each expensive request first runs pg_sleep in PostgreSQL).
// Many clients ask the expensive route at once while a probe asks /healthz and cheap routes:
// every probe is answered 200, the expensive class admits exactly its workers plus its queue
// and answers every other request 503 busy with Retry-After; clients that hang up leave no
// query running in pg_stat_activity; SIGTERM under load ends the hub well before the sleeps
// would. Answers are counted, never timed: each bound below is a polling limit far above what
// the behaviour needs, and far below the 60 s the sleeps would take.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "tests/hub/hub_processes.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;

namespace {

constexpr int kExpensiveWorkers = 2;
constexpr int kExpensiveQueue = 2;
constexpr int kAdmitted = kExpensiveWorkers + kExpensiveQueue;

// One HTTP/1.1 request on its own loopback connection, whose answer is read later (or never:
// closing the socket is the client hanging up).
class PendingRequest {
 public:
  PendingRequest(int port, const std::string& target) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    REQUIRE(::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
    const std::string request =
        "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    REQUIRE(::send(fd_, request.data(), request.size(), MSG_NOSIGNAL) ==
            static_cast<ssize_t>(request.size()));
  }
  ~PendingRequest() { HangUp(); }
  PendingRequest(const PendingRequest&) = delete;
  PendingRequest& operator=(const PendingRequest&) = delete;

  // Reads what has arrived, waiting at most `wait`; true once the whole answer is there (the
  // server closes after it: Connection: close).
  bool Poll(std::chrono::milliseconds wait) {
    if (fd_ < 0 || done_) return done_;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(wait.count())) <= 0) return false;
    char buffer[4096];
    for (;;) {
      const auto n = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0) {
        received_.append(buffer, static_cast<std::size_t>(n));
        continue;
      }
      if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) done_ = true;
      return done_;
    }
  }
  void HangUp() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool done() const { return done_; }
  int status() const {
    if (received_.size() < 12 || received_.compare(0, 5, "HTTP/") != 0) return 0;
    return std::stoi(received_.substr(9, 3));
  }
  bool HasHeader(const std::string& name) const {
    return received_.find("\r\n" + name + ":") != std::string::npos;
  }
  const std::string& received() const { return received_; }

 private:
  int fd_ = -1;
  bool done_ = false;
  std::string received_;
};

// The status of a GET answered within `bound` (0 when it was not).
int GetStatus(int port, const std::string& target, std::chrono::milliseconds bound = 15s) {
  PendingRequest request(port, target);
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (!request.Poll(100ms)) {
    if (std::chrono::steady_clock::now() > deadline) return 0;
  }
  return request.status();
}

// Queries of the hub's slow class running now in PostgreSQL.
int SleepingQueries(const std::string& database) {
  pqxx::connection conn(database);
  pqxx::nontransaction txn(conn);
  return txn
      .exec1(
          "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
          "AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE 'SELECT pg_sleep(%'")[0]
      .as<int>();
}

// Polls until SleepingQueries(database) == `want`, at most `bound`.
bool WaitForSleeping(const std::string& database, int want, std::chrono::seconds bound) {
  const auto deadline = std::chrono::steady_clock::now() + bound;
  while (std::chrono::steady_clock::now() < deadline) {
    if (SleepingQueries(database) == want) return true;
    std::this_thread::sleep_for(50ms);
  }
  return SleepingQueries(database) == want;
}

// /healthz and two cheap routes (one without, one with a query), asked in turn from a thread
// until stopped; counts the answers and the 200s.
class Probe {
 public:
  explicit Probe(int port)
      : thread_([this, port] {
          const char* targets[] = {"/healthz", "/api/regions", "/api/hub/key"};
          for (std::size_t i = 0; !stop_; ++i) {
            const int status = GetStatus(port, targets[i % 3]);
            ++asked_;
            if (status == 200) ++ok_;
            std::this_thread::sleep_for(20ms);
          }
        }) {}
  ~Probe() { Stop(); }
  void Stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int asked() const { return asked_; }
  int ok() const { return ok_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> asked_{0}, ok_{0};
  std::thread thread_;
};

}  // namespace

TEST_CASE(
    "a hub under a flood of national queries: probes answered, excess 503, hang-ups cancel, "
    "SIGTERM ends it") {
  TempDir dir;
  TestDatabase db;
  const std::string key = MakeKey(dir, "ess-federation/hub", "hub.key");
  const std::string ready = dir.File("hub.ready");
  ChildProcess hub(BuiltExecutable("hub/ess-hub"),
                   {"--database",
                    db.connection_string(),
                    "--key-file",
                    key,
                    "--http",
                    "127.0.0.1:0",
                    "--grpc",
                    "127.0.0.1:0",
                    "--ready-file",
                    ready,
                    "--referential",
                    ESS_REFERENTIAL_FILE,
                    "--database-pool",
                    "8",
                    "--http-expensive-workers",
                    std::to_string(kExpensiveWorkers),
                    "--http-expensive-queue",
                    std::to_string(kExpensiveQueue),
                    "--http-expensive-queue-wait-ms",
                    "0",  // the queued ones wait: counted
                    "--http-expensive-statement-timeout-ms",
                    "120000",
                    "--http-test-expensive-sleep-ms",
                    "60000",
                    "--http-stop-wait-ms",
                    "3000"},
                   dir.File("hub.log"));
  const int port = WaitForReadyFile(ready, hub, 60s).at("http");
  const std::string& database = db.connection_string();
  REQUIRE(GetStatus(port, "/healthz") == 200);

  Probe probe(port);

  // The flood: each request its own query string, so that no cache answers it.
  constexpr int kClients = 24;
  std::vector<std::unique_ptr<PendingRequest>> flood;
  for (int i = 0; i < kClients; ++i) {
    flood.push_back(
        std::make_unique<PendingRequest>(port, "/api/initiatives?q=flot" + std::to_string(i)));
  }
  // Everyone beyond the class's workers and queue is answered at once: poll until they are.
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  int answered = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    answered = 0;
    for (auto& r : flood) answered += r->Poll(10ms) ? 1 : 0;
    if (answered >= kClients - kAdmitted) break;
  }
  int busy = 0, with_retry_after = 0;
  for (auto& r : flood) {
    if (!r->done()) continue;
    if (r->status() == 503) ++busy;
    if (r->status() == 503 && r->HasHeader("Retry-After") &&
        r->received().find("\"code\":\"busy\"") != std::string::npos)
      ++with_retry_after;
  }
  CHECK(answered == kClients - kAdmitted);
  CHECK(busy == kClients - kAdmitted);
  CHECK(with_retry_after == kClients - kAdmitted);
  // The class's workers are in PostgreSQL, sleeping; the queue holds the rest.
  CHECK(WaitForSleeping(database, kExpensiveWorkers, 30s));
  // A cheap route while the expensive class is full.
  CHECK(GetStatus(port, "/api/regions") == 200);

  // The admitted clients hang up: their queries are cancelled, the queued ones never run.
  for (auto& r : flood) r->HangUp();
  CHECK(WaitForSleeping(database, 0, 20s));
  // Still nothing of theirs after a few more polls (a queued one would have started by now).
  for (int i = 0; i < 10; ++i) {
    CHECK(SleepingQueries(database) == 0);
    std::this_thread::sleep_for(50ms);
  }

  probe.Stop();
  std::cout << "probes: " << probe.asked() << " asked, " << probe.ok() << " answered 200\n";
  CHECK(probe.asked() > 0);
  CHECK(probe.ok() == probe.asked());

  // SIGTERM under load: the expensive class full again, its queries sleeping for 60 s.
  std::vector<std::unique_ptr<PendingRequest>> load;
  for (int i = 0; i < 8; ++i) {
    load.push_back(
        std::make_unique<PendingRequest>(port, "/api/map/clusters?q=charge" + std::to_string(i)));
  }
  REQUIRE(WaitForSleeping(database, kExpensiveWorkers, 30s));
  hub.Signal(SIGTERM);
  // Far below the sleeps' 60 s: only cancelling them ends the hub in time.
  auto code = hub.Wait(30s);
  REQUIRE(code.has_value());
  CHECK(*code == 0);
  CHECK(SleepingQueries(database) == 0);
}
