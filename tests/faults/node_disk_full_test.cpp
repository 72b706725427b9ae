// The disk full under the node's PostgreSQL: its cluster on a small tmpfs of its own, filled by
// a file until the file system refuses one more byte. Writes are then refused with 503
// `storage_full` and a French message (not a crash, not a 500), reads still answer, nothing is
// corrupted (the log verifies), and writes resume once the file is deleted.
// Mounting needs root (CAP_SYS_ADMIN): without it the test is skipped (exit code 77, counted
// as skipped by ctest through SKIP_RETURN_CODE).
#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "tests/faults/node_fault_support.h"
#include "tests/node/node_fixture.h"
#include "tests/support/http_client.h"
#include "tests/support/temp_postgres.h"

using namespace ess;
using namespace ess::test;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

constexpr int kSkipped = 77;  // SKIP_RETURN_CODE in tests/faults/CMakeLists.txt
// Room for the cluster (about 40 MiB with its first WAL segment), the node's database and a
// few more WAL segments.
constexpr const char* kTmpfsOptions = "size=160m,mode=0755";

// A tmpfs mounted at a fresh directory, unmounted (lazily, whatever still holds it) and removed
// at destruction.
class Tmpfs {
 public:
  // nullopt with the reason in `why` if mounting is not permitted.
  static std::unique_ptr<Tmpfs> Mount(std::string& why) {
    char path[] = "/tmp/ess-tmpfs-XXXXXX";
    if (mkdtemp(path) == nullptr) {
      why = std::string("mkdtemp: ") + std::strerror(errno);
      return nullptr;
    }
    if (mount("tmpfs", path, "tmpfs", 0, kTmpfsOptions) != 0) {
      why = std::string("mount -t tmpfs: ") + std::strerror(errno);
      rmdir(path);
      return nullptr;
    }
    return std::unique_ptr<Tmpfs>(new Tmpfs(path));
  }
  ~Tmpfs() {
    if (umount2(path_.c_str(), MNT_DETACH) != 0) {
      std::cerr << "umount " << path_ << ": " << std::strerror(errno) << "\n";
      return;
    }
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }

 private:
  explicit Tmpfs(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// Writes `path` until the file system has no byte left; returns the bytes written.
std::size_t FillUp(const std::string& path) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  REQUIRE(fd >= 0);
  std::vector<char> block(1 << 20, 'x');
  std::size_t written = 0;
  for (std::size_t chunk = block.size(); chunk > 0; chunk /= 16) {
    for (;;) {
      ssize_t n = write(fd, block.data(), chunk);
      if (n > 0) {
        written += static_cast<std::size_t>(n);
        continue;
      }
      REQUIRE(errno == ENOSPC);
      break;
    }
  }
  close(fd);
  return written;
}

HttpResult Submit(int port, const std::string& name) {
  return HttpRequestRaw(port, "POST", "/api/initiatives",
                        NodeFixture::ValidInitiative({{"name", name}}).dump(),
                        {{"Content-Type", "application/json"}});
}

}  // namespace

TEST_CASE(
    "disk full under the node's PostgreSQL: writes refused with 503 storage_full, then resumed") {
  std::string why;
  auto tmpfs = Tmpfs::Mount(why);
  if (!tmpfs) {
    std::cout << "node_disk_full_test: skipped, a tmpfs cannot be mounted here (" << why
              << "); it needs root (CAP_SYS_ADMIN)" << std::endl;
    std::exit(kSkipped);
  }
  {
    TestCluster cluster(tmpfs->path() + "/pg");
    TestDatabase db(cluster.url());
    TempDir dir;
    FaultNode node(dir, db.connection_string());
    node.Setup();
    WriteLedger ledger;
    {
      WriteTraffic traffic(node.port(), 2, FaultSeed(), ledger);
      REQUIRE(traffic.WaitForAcknowledged(20, 60s));
    }
    {
      // What a full disk refuses here is the growth of the tables (the data files). A WAL
      // segment that cannot be created makes PostgreSQL itself stop (PANIC, see the next test
      // case): a fresh segment, made before the disk fills (a switch, then a commit written
      // into the next one), holds this test's WAL.
      pqxx::connection conn(cluster.url());
      pqxx::nontransaction txn(conn);
      txn.exec("CHECKPOINT");
      txn.exec("SELECT pg_switch_wal()");
      txn.exec("CREATE TABLE ess_wal_segment_made (n int)");
    }
    const std::string filler = tmpfs->path() + "/filler";
    const std::size_t filled = FillUp(filler);

    // The tables' last pages fill up, then a write needs a new page and is refused.
    HttpResult refused;
    int accepted_while_full = 0;
    for (int i = 0; i < 2000; ++i) {
      refused = Submit(node.port(), "Sur un disque plein " + std::to_string(i));
      if (refused.status != 201) break;
      auto j = json::parse(refused.body);
      ledger.Acknowledged(j["initiative"]["id"], j["edit_token"],
                          j["initiative"]["record_version"]);
      ++accepted_while_full;
    }
    CHECK_MESSAGE(refused.status == 503, refused.body);
    json body = json::parse(refused.body, nullptr, false);
    CHECK(body.value("code", "") == "storage_full");
    CHECK(body.value("message", "").find("espace disque") != std::string::npos);
    for (int i = 0; i < 5; ++i) {
      CHECK(Submit(node.port(), "Encore refusée " + std::to_string(i)).status == 503);
    }
    const std::string server_log = ReadFile(tmpfs->path() + "/pg/log");
    INFO("the server's log ends with: ",
         server_log.substr(server_log.size() > 4000 ? server_log.size() - 4000 : 0));
    // Reads still answer, and nothing is corrupted.
    CHECK(HttpGet(node.port(), "/api/initiatives").status == 200);
    CHECK(HttpGet(node.port(), "/api/log/checkpoint").status == 200);
    CheckNodeJournal(db.connection_string(), ledger.Snapshot(), node.KeyRing());

    // Space returns: writes resume, without a restart.
    REQUIRE(std::filesystem::remove(filler));
    CHECK(PollUntil(30s, [&] {
      auto r = Submit(node.port(), "Après le disque plein");
      if (r.status != 201) return false;
      auto j = json::parse(r.body);
      ledger.Acknowledged(j["initiative"]["id"], j["edit_token"],
                          j["initiative"]["record_version"]);
      return true;
    }));
    {
      WriteTraffic traffic(node.port(), 2, FaultSeed() + 1, ledger);
      CHECK(traffic.WaitForAcknowledged(20, 60s));
    }
    CHECK(node.Stop(SIGTERM) == 0);
    const JournalFigures figures =
        CheckNodeJournal(db.connection_string(), ledger.Snapshot(), node.KeyRing());
    std::cout << "node_disk_full_test: filler of " << filled / 1024 << " KiB, "
              << accepted_while_full
              << " writes accepted on the full disk before the first 503, then refused: "
              << body.dump() << "; after the space returned: the log " << figures.entries
              << " entries, verified" << std::endl;
  }
}
