// The hub's replication domain against a real PostgreSQL, without gRPC: enrolment, batches
// verified and stored in one transaction with the national view, re-sent entries, every
// refusal with its reason and quarantine, forks with evidence, key rotation and revocation,
// erasure, admin reset. Every statement the hub prepares runs at least once across the file.
#include <doctest/doctest.h>

#include "core/log_store.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/referential.h"
#include "core/signed_note.h"
#include "core/verify.h"
#include "hub/store/hub_migrations.h"
#include "hub/store/hub_statements.h"
#include "hub/store/national_queries.h"
#include "hub/store/region_registry.h"
#include "hub/store/region_replicas.h"
#include "hub/store/replication_status.h"
#include "tests/hub/hub_test_support.h"
#include "tests/hub/national_tables_snapshot.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::hub;
using test::SignedRegionLog;

namespace {

const Referential& TheReferential() {
  static const Referential r = Referential::FromFile(ESS_REFERENTIAL_FILE);
  return r;
}

struct Hub {
  test::TestDatabase db;
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  PgPool pool{{db.connection_string(), 4, std::chrono::seconds(10),
               [](pqxx::connection& c) { PrepareHubStatements(c); }}};
  NamedSigner cosigner{"ess-federation/hub", Ed25519Signer::FromSeed(test::SeedOf(0x40))};
  RegionReplicas replicas{pool, std::string(kDefaultFederation), clock, cosigner, TheReferential()};

  Hub() {
    pqxx::connection c(db.connection_string());
    ApplyMigrations(c, HubMigrations());
  }

  AdminOutcome Enrol(const SignedRegionLog& log) {
    return pool.WithTransaction([&](pqxx::work& txn) {
      return RegionRegistry(txn, std::string(kDefaultFederation), clock)
          .Enrol(log.region(), log.VerifierKeyText());
    });
  }
  template <typename Work>
  auto Registry(Work&& work) {
    return pool.WithTransaction([&](pqxx::work& txn) {
      RegionRegistry r(txn, std::string(kDefaultFederation), clock);
      return work(r);
    });
  }
  RegionReplicationStatus Status(const std::string& region) {
    return *pool.WithTransaction(
        [&](pqxx::work& txn) { return ReplicationStatusReader(txn, clock).One(region, 20); });
  }
  SearchPage Search(SearchFilters f, SortOrder sort = SortOrder::kName) {
    return pool.WithTransaction(
        [&](pqxx::work& txn) { return NationalQueries(txn, clock).Search(f, sort, 100, 0); });
  }
  std::uint64_t Count(const std::string& sql) {
    return pool.WithTransaction([&](pqxx::work& txn) { return txn.exec(sql)[0][0].as<std::uint64_t>(); });
  }
  std::uint64_t NationalRows() { return Count("SELECT count(*) FROM national_initiative"); }
  // Every row of a query, as JSON text (to compare two hubs' tables).
  std::string Rows(const std::string& sql) {
    return pool.WithTransaction([&](pqxx::work& txn) {
      std::string out;
      for (const auto& row : txn.exec("SELECT to_jsonb(t) FROM (" + sql + ") t")) out += row[0].c_str() + std::string("\n");
      return out;
    });
  }
};

SearchFilters Text(std::string q) {
  SearchFilters f;
  f.text = std::move(q);
  return f;
}

}  // namespace

