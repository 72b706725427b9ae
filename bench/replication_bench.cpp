// Catch-up throughput of region-to-hub replication, end to end with the real processes: a
// node's journal holds N signed initiative revisions (100 per transaction, as a busy node
// writes them); an ess-node and an ess-hub start, and the clock runs until the hub's
// national tables hold the last entry. Every entry is verified (signature, consistency,
// commitment, payload content), stored with its Merkle nodes and applied to the national
// view. The peer, in the same run and on the same PostgreSQL: the same rows copied from
// the node's database to another by PostgreSQL itself (COPY ... TO STDOUT | COPY ... FROM
// STDIN), with no verification at all: the floor of any replication of this data.
//   replication_bench [entries=20000]
#include <cstdio>
#include <iostream>

#include "tests/hub/hub_processes.h"
#include "tests/hub/hub_test_support.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;

namespace {

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

// Copies log_entry from `from` to `to` (the same table, made first from core/sql)
// with psql's \copy through a pipe; returns the seconds the copy took.
double CopyWithPostgres(const std::string& from, const std::string& to) {
  {
    pqxx::connection c(to);
    pqxx::work t(c);
    t.exec(ReadFile(std::string(ESS_SOURCE_DIR) + "/core/sql/001_region_log.sql"));
    t.commit();
  }
  const std::string command = "psql -q '" + from + "' -c '\\copy log_entry TO STDOUT' | psql -q '" + to +
                              "' -c '\\copy log_entry FROM STDIN'";
  auto start = std::chrono::steady_clock::now();
  if (std::system(command.c_str()) != 0) throw std::runtime_error("psql copy failed");
  return Seconds(std::chrono::steady_clock::now() - start);
}

}  // namespace

int main(int argc, char** argv) {
  const std::uint64_t n = argc > 1 ? std::stoull(argv[1]) : 20'000;
  TempDir dir;
  TestDatabase hub_db, node_db, peer_db;
  const std::string node_key = MakeKey(dir, "ess-federation/region/93", "node.key");
  HubProcess hub(dir, hub_db.connection_string());
  hub.Start();
  Enrol(dir, hub_db.connection_string(), "93", node_key);

  // The node applies its schema at its first start (no hub yet), then its journal is filled.
  NodeProcess node(dir, "93", node_db.connection_string(), node_key);
  node.Start("");
  node.Stop();
  NodeJournal journal(node_db.connection_string(), "93", node_key);
  for (std::uint64_t i = 0; i < n; i += 100) {
    std::vector<LogChange> changes;
    for (std::uint64_t k = i; k < std::min(n, i + 100); ++k) {
      changes.push_back(PutInitiative(TestRecordId(static_cast<std::uint32_t>(k)),
                                      InitiativePayload("Initiative " + std::to_string(k), "admitted",
                                                        k % 2 ? kMarseille : kNice)));
    }
    journal.Append(std::move(changes));
  }

  auto start = std::chrono::steady_clock::now();
  node.Start(hub.grpc_address());
  if (!WaitUntil(std::chrono::minutes(10), [&] { return hub.TreeSize("93") == n; })) {
    std::cerr << "the hub did not catch up in 10 minutes\n";
    return 1;
  }
  const double ours = Seconds(std::chrono::steady_clock::now() - start);
  const auto on_map = GetJson(hub.http_port(), "/api/indicators")["on_map"].get<std::uint64_t>();
  node.Stop();
  hub.Stop();
  const double peer = CopyWithPostgres(node_db.connection_string(), peer_db.connection_string());

  std::printf("entries %llu (on the national map: %llu)\n", static_cast<unsigned long long>(n),
              static_cast<unsigned long long>(on_map));
  std::printf("replication, verified, national view built: %.2f s, %.0f entries/s\n", ours, n / ours);
  std::printf("peer, PostgreSQL COPY of the same rows, unverified: %.2f s, %.0f rows/s\n", peer, n / peer);
  return 0;
}
