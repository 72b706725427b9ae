// Group commit of the node's journal (node/service/journal_committer.h, decision 0015):
// concurrent journalling transactions share one transaction, one head lock and one signed
// checkpoint, and the journal stays what it was one submission at a time: dense (no gap, no
// duplicate index), every entry verified end to end with core's verifier, each change with
// its entries or neither. A submission that fails alone leaves the others committed and
// itself nothing; a group whose commit fails commits nothing of any of its submissions.
#include <doctest/doctest.h>

#include <atomic>
#include <set>
#include <stdexcept>
#include <thread>

#include "node/service/journal.h"
#include "node/store/initiative_store.h"
#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;

namespace {

// Submits `count` registrations at once through the HTTP API, each from its own address
// (the public rate limit counts per address).
std::vector<Reply> SubmitConcurrently(NodeFixture& node, int count, const std::string& prefix) {
  std::vector<Reply> replies(count);
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      replies[i] = node.PostFrom(
          "10.0." + std::to_string(i / 250) + "." + std::to_string(1 + i % 250), "/api/initiatives",
          NodeFixture::ValidInitiative({{"name", prefix + " " + std::to_string(i)}}));
    });
  }
  for (auto& t : threads) t.join();
  return replies;
}

// Every index of the journal once, in order, each record verified (VerifiedJournal fails the
// test otherwise).
void CheckDenseAndVerified(NodeFixture& node) {
  auto records = node.VerifiedJournal();
  REQUIRE(records.size() == node.JournalSize());
  std::set<std::pair<std::string, std::uint32_t>> versions;
  for (std::size_t i = 0; i < records.size(); ++i) {
    CHECK(records[i].entry.index == i);
    CHECK(
        versions
            .insert({RecordIdToString(records[i].entry.record_id), records[i].entry.record_version})
            .second);
  }
  CHECK(node.Count("SELECT count(*) FROM log_entry") == static_cast<long long>(records.size()));
  CHECK(node.Count("SELECT count(DISTINCT log_index) FROM log_entry") ==
        static_cast<long long>(records.size()));
}

// A new revision of initiative `id` journalled in `txn` (as an edit would).
void Revise(NodeFixture& node, pqxx::work& txn, const std::string& id) {
  node::InitiativeStore store(txn);
  auto initiative = store.Load(id, true);
  REQUIRE(initiative);
  node::JournalInitiative(txn, node.context(), *initiative);
}

std::uint32_t RecordVersion(NodeFixture& node, const std::string& id) {
  return static_cast<std::uint32_t>(
      node.Count("SELECT record_version FROM initiative WHERE initiative_id = '" + id + "'"));
}

}  // namespace

TEST_CASE("many concurrent registrations: one journal, dense and verified, in fewer checkpoints") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const long long checkpoints_before = node.Count("SELECT count(*) FROM log_checkpoint");
  const std::size_t journal_before = node.JournalSize();
  const std::size_t groups_before = node.context().committer->groups();

  const int kCount = 96;
  auto replies = SubmitConcurrently(node, kCount, "Coopérative");
  for (const auto& r : replies) REQUIRE_MESSAGE(r.status == 201, r.text);
  CHECK(node.JournalSize() == journal_before + kCount);
  CHECK(node.Count("SELECT count(*) FROM initiative") == kCount);
  CheckDenseAndVerified(node);
  // Never more checkpoints than groups, never more groups than submissions.
  const long long checkpoints =
      node.Count("SELECT count(*) FROM log_checkpoint") - checkpoints_before;
  const std::size_t groups = node.context().committer->groups() - groups_before;
  CHECK(checkpoints >= 1);
  CHECK(checkpoints <= static_cast<long long>(groups));
  CHECK(groups <= static_cast<std::size_t>(kCount));
  // Each initiative's row holds the version its entry journalled.
  CHECK(node.Count("SELECT count(*) FROM initiative i JOIN log_entry e ON e.record_id = "
                   "i.initiative_id AND e.record_version = i.record_version") == kCount);
}

