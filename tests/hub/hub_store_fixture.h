#pragma once
// The hub's store for in-process PostgreSQL tests: a fresh database with the hub's
// migrations, a pool preparing the hub's statements, the replicas writer under the hub's test
// key, a manual clock, and the common referential the build made.

#include <chrono>
#include <cstddef>
#include <map>
#include <string>

#include <doctest/doctest.h>

#include "core/clock.h"
#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "core/referential.h"
#include "http/http_types.h"
#include "hub/store/hub_migrations.h"
#include "hub/store/hub_statements.h"
#include "hub/store/region_registry.h"
#include "hub/store/region_replicas.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

namespace ess::test {

// The build's referential (ESS_REFERENTIAL_FILE), read once.
inline const Referential& TheReferential() {
  static const Referential r = Referential::FromFile(ESS_REFERENTIAL_FILE);
  return r;
}

// The hub's test signing key (its verifier key is what a hub API publishes).
inline Ed25519Signer HubTestSigner() { return Ed25519Signer::FromSeed(SeedOf(0x40)); }

// A request to a hub API as the HTTP server hands it over: `target` split into path and
// query, a JSON content type when there is a body.
inline HttpRequest ApiRequest(const std::string& method, const std::string& target,
                              std::map<std::string, std::string> headers = {},
                              std::string body = {}, std::string client_address = {}) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  req.headers = std::move(headers);
  if (!body.empty()) req.headers.emplace("content-type", "application/json");
  req.body = std::move(body);
  req.client_address = std::move(client_address);
  auto q = target.find('?');
  req.path = target.substr(0, q);
  if (q != std::string::npos) req.query = ParseQuery(target.substr(q + 1));
  return req;
}

struct HubStoreFixture {
  explicit HubStoreFixture(std::size_t pool_size = 2)
      : pool({db.connection_string(), pool_size, std::chrono::seconds(10),
              [](pqxx::connection& c) { hub::PrepareHubStatements(c); }}),
        replicas(pool, std::string(kDefaultFederation), clock,
                 NamedSigner{"ess-federation/hub", HubTestSigner()}, TheReferential()) {
    pqxx::connection c(db.connection_string());
    ApplyMigrations(c, hub::HubMigrations());
  }

  // Enrols each region log's verifier key at the hub.
  template <typename... Logs>
  void Enrol(const Logs&... regions) {
    pool.WithTransaction([&](pqxx::work& txn) {
      hub::RegionRegistry r(txn, std::string(kDefaultFederation), clock);
      const auto enrol = [&](const auto& log) {
        REQUIRE(r.Enrol(log.region(), log.VerifierKeyText()).ok);
      };
      (enrol(regions), ...);
    });
  }

  TestDatabase db;
  ManualClock clock{std::chrono::system_clock::time_point(std::chrono::seconds(1'767'225'600))};
  PgPool pool;
  hub::RegionReplicas replicas;
};

}  // namespace ess::test
