// The node and hub executables: --help, configuration errors, start on a fresh database,
// /healthz, clean stop on SIGTERM, restart on the same database.
#include <doctest/doctest.h>

#include <signal.h>

#include "tests/support/child_process.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace std::chrono_literals;

namespace {

int RunToExit(const std::string& exe, const std::vector<std::string>& args, const test::TempDir& dir,
              std::string* output = nullptr) {
  test::ChildProcess p(exe, args, dir.File("run.log"));
  auto code = p.Wait(20s);
  REQUIRE(code);
  if (output) *output = test::ReadFile(dir.File("run.log"));
  return *code;
}

std::string Keygen(const test::TempDir& dir, const std::string& name, const std::string& file) {
  std::string out;
  REQUIRE(RunToExit(test::BuiltExecutable("essctl/essctl"),
                    {"keygen", "--name", name, "--out", dir.File(file)}, dir, &out) == 0);
  return dir.File(file);
}

}  // namespace

TEST_CASE("--help and bad configuration") {
  test::TempDir dir;
  std::string out;
  CHECK(RunToExit(test::BuiltExecutable("node/ess-node"), {"--help"}, dir, &out) == 0);
  CHECK(out.find("--region") != std::string::npos);
  CHECK(RunToExit(test::BuiltExecutable("hub/ess-hub"), {"--help"}, dir, &out) == 0);
  CHECK(out.find("--grpc") != std::string::npos);

  CHECK(RunToExit(test::BuiltExecutable("node/ess-node"),
                  {"--region", "99", "--database", "x", "--key-file", "k"}, dir, &out) == 2);
  CHECK(out.find("n'est pas un code INSEE de région") != std::string::npos);
  CHECK(RunToExit(test::BuiltExecutable("node/ess-node"), {"--region", "93"}, dir, &out) == 2);
  CHECK(RunToExit(test::BuiltExecutable("hub/ess-hub"),
                  {"--database", "x", "--key-file", "k", "--http", "nope"}, dir, &out) == 2);
  CHECK(out.find("--http") != std::string::npos);
  // A key that is not the region's is refused before anything starts.
  std::string key = Keygen(dir, "ess-federation/region/76", "k76");
  CHECK(RunToExit(test::BuiltExecutable("node/ess-node"),
                  {"--region", "93", "--database", "postgresql://127.0.0.1:1/x", "--key-file", key},
                  dir, &out) == 1);
  CHECK(out.find("attendu « ess-federation/region/93 »") != std::string::npos);
}

TEST_CASE("node and hub start on a fresh database, serve /healthz, stop on SIGTERM, restart") {
  test::TempDir dir;
  test::TestDatabase node_db, hub_db;
  std::string node_key = Keygen(dir, "ess-federation/region/93", "node.key");
  std::string hub_key = Keygen(dir, "ess-federation/hub", "hub.key");
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    std::string suffix = std::to_string(round);
    test::ChildProcess hub(test::BuiltExecutable("hub/ess-hub"),
                           {"--database", hub_db.connection_string(), "--key-file", hub_key,
                            "--http", "127.0.0.1:0", "--grpc", "127.0.0.1:0", "--ready-file",
                            dir.File("hub.ready" + suffix)},
                           dir.File("hub.log"));
    test::ChildProcess node(test::BuiltExecutable("node/ess-node"),
                            {"--region", "93", "--database", node_db.connection_string(),
                             "--key-file", node_key, "--http", "127.0.0.1:0", "--ready-file",
                             dir.File("node.ready" + suffix)},
                            dir.File("node.log"));
    auto hub_ports = test::WaitForReadyFile(dir.File("hub.ready" + suffix), hub, 30s);
    auto node_ports = test::WaitForReadyFile(dir.File("node.ready" + suffix), node, 30s);
    CHECK(hub_ports.at("grpc") > 0);
    auto h = test::HttpGet(node_ports.at("http"), "/healthz");
    CHECK(h.status == 200);
    CHECK(h.body.find("ok") != std::string::npos);
    CHECK(test::HttpGet(hub_ports.at("http"), "/healthz").status == 200);
    CHECK(test::HttpGet(hub_ports.at("http"), "/nowhere").status == 404);
    node.Signal(SIGTERM);
    hub.Signal(SIGTERM);
    CHECK(node.Wait(20s) == 0);
    CHECK(hub.Wait(20s) == 0);
  }
  // The second start found its migrations applied and applied nothing again.
  std::string log = test::ReadFile(dir.File("node.log"));
  std::size_t first = log.find("001_region_log.sql");
  REQUIRE(first != std::string::npos);
  CHECK(log.find("001_region_log.sql", log.find("signal")) == std::string::npos);
}
