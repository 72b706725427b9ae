// Faults, multi-process: the hub killed with SIGKILL many times, at random moments, while a
// node catches it up on a 20,000-entry log. After each restart the hub goes on from where its
// database stands; at the end it holds exactly the node's log, entry by entry, and its
// national tables equal those of a second hub that replicated the same log without a crash.
//
// The moments are drawn from a seeded generator: ESS_FAULT_SEED sets the seed (printed at the
// start, to replay a failure), ESS_FAULT_HUB_KILLS the number of kills (20 by default; the
// long run of docs/reliability.md uses 100).
#include <doctest/doctest.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <pqxx/pqxx>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

constexpr std::uint64_t kEntries = 20'000;

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  return std::stoull(value);
}

// One text line per row of `sql` (a query of one text column), in the query's order.
std::vector<std::string> Rows(const std::string& database, const std::string& sql) {
  pqxx::connection c(database);
  pqxx::nontransaction txn(c);
  std::vector<std::string> out;
  for (const auto& row : txn.exec(sql)) out.push_back(row[0].as<std::string>());
  return out;
}

// The region's log as stored: index, leaf hash, entry bytes, payload and salt (not the time
// the row was stored).
const char* const kLogRows =
    "SELECT log_index || ' ' || encode(leaf_hash, 'hex') || ' ' || encode(entry, 'hex') || ' ' || "
    "coalesce(encode(payload, 'hex'), '-') || ' ' || coalesce(encode(salt, 'hex'), '-') "
    "FROM log_entry WHERE region = '93' ORDER BY log_index";
// The national tables, every column; their times are the region's, written in its entries.
const char* const kNationalRows =
    "SELECT t::text FROM national_initiative t ORDER BY region, record_id";
const char* const kNationalStateRows =
    "SELECT t::text FROM national_initiative_state t ORDER BY region, record_id";

// Checks that `actual` holds `expected` row by row; names the first row that differs.
void CheckSameRows(const std::vector<std::string>& expected, const std::vector<std::string>& actual,
                   const std::string& what) {
  CHECK_MESSAGE(expected.size() == actual.size(), what, ": ", expected.size(), " rows expected, ",
                actual.size(), " found");
  for (std::size_t i = 0; i < std::min(expected.size(), actual.size()); ++i) {
    if (expected[i] != actual[i]) {
      FAIL_CHECK(what, ": row ", i, " differs\n  expected: ", expected[i].substr(0, 300),
                 "\n  found:    ", actual[i].substr(0, 300));
      return;
    }
  }
}

// Replaces the (empty) database `copy` with a copy of `source`, which nobody may be
// connected to.
void CopyDatabase(const TestDatabase& source, const TestDatabase& copy) {
  pqxx::connection admin(TestServerUrl());
  pqxx::nontransaction txn(admin);
  txn.exec("DROP DATABASE " + admin.quote_name(copy.name()) + " WITH (FORCE)");
  txn.exec("CREATE DATABASE " + admin.quote_name(copy.name()) + " TEMPLATE " +
           admin.quote_name(source.name()));
}

}  // namespace

