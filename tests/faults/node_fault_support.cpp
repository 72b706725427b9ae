#include "tests/faults/node_fault_support.h"

#include <signal.h>

#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "core/checkpoint.h"
#include "core/key_file.h"
#include "core/log_store.h"
#include "core/merkle.h"
#include "core/verify.h"
#include "tests/node/node_fixture.h"
#include "tests/support/http_client.h"

namespace ess::test {

using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr const char* kRegion = "93";
constexpr const char* kAdminEmail = "admin@example.org";
constexpr const char* kAdminPassword = "mot-de-passe-admin";

HttpResult SendJson(int port, const std::string& method, const std::string& target,
                    const json& body, std::map<std::string, std::string> headers = {}) {
  headers["Content-Type"] = "application/json";
  return HttpRequestRaw(port, method, target, body.dump(), headers);
}

}  // namespace

std::uint64_t FaultSeed() {
  static const std::uint64_t kSeed = [] {
    const char* env = std::getenv("ESS_FAULT_SEED");
    std::uint64_t seed =
        env != nullptr && *env != '\0' ? std::strtoull(env, nullptr, 10) : std::random_device{}();
    std::cout << "ESS_FAULT_SEED=" << seed << " (set it to replay this run)" << std::endl;
    return seed;
  }();
  return kSeed;
}

int FaultCount(const char* variable, int suite_default) {
  const char* env = std::getenv(variable);
  const int count = env != nullptr ? std::atoi(env) : 0;
  return count > 0 ? count : suite_default;
}

FaultNode::FaultNode(const TempDir& dir, std::string database, std::vector<std::string> extra)
    : dir_(dir),
      database_(std::move(database)),
      extra_(std::move(extra)),
      key_file_(dir.File("node.key")) {
  ChildProcess keygen(
      BuiltExecutable("essctl/essctl"),
      {"keygen", "--name", std::string("ess-federation/region/") + kRegion, "--out", key_file_},
      dir.File("keygen.log"));
  REQUIRE(keygen.Wait(30s) == 0);
}

void FaultNode::Setup() {
  const std::string password_file = dir_.File("admin-password");
  std::ofstream(password_file) << kAdminPassword << "\n";
  ChildProcess create(BuiltExecutable("node/ess-node"),
                      {"--region", kRegion, "--database", database_, "--key-file", key_file_,
                       "--create-admin", kAdminEmail, "--admin-password-file", password_file},
                      dir_.File("create-admin.log"));
  REQUIRE_MESSAGE(create.Wait(60s) == 0, ReadFile(dir_.File("create-admin.log")));
  Start();
  auto login = SendJson(port_, "POST", "/api/session",
                        {{"email", kAdminEmail}, {"password", kAdminPassword}});
  REQUIRE_MESSAGE(login.status == 201, login.body);
  const std::string cookie =
      login.headers["set-cookie"].substr(0, login.headers["set-cookie"].find(';'));
  const std::string csrf = json::parse(login.body)["csrf_token"];
  auto charter = SendJson(port_, "POST", "/api/admin/charter", {{"text", "Charte de la région"}},
                          {{"Cookie", cookie}, {"X-CSRF-Token", csrf}});
  REQUIRE_MESSAGE(charter.status == 201, charter.body);
}

