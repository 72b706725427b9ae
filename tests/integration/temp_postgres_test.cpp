// The throwaway cluster of a test binary is removed however the binary ends: here a test
// process that crashes (abort) right after starting its private cluster.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdlib>
#include <thread>

#include <pqxx/pqxx>

#include "tests/support/child_process.h"
#include "tests/support/temp_postgres.h"

using namespace ess::test;
using namespace std::chrono_literals;

// Runs only as the child of the test below: starts a private cluster, says where, crashes.
TEST_CASE("crashing child") {
  const char* out = std::getenv("ESS_TEMP_PG_CRASH_FILE");
  if (out == nullptr) return;
  TestDatabase db;
  FILE* f = std::fopen(out, "w");
  std::fputs(db.connection_string().c_str(), f);
  std::fclose(f);
  std::abort();
}

TEST_CASE("a crashed test process leaves no cluster behind") {
  TempDir dir;
  const std::string file = dir.File("url");
  // The child must start its own cluster, not use a shared server.
  std::string shared = std::getenv("ESS_TEST_PG_URL") ? std::getenv("ESS_TEST_PG_URL") : "";
  unsetenv("ESS_TEST_PG_URL");
  setenv("ESS_TEMP_PG_CRASH_FILE", file.c_str(), 1);
  ChildProcess child("/proc/self/exe", {"--test-case=crashing child"}, dir.File("child.log"));
  unsetenv("ESS_TEMP_PG_CRASH_FILE");
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