TEST_CASE(
    "a group: one checkpoint for all; a submission that throws leaves the others committed and "
    "itself nothing") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const auto [existing, token] = node.Submit({{"name", "Déjà inscrite"}});
  const long long checkpoints_before = node.Count("SELECT count(*) FROM log_checkpoint");
  const std::size_t journal_before = node.JournalSize();
  const std::size_t groups_before = node.context().committer->groups();
  auto& committer = *node.context().committer;

  // The first journalling transaction holds its group open until four more wait: those four
  // then form the next group, one transaction.
  std::atomic<bool> leading = false;
  std::thread first([&] {
    auto r = node.context().RunJournalling([&](pqxx::work& txn) -> node::Result<int> {
      Revise(node, txn, existing);
      leading = true;
      CHECK(PollUntil(30s, [&] { return committer.waiting() == 4; }));
      return 1;
    });
    CHECK(r.ok());
  });
  REQUIRE(PollUntil(30s, [&] { return leading.load(); }));
  std::atomic<bool> failing_threw = false;
  std::thread failing([&] {
    try {
      node.context().RunJournalling([&](pqxx::work& txn) -> node::Result<int> {
        Revise(node, txn, existing);
        throw std::runtime_error("échec de cette soumission");
      });
    } catch (const std::runtime_error& e) {
      failing_threw = std::string(e.what()) == "échec de cette soumission";
    }
  });
  auto replies = SubmitConcurrently(node, 3, "Groupée");
  failing.join();
  first.join();

  for (const auto& r : replies) CHECK_MESSAGE(r.status == 201, r.text);
  CHECK(failing_threw);
  // The first group (one revision) and the second (three registrations; the failed revision
  // rolled back to its savepoint): two groups, two checkpoints, four entries.
  CHECK(committer.groups() - groups_before == 2);
  CHECK(node.Count("SELECT count(*) FROM log_checkpoint") - checkpoints_before == 2);
  CHECK(node.JournalSize() == journal_before + 4);
  CHECK(RecordVersion(node, existing) == 2);  // the failed revision (3) left nothing
  CHECK(node.Count("SELECT count(*) FROM log_entry WHERE record_id = '" + existing + "'") == 2);
  CheckDenseAndVerified(node);
}

TEST_CASE("a group whose commit fails commits nothing of any of its submissions") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const auto [a, token_a] = node.Submit({{"name", "Première"}});
  const auto [b, token_b] = node.Submit({{"name", "Seconde"}});
  {
    pqxx::connection conn(node.connection_string());
    pqxx::work txn(conn);
    txn.exec0("CREATE TABLE commit_guard (id int PRIMARY KEY)");
    txn.exec0(
        "CREATE TABLE commit_guarded (guard int REFERENCES commit_guard DEFERRABLE INITIALLY "
        "DEFERRED)");
    txn.commit();
  }
  const std::size_t journal_before = node.JournalSize();
  const long long checkpoints_before = node.Count("SELECT count(*) FROM log_checkpoint");
  auto& committer = *node.context().committer;

  std::atomic<bool> leading = false;
  std::thread first([&] {
    auto r = node.context().RunJournalling([&](pqxx::work& txn) -> node::Result<int> {
      Revise(node, txn, a);
      leading = true;
      CHECK(PollUntil(30s, [&] { return committer.waiting() == 2; }));
      return 1;
    });
    CHECK(r.ok());
  });
  REQUIRE(PollUntil(30s, [&] { return leading.load(); }));
  auto submit = [&](const std::string& id, bool break_commit) {
    return std::thread([&, id, break_commit] {
      CHECK_THROWS_AS(node.context().RunJournalling([&](pqxx::work& txn) -> node::Result<int> {
        Revise(node, txn, id);
        // Checked at COMMIT only: the whole group's commit fails.
        if (break_commit) txn.exec0("INSERT INTO commit_guarded VALUES (1)");
        return 1;
      }),
                      pqxx::foreign_key_violation);
    });
  };
  std::thread breaking = submit(b, true);
  std::thread innocent = submit(a, false);
  breaking.join();
  innocent.join();
  first.join();

  // Only the first group committed: its revision and its checkpoint.
  CHECK(node.JournalSize() == journal_before + 1);
  CHECK(node.Count("SELECT count(*) FROM log_checkpoint") - checkpoints_before == 1);
  CHECK(RecordVersion(node, a) == 2);
  CHECK(RecordVersion(node, b) == 1);
  CHECK(node.Count("SELECT count(*) FROM commit_guarded") == 0);
  CheckDenseAndVerified(node);
}