void FaultNode::Start() {
  const std::string ready = dir_.File("node-" + std::to_string(++runs_) + ".ready");
  std::vector<std::string> args = {
      "--region", kRegion, "--database", database_, "--key-file", key_file_, "--referential",
      ESS_REFERENTIAL_FILE, "--http", "127.0.0.1:0", "--ready-file", ready,
      // Many writes from one loopback address, quickly hashed logins.
      "--participation.rate-per-minute", "1000000", "--participation.rate-burst", "1000000",
      "--security.password-ops", "1", "--security.password-mem-kib", "8",
      "--freshness.reminder-interval-minutes", "0"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  process_ = std::make_unique<ChildProcess>(BuiltExecutable("node/ess-node"), args, log_file());
  port_ = WaitForReadyFile(ready, *process_, 60s).at("http");
}

int FaultNode::Stop(int sig) {
  REQUIRE(process_);
  process_->Signal(sig);
  auto code = process_->Wait(30s);
  REQUIRE(code);
  process_.reset();
  return *code;
}

RegionKeyRing FaultNode::KeyRing() const {
  NamedSigner key = ReadKeyFile(key_file_);
  RegionKeyRing ring(key.name);
  REQUIRE(ring.Add({*ParseVerifierKey(FormatVerifierKey(key.name, key.signer.public_key())), 0,
                    std::nullopt, false})
              .ok());
  return ring;
}

void WriteLedger::Acknowledged(const std::string& id, const std::string& edit_token, int version) {
  std::lock_guard lock(mutex_);
  auto [it, inserted] = initiatives_.try_emplace(id);
  if (inserted) ids_.push_back(id);
  if (!edit_token.empty()) it->second.edit_token = edit_token;
  it->second.version = std::max(it->second.version, version);
}

std::optional<std::pair<std::string, std::string>> WriteLedger::Pick(std::mt19937_64& random) {
  std::lock_guard lock(mutex_);
  if (ids_.empty()) return std::nullopt;
  const std::string& id =
      ids_[std::uniform_int_distribution<std::size_t>(0, ids_.size() - 1)(random)];
  return std::make_pair(id, initiatives_[id].edit_token);
}

std::map<std::string, WriteLedger::Initiative> WriteLedger::Snapshot() {
  std::lock_guard lock(mutex_);
  return initiatives_;
}

std::size_t WriteLedger::size() {
  std::lock_guard lock(mutex_);
  return initiatives_.size();
}

WriteTraffic::WriteTraffic(int port, int clients, std::uint64_t seed, WriteLedger& ledger)
    : port_(port), ledger_(ledger) {
  for (int client = 0; client < clients; ++client) {
    threads_.emplace_back(
        [this, client, seed] { Run(client, seed + static_cast<std::uint64_t>(client)); });
  }
}

WriteTraffic::~WriteTraffic() { Stop(); }

void WriteTraffic::Stop() {
  stop_ = true;
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

void WriteTraffic::Run(int client, std::uint64_t seed) {
  std::mt19937_64 random(seed);
  for (int i = 0; !stop_; ++i) {
    const std::string name = "Initiative " + std::to_string(client) + "-" + std::to_string(i) +
                             "-" + std::to_string(seed % 100000);
    std::optional<std::pair<std::string, std::string>> edited;
    if (std::uniform_int_distribution<int>(0, 2)(random) == 0) edited = ledger_.Pick(random);
    int status = 0;
    std::string body;
    try {
      HttpResult r;
      if (edited) {
        json input =
            NodeFixture::ValidInitiative({{"name", name + " (modifiée)"}, {"charter", nullptr}});
        r = SendJson(port_, "PUT", "/api/initiatives/" + edited->first + "/owner", input,
                     {{"X-Edit-Token", edited->second}});
      } else {
        r = SendJson(port_, "POST", "/api/initiatives",
                     NodeFixture::ValidInitiative({{"name", name}}));
      }
      status = r.status;
      body = r.body;
      if ((edited && status == 200) || (!edited && status == 201)) {
        json j = json::parse(r.body);
        const json& initiative = edited ? j : j["initiative"];
        ledger_.Acknowledged(initiative["id"],
                             edited ? edited->second : j["edit_token"].get<std::string>(),
                             initiative["record_version"].get<int>());
        ++acknowledged_;
        continue;
      }
    } catch (const std::exception& e) {
      status = 0;  // no answer: the node is gone or cut the connection
      body = e.what();
    }
    {
      std::lock_guard lock(mutex_);
      ++failures_by_status_[status];
      last_refusal_[status] = body;
    }
    ++failures_;
    // Not a synchronisation: a client that is refused comes back a little later, as a
    // browser would, instead of spinning on a node that is down.
    std::this_thread::sleep_for(5ms);
  }
}

bool WriteTraffic::WaitFor(const std::atomic<std::size_t>& counter, std::size_t count,
                           std::chrono::milliseconds timeout) {
  const std::size_t target = counter + count;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (counter < target) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);  // polling with a bound
  }
  return true;
}

bool WriteTraffic::WaitForAcknowledged(std::size_t count, std::chrono::milliseconds timeout) {
  return WaitFor(acknowledged_, count, timeout);
}

bool WriteTraffic::WaitForFailures(std::size_t count, std::chrono::milliseconds timeout) {
  return WaitFor(failures_, count, timeout);
}

std::map<int, std::size_t> WriteTraffic::failures_by_status() {
  std::lock_guard lock(mutex_);
  return failures_by_status_;
}

std::string WriteTraffic::last_refusal(int status) {
  std::lock_guard lock(mutex_);
  auto it = last_refusal_.find(status);
  return it == last_refusal_.end() ? std::string() : it->second;
}

