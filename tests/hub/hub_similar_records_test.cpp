// SimilarRecords.FindSimilar (proto/similar.proto): the hub's visible records with the SIRET
// asked, or the name asked in the commune asked, for a node's registration form; the query
// on its own and through the service on a loopback gRPC server (its bounded queue).
#include <doctest/doctest.h>

#include <set>

#include <grpcpp/grpcpp.h>

#include "core/referential.h"
#include "core/work_queue.h"
#include "hub/grpc/grpc_similar_service.h"
#include "tests/hub/hub_store_fixture.h"
#include "tests/hub/hub_test_support.h"

using namespace ess;
using namespace ess::hub;
namespace v1 = federation::v1;
using test::InitiativePayload;
using test::SignedRegionLog;

namespace {

using test::TheReferential;

constexpr const char* kSiret = "73282932000074";

struct Fixture : test::HubStoreFixture {
  SignedRegionLog paca{"93", 1};

  Fixture() {
    Enrol(paca);
    paca.Initiative(
        test::TestRecordId(1),
        InitiativePayload("Épicerie solidaire du Panier", "admitted",
                          {"13055", "13", "93", 43.29700, 5.37400}, {{"siret", kSiret}}));
    paca.Initiative(test::TestRecordId(2),
                    InitiativePayload("Repair Café du Vieux-Port", "admitted",
                                      {"13055", "13", "93", 43.29500, 5.37000}));
    paca.Initiative(test::TestRecordId(3),
                    InitiativePayload("Repair Café du Vieux-Port", "rejected",
                                      {"13055", "13", "93", 43.29500, 5.37000}));
    REQUIRE(replicas.ApplyBatch("93", paca.Batch(0, 3), "t").kind == BatchOutcome::Kind::kAccepted);
  }

  v1::SimilarList Find(const std::string& siret, const std::string& name,
                       const std::string& commune,
                       grpc::StatusCode expected = grpc::StatusCode::OK) {
    v1::SimilarQuery q;
    q.set_siret(siret);
    q.set_name(name);
    q.set_commune(commune);
    v1::SimilarList out;
    auto status = pool.WithTransaction(
        [&](pqxx::work& txn) { return FindSimilarRecords(txn, q, clock.NowMillis(), out); });
    CHECK(status.error_code() == expected);
    return out;
  }
};

std::set<std::string> Ids(const v1::SimilarList& list) {
  std::set<std::string> out;
  for (const auto& r : list.records()) out.insert(r.record_id());
  return out;
}

}  // namespace

TEST_CASE("same SIRET, or same name in the same commune, visible records only") {
  Fixture f;
  auto by_siret = f.Find(kSiret, "", "");
  REQUIRE(by_siret.records_size() == 1);
  CHECK(by_siret.records(0).record_id() == RecordIdToString(test::TestRecordId(1)));
  CHECK(by_siret.records(0).reason() == "siret");
  CHECK(by_siret.records(0).region() == "93");
  CHECK(by_siret.records(0).commune() == "13055");
  // Accents, case and punctuation aside; the rejected record with the same name is not public.
  auto by_name = f.Find("", "repair cafe du vieux port", "13055");
  CHECK(Ids(by_name) == std::set<std::string>{RecordIdToString(test::TestRecordId(2))});
  CHECK(by_name.records(0).reason() == "name_commune");
  // Both at once: the SIRET's match first.
  auto both = f.Find(kSiret, "Repair Café du Vieux-Port", "13055");
  REQUIRE(both.records_size() == 2);
  CHECK(both.records(0).reason() == "siret");
  // A name without its commune, another commune, nothing asked: nothing.
  CHECK(f.Find("", "Repair Café du Vieux-Port", "").records_size() == 0);
  CHECK(f.Find("", "Repair Café du Vieux-Port", "06088").records_size() == 0);
  CHECK(f.Find("", "", "").records_size() == 0);
  // Oversized fields are refused.
  f.Find(std::string(21, '1'), "", "", grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_CASE("through the service on a loopback server") {
  Fixture f;
  WorkQueue workers(1, 4);
  SimilarRecordsService service(f.pool, f.clock, workers);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  auto server = builder.BuildAndStart();
  REQUIRE(server);
  auto stub = v1::SimilarRecords::NewStub(
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  v1::SimilarQuery q;
  q.set_siret(kSiret);
  v1::SimilarList out;
  auto status = stub->FindSimilar(&context, q, &out);
  REQUIRE(status.ok());
  CHECK(Ids(out) == std::set<std::string>{RecordIdToString(test::TestRecordId(1))});
  server->Shutdown();
  workers.Stop();
}
