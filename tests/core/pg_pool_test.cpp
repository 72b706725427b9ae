// PgPool and ApplyMigrations against a real PostgreSQL (see tests/support/temp_postgres.h).

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/pg_migrations.h"
#include "core/pg_pool.h"
#include "tests/support/temp_postgres.h"

namespace ess::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Upper bound for anything a test waits for; reaching it means the test failed.
constexpr auto kPatience = std::chrono::seconds(10);

PgPoolOptions Options(const TestDatabase& db, std::size_t size,
                      milliseconds acquire_timeout = milliseconds(5'000)) {
  PgPoolOptions options;
  options.connection_string = db.connection_string();
  options.size = size;
  options.acquire_timeout = acquire_timeout;
  return options;
}

void Exec(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::work txn(conn);
  txn.exec(sql);
  txn.commit();
}

long long Count(const std::string& url, const std::string& table) {
  pqxx::connection conn(url);
  pqxx::nontransaction txn(conn);
  return txn.exec1("SELECT count(*) FROM " + txn.quote_name(table))[0].as<long long>();
}

bool TableExists(pqxx::connection& conn, const std::string& table) {
  pqxx::nontransaction txn(conn);
  return txn.exec_params1("SELECT to_regclass($1) IS NOT NULL", table)[0].as<bool>();
}

// Terminates backend `pid` from another session and waits until it has exited (PostgreSQL
// 14+ pg_terminate_backend timeout), so that the victim's next statement fails for sure.
void TerminateBackend(const std::string& url, int pid) {
  pqxx::connection killer(url);
  pqxx::nontransaction txn(killer);
  REQUIRE(txn.exec_params1("SELECT pg_terminate_backend($1, 10000)", pid)[0].as<bool>());
}

TEST_SUITE("pg_pool") {
  TEST_CASE("a pool of size 0 is rejected") {
    PgPoolOptions options;
    options.size = 0;
    CHECK_THROWS_AS(PgPool{options}, std::invalid_argument);
  }

  TEST_CASE("a lease returns its connection to the pool") {
    TestDatabase db;
    int connects = 0;
    PgPoolOptions options = Options(db, 1);
    options.on_connect = [&connects](pqxx::connection&) { ++connects; };
    PgPool pool(options);
    CHECK(connects == 0);  // lazy

    int first_pid = 0;
    {
      PgLease lease = pool.Acquire();
      first_pid = lease->backendpid();
      PgLease moved = std::move(lease);  // the moved-from lease must not return it too
      CHECK(moved->backendpid() == first_pid);
    }
    for (int i = 0; i < 3; ++i) {
      PgLease lease = pool.Acquire();
      CHECK(lease->backendpid() == first_pid);
    }
    CHECK(connects == 1);
  }

  TEST_CASE("Acquire blocks, then times out while every connection is leased") {
    TestDatabase db;
    const milliseconds timeout(200);
    PgPool pool(Options(db, 2, timeout));
    std::optional<PgLease> first(pool.Acquire());
    PgLease second = pool.Acquire();

    const auto start = steady_clock::now();
    CHECK_THROWS_AS(pool.Acquire(), std::runtime_error);
    const auto waited = steady_clock::now() - start;
    CHECK(waited >= timeout);
    CHECK(waited < kPatience);

    // A released connection is available again at once.
    const int pid = (*first)->backendpid();
    first.reset();
    PgLease again = pool.Acquire();
    CHECK(again->backendpid() == pid);
  }

  TEST_CASE("a blocked Acquire gets the connection released meanwhile") {
    TestDatabase db;
    PgPool pool(Options(db, 1));
    std::optional<PgLease> held(pool.Acquire());
    const int pid = (*held)->backendpid();

    std::atomic<int> got_pid{0};
    std::exception_ptr error;
    std::thread waiter([&] {
      try {
        PgLease lease = pool.Acquire();
        got_pid = lease->backendpid();
      } catch (...) {
        error = std::current_exception();
      }
    });
    held.reset();
    waiter.join();
    CHECK_FALSE(error);
    CHECK(got_pid == pid);
  }

  TEST_CASE("statements prepared by on_connect are usable on every connection") {
    TestDatabase db;
    Exec(db.connection_string(), "CREATE TABLE initiative (id serial PRIMARY KEY, name text)");
    int connects = 0;
    PgPoolOptions options = Options(db, 2);
    options.on_connect = [&connects](pqxx::connection& conn) {
      ++connects;
      conn.prepare("add_initiative", "INSERT INTO initiative (name) VALUES ($1) RETURNING id");
      conn.prepare("count_initiatives", "SELECT count(*) FROM initiative");
    };
    PgPool pool(options);

    // Two leases at once: both connections run the hook.
    PgLease a = pool.Acquire();
    PgLease b = pool.Acquire();
    CHECK(connects == 2);
    for (PgLease* lease : {&a, &b}) {
      pqxx::work txn(**lease);
      txn.exec_prepared1("add_initiative", std::string("Épicerie solidaire"));
      txn.commit();
    }
    {
      PgLease done_a = std::move(a);
      PgLease done_b = std::move(b);
    }
    const auto count = pool.WithTransaction(
        [](pqxx::work& txn) { return txn.exec_prepared1("count_initiatives")[0].as<long long>(); });
    CHECK(count == 2);
  }

  TEST_CASE("a lease marked broken is replaced by a new connection") {
    TestDatabase db;
    int connects = 0;
    PgPoolOptions options = Options(db, 1);
    options.on_connect = [&connects](pqxx::connection&) { ++connects; };
    PgPool pool(options);
    int old_pid = 0;
    {
      PgLease lease = pool.Acquire();
      old_pid = lease->backendpid();
      lease.MarkBroken();
    }
    PgLease lease = pool.Acquire();
    CHECK(lease->backendpid() != old_pid);
    CHECK(connects == 2);
  }

  TEST_CASE("a connection killed while idle in the pool is rebuilt") {
    TestDatabase db;
    int connects = 0;
    PgPoolOptions options = Options(db, 1);
    options.on_connect = [&connects](pqxx::connection& conn) {
      ++connects;
      conn.prepare("backend_pid", "SELECT pg_backend_pid()");
    };
    PgPool pool(options);
    const int old_pid = pool.Acquire()->backendpid();
    TerminateBackend(db.connection_string(), old_pid);

    // The pool cannot know yet; the transaction's first statement finds out and the retry
    // runs on a fresh connection, whose on_connect prepared the statement again.
    const int new_pid = pool.WithTransaction(
        [](pqxx::work& txn) { return txn.exec_prepared1("backend_pid")[0].as<int>(); });
    CHECK(new_pid != old_pid);
    CHECK(connects == 2);
  }

  TEST_CASE("WithTransaction retries once when the connection breaks mid-transaction") {
    TestDatabase db;
    const std::string url = db.connection_string();
    Exec(url, "CREATE TABLE attempt (n int)");
    PgPool pool(Options(db, 1));

    int attempts = 0;
    const int result = pool.WithTransaction([&](pqxx::work& txn) {
      ++attempts;
      txn.exec_params("INSERT INTO attempt (n) VALUES ($1)", attempts);
      if (attempts == 1) {
        TerminateBackend(url, txn.conn().backendpid());
        txn.exec("SELECT 1");  // throws pqxx::broken_connection
      }
      return attempts;
    });
    CHECK(result == 2);
    CHECK(attempts == 2);
    // The first attempt's row died with its transaction.
    pqxx::connection check(url);
    pqxx::nontransaction txn(check);
    const auto row = txn.exec1("SELECT count(*), min(n) FROM attempt");
    CHECK(row[0].as<int>() == 1);
    CHECK(row[1].as<int>() == 2);
  }

  TEST_CASE("WithTransaction gives up when the retry breaks too") {
    TestDatabase db;
    const std::string url = db.connection_string();
    PgPool pool(Options(db, 1));
    int attempts = 0;
    auto always_killed = [&](pqxx::work& txn) {
      ++attempts;
      TerminateBackend(url, txn.conn().backendpid());
      txn.exec("SELECT 1");
    };
    CHECK_THROWS_AS(pool.WithTransaction(always_killed), pqxx::broken_connection);
    CHECK(attempts == 2);
    // Both broken connections were dropped: the pool of one still serves.
    CHECK(pool.WithTransaction(
              [](pqxx::work& txn) { return txn.exec1("SELECT 7")[0].as<int>(); }) == 7);
  }

  TEST_CASE("a failing transaction rolls back and is not retried") {
    TestDatabase db;
    const std::string url = db.connection_string();
    Exec(url, "CREATE TABLE entry (n int)");
    PgPool pool(Options(db, 1));
    const int pid = pool.Acquire()->backendpid();

    SUBCASE("an exception from the work") {
      int attempts = 0;
      auto rejected = [&](pqxx::work& txn) {
        ++attempts;
        txn.exec_params("INSERT INTO entry (n) VALUES ($1)", 1);
        throw std::runtime_error("validation failed");
      };
      CHECK_THROWS_WITH_AS(pool.WithTransaction(rejected), "validation failed", std::runtime_error);
      CHECK(attempts == 1);
    }
    SUBCASE("an SQL error") {
      int attempts = 0;
      auto division_by_zero = [&](pqxx::work& txn) {
        ++attempts;
        txn.exec_params("INSERT INTO entry (n) VALUES ($1)", 1);
        txn.exec("SELECT 1 / 0");
      };
      CHECK_THROWS_AS(pool.WithTransaction(division_by_zero), pqxx::sql_error);
      CHECK(attempts == 1);
    }
    CHECK(Count(url, "entry") == 0);
    // The connection itself was fine and stays in the pool.
    CHECK(pool.Acquire()->backendpid() == pid);
  }

  TEST_CASE("a connection that cannot be opened frees its slot") {
    TestDatabase db;
    SUBCASE("the server refuses") {
      PgPoolOptions options;
      // Nothing listens on port 1; libpq fails at once.
      options.connection_string = "postgresql://postgres@127.0.0.1:1/postgres?connect_timeout=5";
      options.size = 1;
      options.acquire_timeout = milliseconds(100);
      PgPool pool(options);
      // Twice the connection error, not a timeout the second time: the slot was released.
      CHECK_THROWS_AS(pool.Acquire(), pqxx::broken_connection);
      CHECK_THROWS_AS(pool.Acquire(), pqxx::broken_connection);
    }
    SUBCASE("on_connect throws") {
      int connects = 0;
      PgPoolOptions options = Options(db, 1, milliseconds(100));
      options.on_connect = [&connects](pqxx::connection&) {
        if (++connects == 1) throw std::runtime_error("setup failed");
      };
      PgPool pool(options);
      // The hook's error, not a timeout (also a runtime_error), and then a working pool.
      CHECK_THROWS_WITH_AS(pool.Acquire(), "setup failed", std::runtime_error);
      PgLease lease = pool.Acquire();
      CHECK(connects == 2);
    }
  }
}

// Work limits (PgWorkScope): statement timeout, bounded wait, cancellation from another thread.
TEST_SUITE("pg_pool work limits") {
  std::string StatementTimeout(PgLease & lease) {
    pqxx::nontransaction txn(*lease);
    return txn.exec1("SHOW statement_timeout")[0].as<std::string>();
  }

  TEST_CASE("a scope's statement timeout applies to its leases only, and ends as overload") {
    TestDatabase db;
    PgPool pool(Options(db, 1));
    {
      PgWorkScope scope({.statement_timeout = milliseconds(50)});
      PgLease lease = pool.Acquire();
      CHECK(StatementTimeout(lease) == "50ms");
      pqxx::nontransaction txn(*lease);
      try {
        txn.exec("SELECT pg_sleep(5)");
        FAIL("the statement should have timed out");
      } catch (const pqxx::sql_error& e) {
        CHECK(e.sqlstate() == "57014");
        CHECK(IsPgOverload(e));
      }
    }
    PgLease lease = pool.Acquire();  // the same connection, without a scope: the default again
    CHECK(StatementTimeout(lease) == "0");
  }

  TEST_CASE("a scope's acquire timeout bounds the wait and throws PgPoolExhausted") {
    TestDatabase db;
    PgPool pool(Options(db, 1, milliseconds(60'000)));
    PgLease held = pool.Acquire();
    std::thread other([&] {
      PgWorkScope scope({.acquire_timeout = milliseconds(100)});
      try {
        pool.Acquire();
        FAIL("Acquire should have given up");
      } catch (const PgPoolExhausted& e) {
        CHECK(IsPgOverload(e));
      }
    });
    other.join();  // well before the pool's own 60 s
  }

  TEST_CASE("a cancel handle interrupts the running query and refuses later leases") {
    TestDatabase db;
    PgPool pool(Options(db, 2));
    auto cancel = std::make_shared<PgCancelHandle>();
    std::atomic<bool> started{false};
    std::optional<std::string> sqlstate;
    std::thread worker([&] {
      PgWorkScope scope({.cancel = cancel});
      PgLease lease = pool.Acquire();
      pqxx::nontransaction txn(*lease);
      started = true;
      try {
        txn.exec("SELECT pg_sleep(60)");
      } catch (const pqxx::sql_error& e) {
        sqlstate = e.sqlstate();
      }
    });
    // Poll until the sleep runs, then cancel it from this thread.
    const auto deadline = steady_clock::now() + kPatience;
    auto sleeping = [&] {
      pqxx::connection conn(db.connection_string());
      pqxx::nontransaction txn(conn);
      return txn.exec1(
                    "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                    "AND query = 'SELECT pg_sleep(60)'")[0]
                 .as<int>() == 1;
    };
    while (!(started && sleeping()) && steady_clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(20));
    }
    cancel->Cancel();
    worker.join();  // well before the sleep's 60 s
    CHECK(sqlstate == "57014");
    CHECK(cancel->cancelled());
    PgWorkScope scope({.cancel = cancel});
    CHECK_THROWS_AS(pool.Acquire(), PgWorkCancelled);
  }

  TEST_CASE("cancelling after the lease ended touches no later user of the connection") {
    TestDatabase db;
    PgPool pool(Options(db, 1));
    auto cancel = std::make_shared<PgCancelHandle>();
    {
      PgWorkScope scope({.cancel = cancel});
      PgLease lease = pool.Acquire();
    }
    PgLease lease = pool.Acquire();  // the same connection, another piece of work
    cancel->Cancel();
    pqxx::nontransaction txn(*lease);
    CHECK(txn.exec1("SELECT pg_sleep(0.2), 1")[1].as<int>() == 1);
  }
}

std::vector<Migration> TwoMigrations() {
  return MigrationsFromFiles({
      {"002_region.sql", "CREATE TABLE region (code text PRIMARY KEY);"},
      {"001_initiative.sql",
       "CREATE TABLE initiative (id serial PRIMARY KEY, name text NOT NULL);"
       "INSERT INTO initiative (name) VALUES ('Ressourcerie');"},
  });
}

std::vector<std::pair<int, std::string>> Recorded(pqxx::connection& conn) {
  pqxx::nontransaction txn(conn);
  std::vector<std::pair<int, std::string>> rows;
  for (const auto& row : txn.exec("SELECT version, name FROM schema_migrations ORDER BY version")) {
    rows.emplace_back(row[0].as<int>(), row[1].as<std::string>());
  }
  return rows;
}

TEST_SUITE("pg_migrations") {
  TEST_CASE("MigrationsFromFiles orders by number and rejects bad names") {
    const auto migrations =
        MigrationsFromFiles({{"010_c.sql", "c"}, {"002_b.sql", "b"}, {"1_a.sql", "a"}});
    REQUIRE(migrations.size() == 3);
    CHECK(migrations[0].version == 1);
    CHECK(migrations[0].name == "1_a.sql");
    CHECK(migrations[0].sql == "a");
    CHECK(migrations[1].version == 2);
    CHECK(migrations[2].version == 10);

    CHECK_THROWS_AS(MigrationsFromFiles({{"journal.sql", ""}}), std::invalid_argument);
    CHECK_THROWS_AS(MigrationsFromFiles({{"-1_x.sql", ""}}), std::invalid_argument);
    CHECK_THROWS_AS(MigrationsFromFiles({{"99999999999_x.sql", ""}}), std::invalid_argument);
    CHECK_THROWS_AS(MigrationsFromFiles({{"001_a.sql", ""}, {"1_b.sql", ""}}),
                    std::invalid_argument);
  }

  TEST_CASE("migrations apply once and are recorded") {
    TestDatabase db;
    pqxx::connection conn(db.connection_string());
    const auto migrations = TwoMigrations();

    CHECK(ApplyMigrations(conn, migrations) ==
          std::vector<std::string>{"001_initiative.sql", "002_region.sql"});
    CHECK(Recorded(conn) == std::vector<std::pair<int, std::string>>{{1, "001_initiative.sql"},
                                                                     {2, "002_region.sql"}});
    CHECK(Count(db.connection_string(), "initiative") == 1);
    CHECK(TableExists(conn, "region"));

    // Again, also from another connection: nothing to do, nothing re-run.
    CHECK(ApplyMigrations(conn, migrations).empty());
    pqxx::connection other(db.connection_string());
    CHECK(ApplyMigrations(other, migrations).empty());
    CHECK(Count(db.connection_string(), "initiative") == 1);
    CHECK(Recorded(conn).size() == 2);

    // A later release adds a migration: only that one runs.
    auto more = migrations;
    more.push_back(Migration{3, "003_zone.sql", "CREATE TABLE zone (id int);"});
    CHECK(ApplyMigrations(conn, more) == std::vector<std::string>{"003_zone.sql"});
  }

  TEST_CASE("a failing migration leaves no partial state; earlier ones stay") {
    TestDatabase db;
    pqxx::connection conn(db.connection_string());
    auto migrations = TwoMigrations();
    migrations.push_back(
        Migration{3, "003_broken.sql",
                  "CREATE TABLE half_done (id int); INSERT INTO no_such_table VALUES (1);"});

    CHECK_THROWS_AS(ApplyMigrations(conn, migrations), pqxx::sql_error);
    CHECK(Recorded(conn) == std::vector<std::pair<int, std::string>>{{1, "001_initiative.sql"},
                                                                     {2, "002_region.sql"}});
    CHECK(TableExists(conn, "region"));
    CHECK_FALSE(TableExists(conn, "half_done"));

    // Fixed in the next release: it runs alone.
    migrations[2].sql = "CREATE TABLE half_done (id int);";
    CHECK(ApplyMigrations(conn, migrations) == std::vector<std::string>{"003_broken.sql"});
    CHECK(TableExists(conn, "half_done"));
  }

  TEST_CASE("a renamed recorded migration is reported before anything runs") {
    TestDatabase db;
    pqxx::connection conn(db.connection_string());
    auto migrations = TwoMigrations();
    REQUIRE(ApplyMigrations(conn, {migrations[0]}).size() == 1);

    migrations[0].name = "001_initiatives.sql";
    try {
      ApplyMigrations(conn, migrations);
      FAIL("a renamed migration was not reported");
    } catch (const std::runtime_error& e) {
      const std::string message = e.what();
      CHECK(message.find("001_initiative.sql") != std::string::npos);
      CHECK(message.find("001_initiatives.sql") != std::string::npos);
    }
    // 002 did not run.
    CHECK_FALSE(TableExists(conn, "region"));
    CHECK(Recorded(conn).size() == 1);
  }

  TEST_CASE("concurrent migrators apply each migration once") {
    TestDatabase db;
    const std::string url = db.connection_string();
    Exec(url, "CREATE TABLE gate (x int)");
    // 001 reads `gate`, which the test keeps locked: whoever runs 001 first is held inside
    // it, holding the migration lock, until the test has seen the other migrator wait.
    const auto migrations = MigrationsFromFiles({
        {"001_first.sql", "SELECT count(*) FROM gate; CREATE TABLE first_table (x int);"},
        {"002_second.sql", "CREATE TABLE second_table (x int);"},
    });

    pqxx::connection gate_conn(url);
    pqxx::work gate(gate_conn);
    gate.exec("LOCK TABLE gate IN ACCESS EXCLUSIVE MODE");

    std::vector<std::string> applied[2];
    std::exception_ptr errors[2];
    std::vector<std::thread> threads;
    for (int i = 0; i < 2; ++i) {
      threads.emplace_back([&, i] {
        try {
          pqxx::connection conn(url);
          applied[i] = ApplyMigrations(conn, migrations);
        } catch (...) {
          errors[i] = std::current_exception();
        }
      });
    }

    // Bounded polling: one migrator blocked on `gate`, the other on the advisory lock.
    bool both_waiting = false;
    pqxx::connection observer(url);
    for (const auto deadline = steady_clock::now() + kPatience;
         !both_waiting && steady_clock::now() < deadline;) {
      pqxx::nontransaction txn(observer);
      const auto row = txn.exec1(
          "SELECT count(*) FILTER (WHERE wait_event = 'relation'),"
          "       count(*) FILTER (WHERE wait_event = 'advisory')"
          "  FROM pg_stat_activity"
          " WHERE datname = current_database() AND wait_event_type = 'Lock'");
      both_waiting = row[0].as<int>() == 1 && row[1].as<int>() == 1;
      if (!both_waiting) std::this_thread::sleep_for(milliseconds(5));
    }
    gate.commit();
    for (auto& thread : threads) thread.join();
    CHECK(both_waiting);

    for (const auto& error : errors) CHECK_FALSE(error);
    std::vector<std::string> all = applied[0];
    all.insert(all.end(), applied[1].begin(), applied[1].end());
    std::sort(all.begin(), all.end());
    CHECK(all == std::vector<std::string>{"001_first.sql", "002_second.sql"});
    CHECK(Recorded(observer).size() == 2);
  }
}

}  // namespace
}  // namespace ess::test
