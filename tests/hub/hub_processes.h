#pragma once
// Real ess-hub, ess-node and essctl processes for the multi-process replication tests: keys
// made with essctl, regions enrolled with essctl, services on loopback ports chosen by the
// system (port 0; a restarted hub takes back its ports), a node's database written with
// core's RegionLogWriter as the node's journal does.

#include <signal.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/checkpoint.h"
#include "core/clock.h"
#include "core/key_file.h"
#include "core/log_store.h"
#include "core/pg_pool.h"
#include "core/region_log_writer.h"
#include "tests/support/child_process.h"
#include "tests/support/http_client.h"

namespace ess::test {

using namespace std::chrono_literals;

struct CommandResult {
  int exit_code = -1;
  std::string output;
};

inline CommandResult RunEssctl(const TempDir& dir, const std::vector<std::string>& args) {
  static int counter = 0;
  const std::string log = dir.File("essctl-" + std::to_string(++counter) + ".log");
  ChildProcess p(BuiltExecutable("essctl/essctl"), args, log);
  auto code = p.Wait(60s);
  if (!code) throw std::runtime_error("essctl still running after 60 s");
  return {*code, ReadFile(log)};
}

// A new key file made by essctl keygen; returns its path.
inline std::string MakeKey(const TempDir& dir, const std::string& name, const std::string& file) {
  auto r = RunEssctl(dir, {"keygen", "--name", name, "--out", dir.File(file)});
  if (r.exit_code != 0) throw std::runtime_error("essctl keygen: " + r.output);
  return dir.File(file);
}

inline std::string VerifierKeyOf(const std::string& key_file) {
  auto key = ReadKeyFile(key_file);
  return FormatVerifierKey(key.name, key.signer.public_key());
}

inline void Enrol(const TempDir& dir, const std::string& hub_database, const std::string& region,
                  const std::string& key_file) {
  auto r = RunEssctl(dir, {"region", "enrol", "--database", hub_database, "--region", region,
                           "--verifier-key", VerifierKeyOf(key_file)});
  if (r.exit_code != 0) throw std::runtime_error("essctl region enrol: " + r.output);
}

inline nlohmann::json GetJson(int port, const std::string& target) {
  auto res = HttpGet(port, target);
  if (res.status != 200) {
    throw std::runtime_error("GET " + target + " -> " + std::to_string(res.status) + " " + res.body);
  }
  return nlohmann::json::parse(res.body);
}

class HubProcess {
 public:
  HubProcess(const TempDir& dir, std::string database, std::vector<std::string> extra = {})
      : dir_(dir), database_(std::move(database)), extra_(std::move(extra)), id_(++instances_) {
    key_file_ = MakeKey(dir, "ess-federation/hub", "hub-" + std::to_string(id_) + ".key");
  }

  // Starts on the ports of the previous run if there was one, else on free ports.
  void Start() {
    ready_ = dir_.File("hub-" + std::to_string(id_) + "-" + std::to_string(++runs_) + ".ready");
    std::vector<std::string> args = {"--database", database_, "--key-file", key_file_,
                                     "--http", "127.0.0.1:" + std::to_string(http_port_),
                                     "--grpc", "127.0.0.1:" + std::to_string(grpc_port_),
                                     "--ready-file", ready_, "--referential", ESS_REFERENTIAL_FILE};
    args.insert(args.end(), extra_.begin(), extra_.end());
    process_ = std::make_unique<ChildProcess>(BuiltExecutable("hub/ess-hub"), args, log_file());
    auto ports = WaitForReadyFile(ready_, *process_, 60s);
    http_port_ = ports.at("http");
    grpc_port_ = ports.at("grpc");
  }
  // Signals the hub and waits for it to exit.
  void Stop(int sig = SIGTERM) {
    if (!process_) return;
    process_->Signal(sig);
    process_->Wait(30s);
    process_.reset();
  }

  int http_port() const { return http_port_; }
  int grpc_port() const { return grpc_port_; }
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  std::string grpc_address() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
  const std::string& database() const { return database_; }
  std::string log_file() const { return dir_.File("hub-" + std::to_string(id_) + ".log"); }
  nlohmann::json Region(const std::string& region) const {
    return GetJson(http_port_, "/api/regions/" + region);
  }
  std::uint64_t TreeSize(const std::string& region) const {
    return Region(region)["tree_size"].get<std::uint64_t>();
  }
  // The replication streams in `state` ("handshake" or "authenticated") now, from the hub's
  // /metrics (ess_hub_replication_streams); -1 when the series is not there.
  int ReplicationStreams(const std::string& state) const {
    const auto res = HttpGet(http_port_, "/metrics");
    const std::string series = "ess_hub_replication_streams{state=\"" + state + "\"} ";
    const auto at = res.body.find(series);
    if (res.status != 200 || at == std::string::npos) return -1;
    return std::stoi(res.body.substr(at + series.size()));
  }

