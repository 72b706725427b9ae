// A write that PostgreSQL refuses because its disk is full (SQLSTATE 53100, raised here by a
// trigger as PostgreSQL raises "could not extend file ...: No space left on device") answers
// 503 `storage_full` with a French message, nothing journalled; the next write, once the disk
// has room again, is accepted. A request cut by the server's shutdown (57P01) answers 503
// `database_unavailable`. (node_disk_full_test fills a real disk, pg_restart_test restarts
// the server.)
#include <doctest/doctest.h>

#include <string>

#include "tests/node/node_fixture.h"

using namespace ess;
using namespace ess::test;

namespace {

// Makes PostgreSQL refuse every insert into `table` with `sqlstate`, as it would for the
// fault (trigger `ess_test_fault`; DROP TRIGGER ess_test_fault ON <table> lifts it).
void RefuseInserts(NodeFixture& node, const std::string& table, const std::string& sqlstate,
                   const std::string& message) {
  node.pool().WithTransaction([&](pqxx::work& txn) {
    txn.exec(
        "CREATE FUNCTION ess_test_fault() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        "RAISE EXCEPTION '" +
        message + "' USING ERRCODE = '" + sqlstate + "'; END $$");
    txn.exec("CREATE TRIGGER ess_test_fault BEFORE INSERT ON " + table +
             " FOR EACH ROW EXECUTE FUNCTION ess_test_fault()");
  });
}

}  // namespace

TEST_CASE("a write refused for a full disk answers 503 storage_full, nothing journalled") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t before = node.JournalSize();
  RefuseInserts(node, "log_entry", "53100", "could not extend file: No space left on device");

  Reply refused = node.Post("/api/initiatives", NodeFixture::ValidInitiative());
  CHECK(refused.status == 503);
  CHECK(refused.body["code"] == "storage_full");
  CHECK(refused.body["message"].get<std::string>().find("espace disque") != std::string::npos);
  CHECK(node.JournalSize() == before);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);

  node.pool().WithTransaction(
      [](pqxx::work& txn) { txn.exec("DROP TRIGGER ess_test_fault ON log_entry"); });
  CHECK(node.Post("/api/initiatives", NodeFixture::ValidInitiative()).status == 201);
  CHECK(node.JournalSize() == before + 1);
}

TEST_CASE(
    "a request cut by the database's shutdown answers 503 database_unavailable, nothing "
    "journalled") {
  NodeFixture node;
  Session admin = node.Admin();
  node.PublishCharter(admin);
  const std::size_t before = node.JournalSize();
  RefuseInserts(node, "log_entry", "57P01", "terminating connection due to administrator command");
  Reply refused = node.Post("/api/initiatives", NodeFixture::ValidInitiative());
  CHECK(refused.status == 503);
  CHECK(refused.body["code"] == "database_unavailable");
  CHECK(refused.body["message"].get<std::string>().find("injoignable") != std::string::npos);
  CHECK(node.JournalSize() == before);
  CHECK(node.Count("SELECT count(*) FROM initiative") == 0);
}

TEST_CASE("a full disk on a write that journals nothing (a sign-in's attempt) answers 503 too") {
  NodeFixture node;
  RefuseInserts(node, "sign_in_attempt", "53100", "could not extend file: No space left on device");
  Reply refused = node.Post(
      "/api/session", {{"email", "personne@example.org"}, {"password", "pas le bon mot de passe"}});
  CHECK(refused.status == 503);  // was 500 internal: only journalling writes knew the fault
  CHECK(refused.body["code"] == "storage_full");
}
