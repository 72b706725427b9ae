#pragma once
// Throwaway PostgreSQL databases for integration tests.
//
// The server: if the environment variable ESS_TEST_PG_URL is set (tests/run.sh starts one
// cluster for the whole run and exports its libpq URI), that server is used and left alone.
// Otherwise the first TestDatabase of the process starts a private cluster, one per test
// binary, with deploy/pg-throwaway.sh (the compile definition ESS_PG_THROWAWAY_SCRIPT) in a
// fresh temporary directory. That cluster is stopped and its directory removed when the
// process exits normally, and also on SIGINT, SIGTERM or SIGHUP: handlers installed before
// main() stop the cluster, then re-raise the signal so the exit status still tells what
// happened. (They are installed that early because doctest saves and restores the signal
// handlers around every test case, which would drop handlers installed during a test.)
// Abnormal ends (SIGKILL, a crash) run no handler: a reaper process, started with the
// cluster, notices the end of the test process and stops and removes the cluster then.
//
// Each TestDatabase, whatever the server, creates its own empty database named
// ess_test_<pid>_<counter> and drops it, closing any connection still open to it, when
// destroyed; tests therefore never see each other's tables.

#include <string>

namespace ess::test {

class TestDatabase {
 public:
  // Starts the private cluster if needed and creates the database. Throws
  // std::runtime_error if the cluster cannot be started, pqxx exceptions if the server
  // cannot be reached or refuses CREATE DATABASE.
  TestDatabase();
  // The same on the server of `server_url` (a TestCluster's url()), which must outlive it.
  explicit TestDatabase(std::string server_url);
  // Drops the database; errors are reported on stderr, never thrown.
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  // libpq connection string (URI or key=value, like the server's) for this database.
  const std::string& connection_string() const { return connection_string_; }
  const std::string& name() const { return name_; }

 private:
  std::string server_url_;  // the server's maintenance database, for CREATE/DROP DATABASE
  std::string name_;
  std::string connection_string_;
};

// libpq connection string of the server's maintenance database (ESS_TEST_PG_URL or the
// private cluster, started on first use). Not for test data: use a TestDatabase.
const std::string& TestServerUrl();

// A cluster of the test's own, for fault tests that stop its server or fill its disk under
// running services (the shared server of ESS_TEST_PG_URL is never touched). Started by
// deploy/pg-throwaway.sh in `dir` (absent or empty; "" = a fresh temporary directory), on a
// free port it keeps across restarts. The destructor stops it and removes `dir`; if the test
// process dies without running it (SIGKILL, a crash), a reaper process does the same.
class TestCluster {
 public:
  // Throws std::runtime_error if the cluster cannot be started.
  explicit TestCluster(std::string dir = "");
  // Errors are reported on stderr, never thrown.
  ~TestCluster();
  TestCluster(const TestCluster&) = delete;
  TestCluster& operator=(const TestCluster&) = delete;

  // The maintenance database, for TestDatabase(url()).
  const std::string& url() const { return url_; }
  // `pg_ctl stop -m <mode>`, mode "fast" (clients disconnected, clean shutdown) or
  // "immediate" (every process killed, crash recovery at the next start); returns once the
  // server is gone. Throws std::runtime_error if pg_ctl fails.
  void Stop(const std::string& mode);
  // Starts the server again, as it was started (same port), and returns once it accepts
  // connections. Throws std::runtime_error if it does not start.
  void Start();

 private:
  void PgCtl(const std::string& arguments);
  std::string dir_;
  std::string url_;
  std::string pg_ctl_;  // as the owner of the data directory (runuser when we are root)
};

}  // namespace ess::test