TEST_CASE("a first batch is verified, stored with its national rows and cosigned") {
  Hub hub;
  SignedRegionLog log("93", 1);
  REQUIRE(hub.Enrol(log).ok);
  CHECK_FALSE(hub.Enrol(log).ok);  // already enrolled
  const RecordId epicerie = test::TestRecordId(1);
  log.Append(RecordKind::kCharterVersion, test::TestRecordId(100),
             R"({"version":1,"text":"Charte","published_at":"2026-01-01T00:00:00Z"})");
  log.Initiative(epicerie, test::InitiativePayload("Épicerie solidaire du Panier", "pending"));
  log.Initiative(epicerie, test::InitiativePayload("Épicerie solidaire du Panier", "admitted"));
  log.Append(
      RecordKind::kCommitteeDecision, test::TestRecordId(200),
      R"({"initiative":"00000000-0000-4000-8000-000000000001","initiative_version":2,"decision":"admit","reasons":"ok","decided_at":"2026-01-01T00:00:00Z"})");

  auto start = hub.replicas.OpenStream("93", std::nullopt);
  CHECK(start.refusal == StreamRefusal::kNone);
  CHECK(start.state.tree_size == 0);
  CHECK(start.state.root == EmptyTreeRoot());

  BatchOutcome out = hub.replicas.ApplyBatch("93", log.Batch(0, 4), "test");
  REQUIRE_MESSAGE(out.kind == BatchOutcome::Kind::kAccepted, out.verdict.reason);
  CHECK(out.tree_size == 4);
  CHECK(out.new_entries == 4);
  // The receipt: the region's checkpoint plus the hub's cosignature.
  auto note = ParseNote(out.cosigned_checkpoint);
  REQUIRE(note);
  REQUIRE(note->signatures.size() == 2);
  std::uint64_t when = 0;
  CHECK(VerifyCosignature(note->text, note->signatures[1], "ess-federation/hub",
                          hub.cosigner.signer.public_key(), &when));
  CHECK(when == 1'767'225'600);

  // The hub's state is what the next stream resumes from.
  start = hub.replicas.OpenStream("93", std::nullopt);
  CHECK(start.state.tree_size == 4);
  CHECK(start.state.root == log.tree().Root());
  CHECK(start.state.checkpoint_note == log.SignedCheckpoint(4));

  auto page = hub.Search(Text("epicerie pan"));
  REQUIRE(page.total == 1);
  CHECK(page.items[0].name == "Épicerie solidaire du Panier");
  CHECK(page.items[0].record_version == 2);
  CHECK(page.items[0].log_index == 2);
  CHECK(page.items[0].commune_name == "Marseille");
  CHECK(hub.Search(Text("marseille")).total == 1);
  CHECK(hub.Search(Text("boulangerie")).total == 0);

  // Re-sent identical entries change nothing (exactly-once effect): a batch may resume from
  // any size up to the hub's; what the hub holds is compared byte for byte and skipped.
  out = hub.replicas.ApplyBatch("93", log.Batch(0, 4), "test");
  REQUIRE_MESSAGE(out.kind == BatchOutcome::Kind::kAccepted, out.verdict.reason);
  CHECK(out.resent_entries == 4);
  CHECK(out.new_entries == 0);
  // Beyond the hub's size: a gap, recorded.
  log.Initiative(test::TestRecordId(2), test::InitiativePayload("Plus loin", "admitted"));
  log.Initiative(test::TestRecordId(3), test::InitiativePayload("Encore plus loin", "admitted"));
  out = hub.replicas.ApplyBatch("93", log.Batch(5, 6), "test");
  CHECK(out.kind == BatchOutcome::Kind::kRejected);
  CHECK(out.verdict.code == VerdictCode::kGap);
  CHECK(hub.Status("93").rejected_count == 1);
  CHECK(hub.Count("SELECT count(*) FROM log_entry") == 4);
  CHECK(hub.NationalRows() == 1);

  RegionReplicationStatus status = hub.Status("93");
  CHECK(status.tree_size == 4);
  CHECK(status.accepted_batches == 2);
  CHECK(status.accepted_entries == 4);
  CHECK(status.key_fingerprint == KeyFingerprint(log.signer().public_key()));
  CHECK(status.checkpoint_note == log.SignedCheckpoint(4));
}

TEST_CASE("a national record is served with a proof that verifies offline") {
  Hub hub;
  SignedRegionLog log("93", 2);
  REQUIRE(hub.Enrol(log).ok);
  for (std::uint32_t i = 0; i < 6; ++i) {
    log.Initiative(test::TestRecordId(i), test::InitiativePayload("Initiative " + std::to_string(i), "admitted"));
  }
  REQUIRE(hub.replicas.ApplyBatch("93", log.Batch(0, 3), "t").kind == BatchOutcome::Kind::kAccepted);
  REQUIRE(hub.replicas.ApplyBatch("93", log.Batch(3, 6), "t").kind == BatchOutcome::Kind::kAccepted);
  hub.pool.WithTransaction([&](pqxx::work& txn) {
    auto rec = NationalQueries(txn, hub.clock).Get("93", RecordIdToString(test::TestRecordId(4)));
    REQUIRE(rec);
    LogStore store(txn, "93");
    RecordProof proof;
    auto records = store.ReadRecords(rec->log_index, rec->log_index + 1);
    proof.entry = records[0].entry_bytes;
    proof.payload = records[0].payload;
    proof.salt = records[0].salt;
    proof.inclusion_proof = store.InclusionProof(rec->log_index, 6);
    proof.checkpoint_note = *store.LatestCheckpointNote();
    LogEntry entry;
    Verdict v = VerifyRecordProof(proof, "93", log.KeyRing(), &entry);
    CHECK_MESSAGE(v.ok(), v.reason);
    CHECK(entry.record_id == test::TestRecordId(4));
    // One flipped payload byte and the commitment no longer matches.
    (*proof.payload)[3] ^= 1;
    CHECK(VerifyRecordProof(proof, "93", log.KeyRing()).code == VerdictCode::kPayloadMismatch);
  });
}

TEST_CASE("the national map follows admitted revisions, suspensions and erasure") {
  Hub hub;
  SignedRegionLog log("93", 3);
  REQUIRE(hub.Enrol(log).ok);
  const RecordId id = test::TestRecordId(7);
  auto apply = [&](std::uint64_t from) {
    auto out = hub.replicas.ApplyBatch("93", log.Batch(from, log.size()), "t");
    REQUIRE_MESSAGE(out.kind == BatchOutcome::Kind::kAccepted, out.verdict.reason);
  };
  auto name_on_map = [&]() -> std::optional<std::string> {
    auto page = hub.Search({});
    if (page.items.empty()) return std::nullopt;
    return page.items[0].name;
  };
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Port", "pending"));
  apply(0);
  CHECK_FALSE(name_on_map());
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Port", "admitted"));
  apply(1);
  CHECK(name_on_map() == "Ressourcerie du Port");
  // The committee asks for changes (after a report, say): off the map, as on the node, until
  // it admits the corrected record again.
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Port", "changes_requested"));
  apply(2);
  CHECK_FALSE(name_on_map());
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Vieux-Port", "pending"));
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Vieux-Port", "admitted"));
  apply(3);
  CHECK(name_on_map() == "Ressourcerie du Vieux-Port");
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Vieux-Port", "suspended"));
  apply(5);
  CHECK_FALSE(name_on_map());
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Vieux-Port", "admitted"));
  apply(6);
  CHECK(name_on_map() == "Ressourcerie du Vieux-Port");
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Vieux-Port", "withdrawn"));
  apply(7);
  CHECK_FALSE(name_on_map());
  log.Initiative(id, test::InitiativePayload("Ressourcerie du Vieux-Port", "admitted"));
  apply(8);
  CHECK(name_on_map());
  // Erasure: off the map for good, every payload of the record deleted, entries kept.
  log.Append(RecordKind::kInitiative, id, R"({"reason":"demande d'effacement"})", Operation::kErase);
  apply(9);
  CHECK_FALSE(name_on_map());
  CHECK(hub.Count("SELECT count(*) FROM log_entry WHERE region = '93'") == 10);
  CHECK(hub.Count("SELECT count(*) FROM log_entry WHERE payload IS NOT NULL AND operation = 'put'") == 0);
  CHECK(hub.Count("SELECT count(*) FROM national_initiative_state WHERE status = 'erased'") == 1);
  // The erased entries still verify against the checkpoint (no payload to check).
  hub.pool.WithTransaction([&](pqxx::work& txn) {
    LogStore store(txn, "93");
    auto rec = store.ReadRecords(1, 2).front();
    CHECK_FALSE(rec.payload);
    RecordProof proof{rec.entry_bytes, std::nullopt, std::nullopt, store.InclusionProof(1, 10),
                      *store.LatestCheckpointNote()};
    CHECK(VerifyRecordProof(proof, "93", log.KeyRing()).ok());
  });
}

TEST_CASE("a batch leaves the national tables as its entries applied one by one would") {
  // Several revisions of an initiative in one batch: the national view keeps one outcome per
  // initiative (its latest state, its first admission, the revision shown or none).
  SignedRegionLog log("93", 3);
  const RecordId a = test::TestRecordId(1), b = test::TestRecordId(2), c = test::TestRecordId(3),
                 d = test::TestRecordId(4), e = test::TestRecordId(5);
  using test::InitiativePayload;
  log.Initiative(a, InitiativePayload("Atelier vélo", "pending"));
  log.Initiative(b, InitiativePayload("Bricothèque", "admitted"));
  log.Initiative(a, InitiativePayload("Atelier vélo", "admitted"));
  log.Initiative(c, InitiativePayload("Café associatif", "admitted"));
  log.Initiative(d, InitiativePayload("Droguerie solidaire", "admitted", test::kNice));
  log.Initiative(a, InitiativePayload("Atelier vélo", "suspended"));
  log.Append(RecordKind::kInitiative, b, R"({"reason":"demande d'effacement"})", Operation::kErase);
  log.Initiative(c, InitiativePayload("Café associatif du Panier", "admitted"));
  log.Initiative(d, InitiativePayload("Droguerie solidaire", "changes_requested", test::kNice));
  log.Initiative(e, InitiativePayload("Épicerie en attente", "pending"));
  log.Initiative(d, InitiativePayload("Droguerie solidaire corrigée", "pending", test::kNice));
  log.Initiative(d, InitiativePayload("Droguerie solidaire corrigée", "admitted", test::kNice));

  Hub whole, one_by_one;
  REQUIRE(whole.Enrol(log).ok);
  REQUIRE(one_by_one.Enrol(log).ok);
  REQUIRE(whole.replicas.ApplyBatch("93", log.Batch(0, log.size()), "t").kind == BatchOutcome::Kind::kAccepted);
  for (std::uint64_t i = 0; i < log.size(); ++i) {
    REQUIRE(one_by_one.replicas.ApplyBatch("93", log.Batch(i, i + 1), "t").kind == BatchOutcome::Kind::kAccepted);
  }
  for (const char* table : {"SELECT * FROM national_initiative_state ORDER BY record_id",
                            "SELECT * FROM national_initiative ORDER BY record_id",
                            "SELECT log_index, payload IS NULL AS erased FROM log_entry ORDER BY log_index"}) {
    CAPTURE(table);
    CHECK(whole.Rows(table) == one_by_one.Rows(table));
  }
  // The aggregates kept from them too: clusters and counters (hub/sql/041).
  const auto snapshot = [](Hub& hub) {
    return hub.pool.WithTransaction(
        [](pqxx::work& txn) { return test::NationalTablesSnapshot(txn); });
  };
  CHECK(snapshot(whole) == snapshot(one_by_one));
  std::vector<std::string> names;
  for (const auto& item : whole.Search({}).items) names.push_back(item.name);
  CHECK(names == std::vector<std::string>{"Café associatif du Panier", "Droguerie solidaire corrigée"});
  CHECK(whole.Count("SELECT count(*) FROM national_initiative_state WHERE status = 'suspended' "
                    "AND first_admitted_at IS NOT NULL") == 1);  // a
  CHECK(whole.Count("SELECT count(*) FROM national_initiative_state WHERE status = 'erased'") == 1);    // b
  CHECK(whole.Count("SELECT count(*) FROM national_initiative_state WHERE status = 'pending'") == 1);   // e
  CHECK(whole.Count("SELECT count(*) FROM log_entry WHERE payload IS NULL") == 1);  // b's revision (the erase keeps its reason)
}

TEST_CASE("the national row holds every field of the payload as sent, escapes included") {
  // The rows travel to PostgreSQL as COPY text (hub/store/national_view.cpp): tabs, line
  // feeds, backslashes, quotes and NULLs must come out as the payload holds them.
  SignedRegionLog log("93", 3);
  const RecordId a = test::TestRecordId(1), b = test::TestRecordId(2);
  const nlohmann::json offers = nlohmann::json::array(
      {{{"title", "Réparation \\N « vélo »"}, {"description", "ligne 1\nligne\t2 \\ fin"}},
       {{"title", "Prêt d'outils"}}});
  log.Initiative(a, test::InitiativePayload(
                        "Atelier \"vélo\" \\N du Panier", "admitted", test::kMarseille,
                        {{"description", "Première ligne\n\tseconde ligne \\ avec {accolades}"},
                         {"address", "3, rue \\ des \"Ateliers\""},
                         {"employer", false},
                         {"charter_version", 2},
                         {"latitude", 43.123456789012345},
                         {"offers", offers},
                         {"hide_after", "2027-06-30T00:00:00Z"}}));
  log.Initiative(b, test::InitiativePayload("Bricothèque", "admitted", test::kNice));
  Hub hub;
  REQUIRE(hub.Enrol(log).ok);
  REQUIRE(hub.replicas.ApplyBatch("93", log.Batch(0, log.size()), "t").kind ==
          BatchOutcome::Kind::kAccepted);
  const std::string id = RecordIdToString(a);
  auto row = hub.pool.WithTransaction([&](pqxx::work& txn) {
    return txn.exec_params1(
        "SELECT name, description, address, employer, charter_version, latitude, "
        "offers::text, activities::text, to_char(hide_after AT TIME ZONE 'UTC', "
        "'YYYY-MM-DD HH24:MI'), email, phone, search @@ to_tsquery('ess_french', 'reparation') "
        "FROM national_initiative WHERE record_id = $1::uuid",
        id);
  });
  CHECK(row[0].as<std::string>() == "Atelier \"vélo\" \\N du Panier");
  CHECK(row[1].as<std::string>() == "Première ligne\n\tseconde ligne \\ avec {accolades}");
  CHECK(row[2].as<std::string>() == "3, rue \\ des \"Ateliers\"");
  CHECK(row[3].as<bool>() == false);
  CHECK(row[4].as<int>() == 2);
  CHECK(row[5].as<double>() == 43.123456789012345);
  CHECK(nlohmann::json::parse(row[6].as<std::string>()) == offers);
  CHECK(row[7].as<std::string>() == "{alimentation}");
  CHECK(row[8].as<std::string>() == "2027-06-30 00:00");
  CHECK(row[9].as<std::string>() == "contact@example.org");
  CHECK(row[10].is_null());
  CHECK(row[11].as<bool>());  // the offer's title is among the search words
  CHECK(hub.Count("SELECT count(*) FROM national_initiative WHERE address IS NULL AND "
                  "employer IS NULL AND charter_version IS NULL AND hide_after IS NULL") ==
        1);  // b
  CHECK(hub.NationalRows() == 2);
}

TEST_CASE("stale records are flagged and hidden ones leave the map, on the hub's clock") {
  Hub hub;
  SignedRegionLog log("93", 4);
  REQUIRE(hub.Enrol(log).ok);
  log.Initiative(test::TestRecordId(1),
                 test::InitiativePayload("Jardin partagé", "admitted", test::kMarseille,
                                         {{"valid_until", "2026-03-01T00:00:00Z"},
                                          {"hide_after", "2026-06-01T00:00:00Z"}}));
  log.Initiative(test::TestRecordId(2),
                 test::InitiativePayload("Café associatif", "admitted", test::kNice,
                                         {{"valid_until", "2027-01-01T00:00:00Z"}}));
  REQUIRE(hub.replicas.ApplyBatch("93", log.Batch(0, 2), "t").kind == BatchOutcome::Kind::kAccepted);
  SearchFilters stale;
  stale.freshness = "to_confirm";
  CHECK(hub.Search(stale).total == 0);
  hub.clock.Set(std::chrono::system_clock::time_point(std::chrono::seconds(1'775'000'000)));  // 2026-04
  CHECK(hub.Search(stale).total == 1);
  CHECK(hub.Search(stale).items[0].to_confirm);
  CHECK(hub.Search({}).total == 2);
  hub.clock.Set(std::chrono::system_clock::time_point(std::chrono::seconds(1'785'000'000)));  // 2026-07
  auto page = hub.Search({});
  REQUIRE(page.total == 1);
  CHECK(page.items[0].name == "Café associatif");
  auto ind = hub.pool.WithTransaction(
      [&](pqxx::work& txn) { return NationalQueries(txn, hub.clock).ComputeIndicators(); });
  CHECK(ind.on_map == 1);
  CHECK(ind.fresh == 1);
}

TEST_CASE("every refusal is recorded with its reason and never reaches the national tables") {
  Hub hub;
  SignedRegionLog log("93", 5);
  REQUIRE(hub.Enrol(log).ok);
  for (std::uint32_t i = 0; i < 4; ++i) {
    log.Initiative(test::TestRecordId(i), test::InitiativePayload("Base " + std::to_string(i), "admitted"));
  }
  REQUIRE(hub.replicas.ApplyBatch("93", log.Batch(0, 4), "t").kind == BatchOutcome::Kind::kAccepted);
  const std::uint64_t base_rows = hub.NationalRows();
  for (std::uint32_t i = 4; i < 8; ++i) {
    log.Initiative(test::TestRecordId(i), test::InitiativePayload("Nouvelle " + std::to_string(i), "admitted"));
  }
  auto rejected = [&](IncomingBatch batch, VerdictCode code) {
    BatchOutcome out = hub.replicas.ApplyBatch("93", batch, "adversaire");
    CAPTURE(out.verdict.reason);
    CHECK(out.kind == BatchOutcome::Kind::kRejected);
    CHECK(VerdictCodeName(out.verdict.code) == VerdictCodeName(code));
    CHECK(hub.NationalRows() == base_rows);
    CHECK(hub.Count("SELECT tree_size FROM log_head WHERE region = '93'") == 4);
    return out;
  };

  SUBCASE("a tampered entry byte") {
    auto b = log.Batch(4, 8);
    b.entries[1].entry[30] ^= 0x01;  // inside the record id: the signed root no longer matches
    rejected(b, VerdictCode::kBadSignature);
  }
  SUBCASE("a tampered payload byte") {
    auto b = log.Batch(4, 8);
    b.entries[2].payload[5] ^= 0x20;
    auto out = rejected(b, VerdictCode::kPayloadMismatch);
    CHECK(out.failed_index == 6);
    auto status = hub.Status("93");
    CHECK(status.latest_rejections.front().quarantined_entry);
    CHECK(status.latest_rejections.front().log_index == 6);
  }
  SUBCASE("a signature by an unenrolled key") {
    SignedRegionLog stranger("93", 77);
    auto b = log.Batch(4, 8);
    b.checkpoint_note = SignCheckpoint(log.CheckpointAt(8), stranger.signer());
    rejected(b, VerdictCode::kUnknownKey);
  }
  SUBCASE("a revoked key") {
    auto outcome = hub.Registry([&](RegionRegistry& r) {
      return r.RevokeKey("93", KeyFingerprint(log.signer().public_key()), "clé compromise");
    });
    REQUIRE(outcome.ok);
    rejected(log.Batch(4, 8), VerdictCode::kRevokedKey);
  }
  SUBCASE("a gap") {
    auto b = log.Batch(4, 8);
    b.entries.erase(b.entries.begin() + 1);
    rejected(b, VerdictCode::kGap);
  }
  SUBCASE("a replayed old entry among new ones") {
    auto b = log.Batch(4, 8);
    b.entries.insert(b.entries.begin(), SignedRegionLog::Envelope(log.records()[1]));
    rejected(b, VerdictCode::kMalformed);  // entries start at from_tree_size
    b = log.Batch(4, 8);
    b.entries.insert(b.entries.begin() + 2, SignedRegionLog::Envelope(log.records()[1]));
    rejected(b, VerdictCode::kGap);
  }
  SUBCASE("the entry quarantined is the one that failed, even at a repeated index") {
    SignedRegionLog forked("93", 5);
    for (std::uint32_t i = 0; i < 5; ++i) forked.AppendRaw(log.records()[i]);
    forked.Initiative(test::TestRecordId(5), test::InitiativePayload("Autre histoire", "admitted"));
    auto b = log.Batch(4, 8);
    // Entries 4 and 5, then another entry 5: the third one fails (a gap), not the held-back 5.
    b.entries.insert(b.entries.begin() + 2, SignedRegionLog::Envelope(forked.records()[5]));
    CHECK(rejected(b, VerdictCode::kGap).failed_index == 5);
    auto kept = [&](const LogRecord& r) {
      return hub.Count("SELECT count(*) FROM hub_batch_rejection WHERE entry = decode('" +
                       ToHex(r.entry_bytes) + "', 'hex')");
    };
    CHECK(kept(forked.records()[5]) == 1);
    CHECK(kept(log.records()[5]) == 0);
  }
  SUBCASE("an entry of another region") {
    SignedRegionLog other("76", 6);
    for (int i = 0; i < 5; ++i) other.Initiative(test::TestRecordId(50 + i), test::InitiativePayload("Autre", "admitted", test::kToulouse));
    auto b = log.Batch(4, 8);
    b.entries[0] = SignedRegionLog::Envelope(other.records()[4]);
    rejected(b, VerdictCode::kWrongRegion);
  }
  SUBCASE("a checkpoint of another region") {
    SignedRegionLog other("76", 5);  // same key, other origin
    auto b = log.Batch(4, 8);
    b.checkpoint_note = SignCheckpoint({other.origin(), 8, log.tree().Root(), {}}, log.signer());
    rejected(b, VerdictCode::kWrongRegion);
  }
  SUBCASE("garbage bytes") {
    auto b = log.Batch(4, 8);
    b.entries[0].entry = Bytes{0xde, 0xad, 0xbe, 0xef, 0x00, 0xff};
    rejected(b, VerdictCode::kMalformed);
    b = log.Batch(4, 8);
    b.checkpoint_note = std::string("\xff\xfe garbage \x01", 13);
    rejected(b, VerdictCode::kMalformed);
  }
  SUBCASE("too many entries, a payload over 64 KiB") {
    auto b = log.Batch(4, 8);
    b.entries.resize(kMaxBatchEntries + 1, b.entries[0]);
    rejected(b, VerdictCode::kMalformed);
    SignedRegionLog big("93", 5);
    for (auto& r : log.records()) big.AppendRaw(r);
    big.Initiative(test::TestRecordId(99),
                   test::InitiativePayload("Gros", "admitted", test::kMarseille,
                                           {{"description", std::string(70'000, 'x')}}));
    auto bb = big.Batch(4, 9);
    rejected(bb, VerdictCode::kPayloadInvalid);
  }
  SUBCASE("a payload that is not valid against the referential") {
    SignedRegionLog bad("93", 5);
    for (auto& r : log.records()) {
      if (r.entry.index < 4) bad.AppendRaw(r);
    }
    bad.Initiative(test::TestRecordId(42), test::InitiativePayload("Inconnue", "admitted",
                                                                   {"99999", "13", "93", 43.3, 5.4}));
    auto out = rejected(bad.Batch(4, 5), VerdictCode::kPayloadInvalid);
    CHECK(out.verdict.reason.find("99999") != std::string::npos);
  }
  SUBCASE("no signed evidence, no fork: a forged entry at a held index, a bad proof") {
    SignedRegionLog forked("93", 5);
    for (std::uint32_t i = 0; i < 3; ++i) forked.AppendRaw(log.records()[i]);
    forked.Initiative(test::TestRecordId(3), test::InitiativePayload("Autre histoire", "admitted"));
    forked.Initiative(test::TestRecordId(9), test::InitiativePayload("Suite", "admitted"));
    // From size 4 (a power of two) the proof cannot show the old root: a bad proof.
    CHECK(rejected(forked.Batch(4, 5), VerdictCode::kBadProof).kind ==
          BatchOutcome::Kind::kRejected);
    // The hub's own checkpoint replayed with another entry at index 3 (anyone can read it).
    IncomingBatch b = log.Batch(3, 4);
    b.entries[0] = SignedRegionLog::Envelope(forked.records()[3]);
    auto out = rejected(b, VerdictCode::kEntryMismatch);
    CHECK(out.failed_index == 3);
    auto status = hub.Status("93");
    CHECK(status.status == "active");
    CHECK(status.latest_rejections.front().quarantined_entry);
    CHECK_FALSE(status.latest_rejections.front().fork_evidence);
    CHECK(hub.replicas.OpenStream("93", std::nullopt).refusal == StreamRefusal::kNone);
    CHECK(hub.replicas.ApplyBatch("93", log.Batch(4, 8), "t").kind ==
          BatchOutcome::Kind::kAccepted);
  }
  SUBCASE("a fork: a signed tree whose proven prefix is not the hub's tree") {
    SignedRegionLog forked("93", 5);
    for (std::uint32_t i = 0; i < 2; ++i) forked.AppendRaw(log.records()[i]);
    for (std::uint32_t i = 0; i < 3; ++i) {
      forked.Initiative(test::TestRecordId(30 + i),
                        test::InitiativePayload("Autre histoire", "admitted"));
    }
    // From 3 (not a power of two), the proof recomputes the signed root of 5 and a root of 3
    // that is not the hub's: the region signed two histories.
    rejected(forked.Batch(3, 5), VerdictCode::kFork);
    auto status = hub.Status("93");
    CHECK(status.status == "forked");
    CHECK(status.latest_rejections.front().fork_evidence);
    // A forked region syncs no more until an admin acts.
    CHECK(hub.replicas.OpenStream("93", std::nullopt).refusal == StreamRefusal::kForked);
    CHECK(hub.replicas.ApplyBatch("93", log.Batch(4, 8), "t").kind ==
          BatchOutcome::Kind::kRegionStopped);
    // Evidence: the region's signed checkpoint and the hub's.
    hub.pool.WithTransaction([&](pqxx::work& txn) {
      auto r = txn.exec(
          "SELECT held_checkpoint_note, checkpoint_note FROM hub_batch_rejection "
          "WHERE code = 'fork' ORDER BY id DESC LIMIT 1");
      REQUIRE(r.size() == 1);
      CHECK(r[0][0].as<std::string>() == log.SignedCheckpoint(4));
      CHECK(r[0][1].as<std::string>() == forked.SignedCheckpoint(5));
    });
    // Admin: the node took the hub's history back; the region syncs again.
    REQUIRE(hub.Registry([](RegionRegistry& r) { return r.Reactivate("93"); }).ok);
    CHECK(hub.replicas.ApplyBatch("93", log.Batch(4, 8), "t").kind == BatchOutcome::Kind::kAccepted);
  }
  SUBCASE("a fork: the same size with another root") {
    SignedRegionLog forked("93", 5);
    for (std::uint32_t i = 0; i < 3; ++i) forked.AppendRaw(log.records()[i]);
    forked.Initiative(test::TestRecordId(3), test::InitiativePayload("Autre histoire", "admitted"));
    IncomingBatch b;
    b.from_tree_size = 4;
    b.checkpoint_note = forked.SignedCheckpoint(4);
    rejected(b, VerdictCode::kFork);
    CHECK(hub.Status("93").status == "forked");
    // Admin: the node's log is the truth; the hub forgets its copy and resyncs from 0.
    REQUIRE(hub.Registry([](RegionRegistry& r) { return r.ResetReplica("93"); }).ok);
    CHECK(hub.NationalRows() == 0);
    CHECK(hub.replicas.OpenStream("93", std::nullopt).state.tree_size == 0);
    auto out = hub.replicas.ApplyBatch("93", forked.Batch(0, 4), "t");
    CHECK(out.kind == BatchOutcome::Kind::kAccepted);
    CHECK(hub.Search(Text("autre histoire")).total == 1);
  }
  auto status = hub.Status("93");
  CHECK(status.rejected_count >= 1);
  CHECK_FALSE(status.latest_rejections.empty());
}

TEST_CASE("a key rotation in the log is followed; the retired key signs nothing beyond") {
  Hub hub;
  SignedRegionLog log("93", 8);
  REQUIRE(hub.Enrol(log).ok);
  log.Initiative(test::TestRecordId(1), test::InitiativePayload("Avant", "admitted"));
  const Ed25519Signer next = Ed25519Signer::FromSeed(test::SeedOf(0x90));
  KeyRotation rotation{*ParseVerifierKey(FormatVerifierKey(log.origin(), next.public_key())), 2};
  log.Append(RecordKind::kKeyRotation, test::TestRecordId(500), EncodeKeyRotation(rotation));
  auto out = hub.replicas.ApplyBatch("93", log.Batch(0, 2), "t");
  REQUIRE_MESSAGE(out.kind == BatchOutcome::Kind::kAccepted, out.verdict.reason);
  auto record = hub.Registry([](RegionRegistry& r) { return *r.Find("93"); });
  REQUIRE(record.keys.size() == 2);
  CHECK(record.keys[0].valid_until_index == 2);
  CHECK(record.keys[1].added_by == "rotation");
  CHECK(record.keys[1].rotation_index == 1);
  CHECK(hub.Status("93").key_fingerprint == KeyFingerprint(next.public_key()));

  const Ed25519Signer old = log.signer();
  log.Initiative(test::TestRecordId(2), test::InitiativePayload("Après", "admitted"));
  SUBCASE("the old key signing past its range is refused") {
    out = hub.replicas.ApplyBatch("93", log.Batch(2, 3), "t");  // still signed by the old key
    CHECK(out.kind == BatchOutcome::Kind::kRejected);
    CHECK(out.verdict.code == VerdictCode::kRevokedKey);
  }
  SUBCASE("the new key signs from the rotation on") {
    log.set_signer(next);
    out = hub.replicas.ApplyBatch("93", log.Batch(2, 3), "t");
    CHECK_MESSAGE(out.kind == BatchOutcome::Kind::kAccepted, out.verdict.reason);
  }
  SUBCASE("an admin reset keeps the enrolled key and replays the rotation") {
    REQUIRE(hub.Registry([](RegionRegistry& r) { return r.ResetReplica("93"); }).ok);
    auto keys = hub.Registry([](RegionRegistry& r) { return r.Find("93")->keys; });
    REQUIRE(keys.size() == 1);
    CHECK_FALSE(keys[0].valid_until_index);
    log.set_signer(next);
    auto first = log.Batch(0, 2);
    first.checkpoint_note = SignCheckpoint(log.CheckpointAt(2), old);
    REQUIRE(hub.replicas.ApplyBatch("93", first, "t").kind == BatchOutcome::Kind::kAccepted);
    CHECK(hub.replicas.ApplyBatch("93", log.Batch(2, 3), "t").kind == BatchOutcome::Kind::kAccepted);
  }
}

TEST_CASE("enrolment checks the region and key; add-key closes the current key's range") {
  Hub hub;
  SignedRegionLog log("93", 9);
  CHECK_FALSE(hub.Registry([](RegionRegistry& r) { return r.Enrol("99", "x"); }).ok);
  SignedRegionLog other("76", 9);
  CHECK_FALSE(hub.Registry([&](RegionRegistry& r) { return r.Enrol("93", other.VerifierKeyText()); }).ok);
  CHECK_FALSE(hub.Registry([&](RegionRegistry& r) { return r.Enrol("93", "pas une clé"); }).ok);
  REQUIRE(hub.Enrol(log).ok);
  SignedRegionLog replacement("93", 10);
  CHECK_FALSE(hub.Registry([&](RegionRegistry& r) { return r.AddKey("93", replacement.VerifierKeyText(), 0); }).ok);
  REQUIRE(hub.Registry([&](RegionRegistry& r) { return r.AddKey("93", replacement.VerifierKeyText(), 5); }).ok);
  auto ring = hub.Registry([](RegionRegistry& r) { return r.LoadKeyRing("93"); });
  REQUIRE(ring.keys().size() == 2);
  CHECK(ring.KeyFor(4)->key.key_id == log.KeyRing().keys()[0].key.key_id);
  CHECK(ring.KeyFor(5)->key.key_id == replacement.KeyRing().keys()[0].key.key_id);
  CHECK_FALSE(hub.Registry([](RegionRegistry& r) { return r.RevokeKey("93", "0000", "x"); }).ok);
  auto list = hub.Registry([](RegionRegistry& r) { return r.List(); });
  REQUIRE(list.size() == 1);
  CHECK(list[0].name == "Provence-Alpes-Côte d'Azur");
  // Streams: unknown regions are refused, and so is a certificate of another region.
  CHECK(hub.replicas.OpenStream("76", std::nullopt).refusal == StreamRefusal::kNotEnrolled);
  CHECK(hub.replicas.OpenStream("93", std::vector<std::string>{"region-76"}).refusal ==
        StreamRefusal::kWrongPeer);
  CHECK(hub.replicas.OpenStream("93", std::vector<std::string>{"region-93"}).refusal ==
        StreamRefusal::kNone);
  // Opening a stream records nothing: anyone may ask for the public state.
  auto status = hub.Status("93");
  CHECK(status.rejected_count == 0);
  CHECK_FALSE(status.last_contact_at);

  // Only a stream that answers the challenge with the region's key is recorded.
  const ReplicationChallenge challenge = NewReplicationChallenge();
  std::string reason;
  SignedRegionLog impostor("93", 77);
  Bytes forged =
      SignReplicationChallenge(log.origin(), impostor.signer(), "ess-federation/hub", challenge);
  CHECK(hub.replicas.Authenticate("93", challenge, forged, nullptr, 1'000'000'000'000, "t",
                                  reason) == AuthOutcome::kRefused);
  CHECK(hub.Status("93").node_tree_size == std::nullopt);
  // Signed for another hub, or for another challenge: refused too.
  Bytes elsewhere = SignReplicationChallenge(log.origin(), log.signer(), "autre/hub", challenge);
  CHECK(hub.replicas.Authenticate("93", challenge, elsewhere, nullptr, 3, "t", reason) ==
        AuthOutcome::kRefused);
  Bytes answer =
      SignReplicationChallenge(log.origin(), log.signer(), "ess-federation/hub", challenge);
  CHECK(hub.replicas.Authenticate("93", NewReplicationChallenge(), answer, nullptr, 3, "t",
                                  reason) == AuthOutcome::kRefused);
  // The node said it holds 3 entries the hub lacks: that is the lag.
  REQUIRE(hub.replicas.Authenticate("93", challenge, answer, nullptr, 3, "t", reason) ==
          AuthOutcome::kAuthenticated);
  hub.clock.Advance(std::chrono::seconds(90));
  status = hub.Status("93");
  CHECK(status.lag_entries == 3);
  CHECK(status.lag_seconds == 90);
}