TEST_CASE("the hub killed many times during a 20,000-entry catch-up ends with the node's log") {
  const std::uint64_t seed = EnvNumber("ESS_FAULT_SEED", std::random_device{}());
  const std::uint64_t kills = EnvNumber("ESS_FAULT_HUB_KILLS", 20);
  std::cout << "hub_crash_catchup_test: ESS_FAULT_SEED=" << seed << " ESS_FAULT_HUB_KILLS=" << kills
            << std::endl;
  std::mt19937_64 random(seed);
  const auto started = std::chrono::steady_clock::now();
  auto seconds_since = [](std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
  };

  TempDir dir;
  TestDatabase crashed_db, steady_db, node_db, copy_db;
  const std::string key = MakeKey(dir, "ess-federation/region/93", "paca.key");
  HubProcess crashed(dir, crashed_db.connection_string());
  HubProcess steady(dir, steady_db.connection_string());
  Enrol(dir, crashed_db.connection_string(), "93", key);
  Enrol(dir, steady_db.connection_string(), "93", key);
  NodeProcess node(dir, "93", node_db.connection_string(), key);
  node.Start("");  // applies the node's schema; no replication yet
  node.Stop();

  // 10,000 initiatives, each pending then admitted: 20,000 entries in transactions of 20, as
  // the node's journal would write them (one checkpoint per transaction).
  {
    NodeJournal journal(node_db.connection_string(), "93", key);
    for (std::uint32_t i = 0; i < kEntries / 2; i += 10) {
      std::vector<LogChange> changes;
      for (std::uint32_t k = i; k < i + 10; ++k) {
        const RecordId id = TestRecordId(k, 0x93);
        const std::string name = "Initiative numéro " + std::to_string(k);
        changes.push_back(PutInitiative(id, InitiativePayload(name, "pending")));
        changes.push_back(PutInitiative(id, InitiativePayload(name, "admitted")));
      }
      journal.Append(std::move(changes));
    }
    REQUIRE(journal.Head().size() == kEntries);
  }
  // The same log for the hub that never crashes, replicated by a second node process.
  CopyDatabase(node_db, copy_db);
  NodeProcess twin(dir, "93", copy_db.connection_string(), key);
  std::cout << "hub_crash_catchup_test: log of " << kEntries << " entries written in "
            << seconds_since(started) << " s" << std::endl;

  // Small batches: the catch-up lasts long enough to be interrupted many times.
  const std::vector<std::string> small = {"--hub-batch-entries", "20"};
  steady.Start();
  twin.Start(steady.grpc_address(), small);
  const auto catch_up_started = std::chrono::steady_clock::now();
  crashed.Start();
  node.Start(crashed.grpc_address(), small);

  // Each kill falls at a random point of what is left to send (spread so that the last one
  // still comes before the end), then a random instant within the batch under way. A point
  // of 0 entries kills the hub while the node reconnects to it.
  std::uint64_t shown = 0;       // the most the hub has shown of the log so far
  std::uint64_t before_end = 0;  // kills while the hub still lacked part of the log
  // Figures for docs/reliability.md: how long a restart takes (until the hub serves) and how
  // long until the restarted hub shows new entries (when a kill waited for that).
  double restart_total = 0, restart_max = 0, resume_total = 0, resume_max = 0;
  std::uint64_t resumes = 0;
  std::optional<double> steady_seconds;
  auto restarted = std::chrono::steady_clock::now();
  for (std::uint64_t k = 0; k < kills; ++k) {
    const std::uint64_t at = crashed.TreeSize("93");
    REQUIRE_MESSAGE(at >= shown, "kill ", k, ": the hub shows ", at, " entries, it showed ", shown);
    const std::uint64_t span = std::max<std::uint64_t>(1, (kEntries - at) / (kills - k + 1));
    const std::uint64_t target =
        std::min(kEntries, at + std::uniform_int_distribution<std::uint64_t>(0, span)(random));
    const auto instant =
        std::chrono::microseconds(std::uniform_int_distribution<int>(0, 20'000)(random));
    REQUIRE_MESSAGE(WaitUntil(60s,
                              [&] {
                                const std::uint64_t now_shown = crashed.TreeSize("93");
                                if (k > 0 && now_shown > shown && shown == at) {
                                  const double resume = seconds_since(restarted);
                                  resume_total += resume;
                                  resume_max = std::max(resume_max, resume);
                                  ++resumes;
                                }
                                shown = now_shown;
                                if (!steady_seconds && steady.TreeSize("93") == kEntries) {
                                  steady_seconds = seconds_since(catch_up_started);
                                }
                                return shown >= target;
                              }),
                    "kill ", k, ": the restarted hub went no further than ", shown, " (target ",
                    target, ")");
    std::this_thread::sleep_for(instant);  // the fault's moment, not a wait for a state
    if (crashed.TreeSize("93") < kEntries) ++before_end;
    crashed.Stop(SIGKILL);
    REQUIRE(node.Running());
    const auto killed = std::chrono::steady_clock::now();
    crashed.Start();  // same ports: the node reconnects by itself
    restarted = std::chrono::steady_clock::now();
    const double restart = std::chrono::duration<double>(restarted - killed).count();
    restart_total += restart;
    restart_max = std::max(restart_max, restart);
  }
  std::uint64_t last = 0;
  CHECK_MESSAGE(WaitUntil(180s,
                          [&] {
                            last = crashed.TreeSize("93");
                            return last == kEntries;
                          }),
                "the hub stopped at ", last, " entries");
  const double catch_up_seconds = seconds_since(catch_up_started);
  CHECK(WaitUntil(180s, [&] { return steady.TreeSize("93") == kEntries; }));
  if (!steady_seconds) steady_seconds = seconds_since(catch_up_started);
  std::cout << "hub_crash_catchup_test: " << kills << " kills (" << before_end
            << " before the end of the catch-up); catch-up " << catch_up_seconds
            << " s with the kills, " << *steady_seconds << " s without (at the same time); restart "
            << restart_total / std::max<std::uint64_t>(1, kills) << " s on average, " << restart_max
            << " s at most; new entries " << resume_total / std::max<std::uint64_t>(1, resumes)
            << " s after a restart on average, " << resume_max << " s at most (" << resumes
            << " restarts); test " << seconds_since(started) << " s" << std::endl;
  // A kill after the end would test nothing: each one must fall during the catch-up.
  CHECK(before_end == kills);

  // Entry by entry, the crashed hub holds the node's log; so does the steady hub.
  const std::vector<std::string> node_log = Rows(node_db.connection_string(), kLogRows);
  REQUIRE(node_log.size() == kEntries);
  CheckSameRows(node_log, Rows(crashed_db.connection_string(), kLogRows), "crashed hub's log");
  CheckSameRows(node_log, Rows(steady_db.connection_string(), kLogRows), "steady hub's log");
  // The national tables of both hubs are the same, row by row.
  const std::vector<std::string> steady_national =
      Rows(steady_db.connection_string(), kNationalRows);
  CHECK(steady_national.size() == kEntries / 2);
  CheckSameRows(steady_national, Rows(crashed_db.connection_string(), kNationalRows),
                "national_initiative");
  CheckSameRows(Rows(steady_db.connection_string(), kNationalStateRows),
                Rows(crashed_db.connection_string(), kNationalStateRows),
                "national_initiative_state");

  const nlohmann::json status = crashed.Region("93");
  CHECK(status["root"] == steady.Region("93")["root"]);
  CHECK(status["checkpoint"] == steady.Region("93")["checkpoint"]);
  CHECK(status["accepted_entries"] == kEntries);  // each entry counted once
  CHECK(status["rejected_count"] == 0);
  node.Stop();
  twin.Stop();
  crashed.Stop();
  steady.Stop();
}
