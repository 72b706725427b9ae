// The region log in PostgreSQL: the journal a node writes and the proofs it serves.
#include <doctest/doctest.h>

#include <thread>

#include "core/log_store.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/region_log_writer.h"
#include "core/verify.h"
#include "core_sql_files.h"  // generated: the shared log schema, core/sql/*.sql
#include "tests/support/temp_postgres.h"
#include "tests/support/test_region_log.h"

using namespace ess;

namespace {

// The shared log schema only, applied like a service does at start-up.
std::vector<Migration> LogSchema() { return MigrationsFromFiles(test::CoreSqlFiles()); }

struct Fixture {
  test::TestDatabase db;
  PgPool pool{{db.connection_string(), 4, std::chrono::seconds(10),
               [](pqxx::connection& c) { PrepareLogStatements(c); }}};
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  test::TestRegionLog reference;  // same key as the writer
  RegionLogWriter writer{"93", reference.origin(), reference.signer(), clock};

  Fixture() {
    auto lease = pool.Acquire();
    ApplyMigrations(*lease, LogSchema());
  }

  AppendedRecords Write(std::vector<LogChange> changes) {
    return pool.WithTransaction([&](pqxx::work& txn) { return writer.Append(txn, changes); });
  }
};

LogChange Put(const RecordId& id, std::string payload) {
  return {Operation::kPut, RecordKind::kInitiative, id, std::move(payload)};
}

}  // namespace

TEST_CASE("appends are journalled with gap-free indexes, record versions and a signed checkpoint") {
  Fixture f;
  RecordId a = NewRecordId(), b = NewRecordId();
  auto first = f.Write({Put(a, R"({"name":"A"})"), Put(b, R"({"name":"B"})")});
  REQUIRE(first.records.size() == 2);
  CHECK(first.records[0].entry.index == 0);
  CHECK(first.records[1].entry.index == 1);
  CHECK(first.checkpoint.size == 2);
  auto second = f.Write({Put(a, R"({"name":"A v2"})"), Put(a, R"({"name":"A v3"})")});
  CHECK(second.records[0].entry.record_version == 2);
  CHECK(second.records[1].entry.record_version == 3);
  CHECK(second.records[0].entry.timestamp_ms == 1'767'225'600'000);

  Checkpoint cp;
  CHECK(VerifyCheckpointNote(second.checkpoint_note, f.reference.KeyRing(), cp).ok());
  CHECK(cp.size == 4);

  f.pool.WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    CHECK(store.ReadHead(false).size() == 4);
    CHECK(store.LatestCheckpointNote() == second.checkpoint_note);
    CHECK(store.CheckpointNote(2) == first.checkpoint_note);
    CHECK(store.CheckpointSizes(0, 10, 10) == std::vector<std::uint64_t>{2, 4});
    auto records = store.ReadRecords(0, 4);
    REQUIRE(records.size() == 4);
    MemoryMerkleTree tree;
    for (const auto& rec : records) {
      LogEntry e;
      REQUIRE(VerifyEntry(rec.entry_bytes, "93", e).ok());
      REQUIRE(VerifyPayload(e, *rec.payload, *rec.salt).ok());
      tree.Append(rec.leaf_hash);
    }
    CHECK(tree.Root() == cp.root);
    CHECK(store.RootAt(2) == tree.RootAt(2));
    CHECK(store.ConsistencyProof(2, 4) == tree.ConsistencyProof(2, 4));
  });
}

