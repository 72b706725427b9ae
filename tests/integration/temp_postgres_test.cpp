// The throwaway cluster of a test binary is removed however the binary ends: here a test
// process that crashes (abort) right after starting its private cluster. That process is
// temp_postgres_crash_child (the compile definition ESS_CRASH_CHILD names its executable).
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#include <pqxx/pqxx>

#include "tests/support/child_process.h"
#include "tests/support/temp_postgres.h"

using namespace ess::test;
using namespace std::chrono_literals;

TEST_CASE("a crashed test process leaves no cluster behind") {
  TempDir dir;
  const std::string file = dir.File("url");
  // The child must start its own cluster, not use a shared server.
  std::string shared = std::getenv("ESS_TEST_PG_URL") ? std::getenv("ESS_TEST_PG_URL") : "";
  unsetenv("ESS_TEST_PG_URL");
  ChildProcess child(ESS_CRASH_CHILD, {file}, dir.File("child.log"));
  if (!shared.empty()) setenv("ESS_TEST_PG_URL", shared.c_str(), 1);

  auto code = child.Wait(120s);
  REQUIRE(code);
  CHECK(*code == 128 + SIGABRT);
  const std::string url = ReadFile(file);
  REQUIRE_MESSAGE(url.rfind("postgresql://", 0) == 0, ReadFile(dir.File("child.log")));
  // The server answered while the child ran; within a bound it no longer does.
  bool gone = false;
  for (int i = 0; i < 600 && !gone; ++i) {
    try {
      pqxx::connection probe(url);
      std::this_thread::sleep_for(100ms);
    } catch (const pqxx::broken_connection&) {
      gone = true;
    }
  }
  CHECK_MESSAGE(gone, "the crashed child's cluster still answers at " << url);
}
