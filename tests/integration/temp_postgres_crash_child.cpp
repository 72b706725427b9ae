// The child process temp_postgres_test spawns: starts its private throwaway cluster (the
// test unsets ESS_TEST_PG_URL), writes the cluster's connection string to the file named by
// its only argument, then crashes (abort) so that no exit handler runs. Not a test itself.
#include <cstdio>
#include <cstdlib>

#include "tests/support/temp_postgres.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fputs("usage: temp_postgres_crash_child URL_FILE\n", stderr);
    return 2;
  }
  ess::test::TestDatabase db;
  FILE* f = std::fopen(argv[1], "w");
  if (f == nullptr) return 1;
  std::fputs(db.connection_string().c_str(), f);
  std::fclose(f);
  std::abort();
}
