#pragma once
// What the node fault tests share (tests/faults/node_*_test.cpp, pg_*_test.cpp): the seed and
// counts of a run, a real ess-node process with its admin and charter, concurrent clients
// submitting and editing over HTTP with the ledger of what the node acknowledged, and the
// check of the node's database afterwards (every acknowledged write there with its journal
// entry, nothing half there, a dense log whose checkpoints and records verify).

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "core/region_keys.h"
#include "tests/support/child_process.h"

namespace ess::test {

// The seed of the run's random choices: $ESS_FAULT_SEED if set, else a fresh one. Printed on
// stdout either way, so that a failing run can be replayed.
std::uint64_t FaultSeed();
// $`variable` if set to a positive number, else `suite_default` (the reduced count of
// tests/run.sh; docs/reliability.md gives the long runs).
int FaultCount(const char* variable, int suite_default);

// An ess-node process for region 93 on `database`, with the fault tests' settings (rate limits
// out of the way, fast password hashing, no reminder loop) plus `extra` options. Setup()
// creates the admin account with --create-admin, starts the node, publishes the charter.
class FaultNode {
 public:
  FaultNode(const TempDir& dir, std::string database, std::vector<std::string> extra = {});

  void Setup();
  // Starts the node on a free port and waits until it serves (60 s at most).
  void Start();
  // Sends `sig` and waits for the end; returns the exit code (128 + signal when killed).
  int Stop(int sig);
  int port() const { return port_; }
  const std::string& database() const { return database_; }
  const std::string& key_file() const { return key_file_; }
  std::string log_file() const { return dir_.File("node.log"); }
  RegionKeyRing KeyRing() const;

 private:
  const TempDir& dir_;
  std::string database_;
  std::vector<std::string> extra_;
  std::string key_file_;
  int runs_ = 0;
  int port_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// What the node acknowledged (HTTP 2xx received), across every round of a test.
class WriteLedger {
 public:
  struct Initiative {
    std::string edit_token;
    int version = 0;  // the highest record_version acknowledged
  };
  void Acknowledged(const std::string& id, const std::string& edit_token, int version);
  // One acknowledged initiative, picked with `random`; nullopt while there is none.
  std::optional<std::pair<std::string, std::string>> Pick(std::mt19937_64& random);
  std::map<std::string, Initiative> Snapshot();
  std::size_t size();

 private:
  std::mutex mutex_;
  std::map<std::string, Initiative> initiatives_;
  std::vector<std::string> ids_;
};

// `clients` threads writing to the node at `port` from construction to Stop(): each submits a
// new initiative, or (one time in three, once there are some) edits an acknowledged one with
// its edit link. A refusal or a broken connection is counted and the client goes on, after a
// pause of a few milliseconds (the node may be down or its database unreachable).
class WriteTraffic {
 public:
  WriteTraffic(int port, int clients, std::uint64_t seed, WriteLedger& ledger);
  ~WriteTraffic();
  WriteTraffic(const WriteTraffic&) = delete;
  WriteTraffic& operator=(const WriteTraffic&) = delete;

  void Stop();
  // Waits until this traffic got `count` more acknowledgements than it had when called (or
  // failures, for WaitForFailures); false after `timeout`.
  bool WaitForAcknowledged(std::size_t count, std::chrono::milliseconds timeout);
  bool WaitForFailures(std::size_t count, std::chrono::milliseconds timeout);

  std::size_t acknowledged() const { return acknowledged_; }
  std::size_t failures() const { return failures_; }
  // Failures by HTTP status (0: no answer, the connection broke or was refused).
  std::map<int, std::size_t> failures_by_status();
  // The last refusal body received with `status` ("" if none).
  std::string last_refusal(int status);

 private:
  void Run(int client, std::uint64_t seed);
  bool WaitFor(const std::atomic<std::size_t>& counter, std::size_t count,
               std::chrono::milliseconds timeout);

  int port_;
  WriteLedger& ledger_;
  std::atomic<bool> stop_{false};
  std::atomic<std::size_t> acknowledged_{0};
  std::atomic<std::size_t> failures_{0};
  std::mutex mutex_;
  std::map<int, std::size_t> failures_by_status_;
  std::map<int, std::string> last_refusal_;
  std::vector<std::thread> threads_;
};

struct JournalFigures {
  std::size_t entries = 0;
  std::size_t initiatives = 0;
  std::size_t checkpoints = 0;
};

// Checks (doctest CHECKs) the node's database against `ledger`: every acknowledged initiative
// is there at its acknowledged version or later, with the journal entry of that version; every
// initiative row has the journal entry of its version and none later, every journalled
// initiative has its row; the log is dense from 0 with no index twice, its head is its size;
// every stored checkpoint verifies with `ring` and its root is the root of the entries below
// it; every record verifies (entry, payload, salt, inclusion) against the latest checkpoint,
// whose size is the log's.
JournalFigures CheckNodeJournal(const std::string& database,
                                const std::map<std::string, WriteLedger::Initiative>& ledger,
                                const RegionKeyRing& ring);

}  // namespace ess::test