 private:
  const TempDir& dir_;
  std::string database_;
  std::vector<std::string> extra_;
  std::string key_file_;
  std::string ready_;
  int http_port_ = 0;
  int grpc_port_ = 0;
  int id_;  // names its key, ready and log files: two hubs of one test have their own
  int runs_ = 0;
  static inline int instances_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

class NodeProcess {
 public:
  NodeProcess(const TempDir& dir, std::string region, std::string database, std::string key_file)
      : dir_(dir), region_(std::move(region)), database_(std::move(database)),
        key_file_(std::move(key_file)), id_(++instances_) {}

  // `hub` empty: no replication. `extra` are more command-line options (a --referential among
  // them replaces the build's).
  void Start(const std::string& hub, std::vector<std::string> extra = {}) {
    const std::string ready = dir_.File("node-" + std::to_string(id_) + "-" + std::to_string(++runs_) + ".ready");
    std::vector<std::string> args = {"--region",     region_,   "--database", database_,
                                     "--key-file",   key_file_, "--http",     "127.0.0.1:0",
                                     "--ready-file", ready};
    if (std::find(extra.begin(), extra.end(), "--referential") == extra.end()) {
      args.insert(args.end(), {"--referential", ESS_REFERENTIAL_FILE});
    }
    if (!hub.empty()) {
      args.insert(args.end(), {"--hub", hub, "--hub-poll-ms", "50", "--hub-max-backoff-ms", "500"});
    }
    args.insert(args.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(BuiltExecutable("node/ess-node"), args, log_file());
    http_port_ = WaitForReadyFile(ready, *process_, 60s).at("http");
  }
  void Stop(int sig = SIGTERM) {
    if (!process_) return;
    process_->Signal(sig);
    process_->Wait(30s);
    process_.reset();
  }
  bool Running() { return process_ && process_->Running(); }

  const std::string& region() const { return region_; }
  const std::string& database() const { return database_; }
  const std::string& key_file() const { return key_file_; }
  std::string log_file() const { return dir_.File("node-" + std::to_string(id_) + ".log"); }
  int http_port() const { return http_port_; }

 private:
  const TempDir& dir_;
  std::string region_, database_, key_file_;
  int id_;
  int runs_ = 0;
  int http_port_ = 0;
  static inline int instances_ = 0;
  std::unique_ptr<ChildProcess> process_;
};

// The node's journal, written from the test as the node's domain would: RegionLogWriter in
// the node's database (whose schema the node applied when it started).
class NodeJournal {
 public:
  NodeJournal(const std::string& database, const std::string& region, const std::string& key_file)
      : region_(region),
        pool_({database, 2, std::chrono::seconds(10), [](pqxx::connection& c) { PrepareLogStatements(c); }}),
        writer_(region, RegionOrigin(kDefaultFederation, region), ReadKeyFile(key_file).signer, clock_) {}

  AppendedRecords Append(std::vector<LogChange> changes) {
    return pool_.WithTransaction([&](pqxx::work& txn) { return writer_.Append(txn, changes); });
  }
  CompactRange Head() {
    return pool_.WithTransaction([&](pqxx::work& txn) { return LogStore(txn, region_).ReadHead(false); });
  }
  std::optional<std::string> LatestCheckpointNote() {
    return pool_.WithTransaction([&](pqxx::work& txn) { return LogStore(txn, region_).LatestCheckpointNote(); });
  }
  std::vector<LogRecord> Records(std::uint64_t from, std::uint64_t to) {
    return pool_.WithTransaction([&](pqxx::work& txn) { return LogStore(txn, region_).ReadRecords(from, to); });
  }
  template <typename Work>
  auto Transaction(Work&& work) {
    return pool_.WithTransaction(std::forward<Work>(work));
  }

 private:
  std::string region_;
  SystemClock clock_;
  PgPool pool_;
  RegionLogWriter writer_;
};

inline LogChange PutInitiative(const RecordId& id, std::string payload) {
  return {Operation::kPut, RecordKind::kInitiative, id, std::move(payload)};
}
inline LogChange EraseInitiative(const RecordId& id) {
  return {Operation::kErase, RecordKind::kInitiative, id, R"({"reason":"demande d'effacement"})"};
}

}  // namespace ess::test