TEST_CASE("proofs served from the database verify, for every index of a 37-entry log") {
  Fixture f;
  for (int i = 0; i < 37; ++i) f.Write({Put(NewRecordId(), "{\"n\":" + std::to_string(i) + "}")});
  f.pool.WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    std::string note = *store.LatestCheckpointNote();
    auto records = store.ReadRecords(0, 37);
    for (std::uint64_t i = 0; i < 37; ++i) {
      RecordProof proof{records[i].entry_bytes, records[i].payload, records[i].salt,
                        store.InclusionProof(i, 37), note};
      CHECK_MESSAGE(VerifyRecordProof(proof, "93", f.reference.KeyRing()).ok(), "index ", i);
    }
    for (std::uint64_t m = 1; m <= 37; m += 5) {
      CHECK(VerifyConsistency(m, 37, store.RootAt(m), store.RootAt(37),
                              store.ConsistencyProof(m, 37)));
    }
  });
}

TEST_CASE("a rolled-back change leaves neither entry nor checkpoint, and no gap") {
  Fixture f;
  f.Write({Put(NewRecordId(), "{}")});
  CHECK_THROWS(f.pool.WithTransaction([&](pqxx::work& txn) {
    LogChange c = Put(NewRecordId(), R"({"x":1})");
    f.writer.Append(txn, std::span(&c, 1));
    throw std::runtime_error("the state change failed after journalling");
  }));
  auto next = f.Write({Put(NewRecordId(), "{}")});
  CHECK(next.records[0].entry.index == 1);
  f.pool.WithTransaction([&](pqxx::work& txn) {
    CHECK(LogStore(txn, "93").CheckpointSizes(0, 100, 100) == std::vector<std::uint64_t>{1, 2});
  });
}

TEST_CASE("concurrent writers serialise on the head: indexes unique and contiguous") {
  Fixture f;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) f.Write({Put(NewRecordId(), "{}")});
    });
  }
  for (auto& t : threads) t.join();
  f.pool.WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    auto records = store.ReadRecords(0, 100);
    REQUIRE(records.size() == 40);
    for (std::uint64_t i = 0; i < 40; ++i) CHECK(records[i].entry.index == i);
    MemoryMerkleTree tree;
    for (const auto& r : records) tree.Append(r.leaf_hash);
    CHECK(store.ReadHead(false).Root() == tree.Root());
  });
}

TEST_CASE("erasure deletes payload and salt; entry, proofs and checkpoints stay verifiable") {
  Fixture f;
  RecordId person = NewRecordId();
  f.Write({Put(person, R"({"name":"Mme Dupont","phone":"0600000000"})")});
  f.Write({Put(NewRecordId(), "{}")});
  f.Write({Put(person, R"({"name":"Mme Dupont, v2"})")});
  auto tomb = f.pool.WithTransaction([&](pqxx::work& txn) {
    LogChange erase{Operation::kErase, RecordKind::kInitiative, person, R"({"reason":"RGPD"})"};
    auto out = f.writer.Append(txn, std::span(&erase, 1));
    CHECK(LogStore(txn, "93").ErasePayloads(person) == 2);
    return out;
  });
  f.pool.WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    auto records = store.ReadRecords(0, 4);
    CHECK_FALSE(records[0].payload);
    CHECK_FALSE(records[0].salt);
    CHECK(records[1].payload);
    CHECK_FALSE(records[2].payload);
    CHECK(records[3].payload);  // the tombstone itself keeps its (non-personal) payload
    CHECK(records[3].entry.operation == Operation::kErase);
    for (std::uint64_t size : {1, 3, 4}) {
      Checkpoint cp;
      REQUIRE(VerifyCheckpointNote(*store.CheckpointNote(size), f.reference.KeyRing(), cp).ok());
      RecordProof proof{records[0].entry_bytes, std::nullopt, std::nullopt,
                        store.InclusionProof(0, size), *store.CheckpointNote(size)};
      CHECK(VerifyRecordProof(proof, "93", f.reference.KeyRing()).ok());
    }
    // The tree is unchanged by erasure.
    MemoryMerkleTree tree;
    for (const auto& r : records) tree.Append(LeafHash(r.entry_bytes));
    CHECK(tree.Root() == store.ReadHead(false).Root());
    CHECK(tomb.checkpoint.root == tree.Root());
  });
}