JournalFigures CheckNodeJournal(const std::string& database,
                                const std::map<std::string, WriteLedger::Initiative>& ledger,
                                const RegionKeyRing& ring) {
  pqxx::connection conn(database);
  PrepareLogStatements(conn);
  pqxx::work txn(conn);
  JournalFigures figures;

  std::map<std::string, int> rows;  // initiative -> record_version
  for (const auto& row : txn.exec("SELECT initiative_id::text, record_version FROM initiative")) {
    rows[row[0].as<std::string>()] = row[1].as<int>();
  }
  std::map<std::string, std::set<int>> journalled;  // initiative -> versions in the log
  for (const auto& row : txn.exec("SELECT record_id::text, record_version FROM log_entry WHERE "
                                  "kind = 'initiative' AND region = " +
                                  txn.quote(kRegion))) {
    journalled[row[0].as<std::string>()].insert(row[1].as<int>());
  }
  figures.initiatives = rows.size();
  for (const auto& [id, acknowledged] : ledger) {
    auto row = rows.find(id);
    CHECK_MESSAGE(row != rows.end(), "acknowledged write lost: ", id);
    if (row == rows.end()) continue;
    CHECK_MESSAGE(row->second >= acknowledged.version, "acknowledged version ",
                  acknowledged.version, " of ", id, " lost, the row is at ", row->second);
    CHECK_MESSAGE(journalled[id].count(acknowledged.version) == 1, "acknowledged version ",
                  acknowledged.version, " of ", id, " has no journal entry");
  }
  for (const auto& [id, version] : rows) {
    auto versions = journalled.find(id);
    CHECK_MESSAGE((versions != journalled.end() && *versions->second.rbegin() == version),
                  "the row of ", id, " (version ", version, ") is not its last journal entry");
  }
  for (const auto& [id, versions] : journalled) {
    CHECK_MESSAGE(rows.count(id) == 1, "journal entries of ", id, " without its row");
  }

  // Dense: indexes 0..n-1, each once (also the primary key), the head at n.
  auto bounds = txn.exec1(
      "SELECT count(*), count(DISTINCT log_index), coalesce(min(log_index), 0), "
      "coalesce(max(log_index), -1) "
      "FROM log_entry WHERE region = " +
      txn.quote(kRegion));
  const auto count = bounds[0].as<std::uint64_t>();
  CHECK(bounds[1].as<std::uint64_t>() == count);
  CHECK(bounds[2].as<std::int64_t>() == 0);
  CHECK(bounds[3].as<std::int64_t>() == static_cast<std::int64_t>(count) - 1);
  LogStore store(txn, kRegion);
  const std::uint64_t size = store.ReadHead(false).size();
  CHECK(size == count);
  figures.entries = size;

  auto records = store.ReadRecords(0, size);
  REQUIRE(records.size() == size);
  MemoryMerkleTree tree;
  for (std::uint64_t i = 0; i < size; ++i) {
    CHECK(records[i].entry.index == i);
    CHECK(records[i].leaf_hash == LeafHash(records[i].entry_bytes));
    tree.AppendEntry(records[i].entry_bytes);
  }
  std::uint64_t latest = 0;
  for (const auto& row : txn.exec("SELECT tree_size, note FROM log_checkpoint WHERE region = " +
                                  txn.quote(kRegion) + " ORDER BY tree_size")) {
    const auto tree_size = row[0].as<std::uint64_t>();
    Checkpoint checkpoint;
    CHECK_MESSAGE(VerifyCheckpointNote(row[1].as<std::string>(), ring, checkpoint).ok(),
                  "checkpoint ", tree_size);
    CHECK(checkpoint.size == tree_size);
    REQUIRE(tree_size <= size);
    CHECK_MESSAGE(checkpoint.root == tree.RootAt(tree_size), "checkpoint ", tree_size,
                  " is not the log's root");
    latest = tree_size;
    ++figures.checkpoints;
  }
  CHECK(latest == size);
  const std::string note = *store.LatestCheckpointNote();
  for (std::uint64_t i = 0; i < size; ++i) {
    RecordProof proof{records[i].entry_bytes, records[i].payload, records[i].salt,
                      tree.InclusionProof(i, size), note};
    CHECK_MESSAGE(VerifyRecordProof(proof, kRegion, ring).ok(), "record ", i);
  }
  return figures;
}

}  // namespace ess::test
