#include "tests/support/temp_postgres.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <stdexcept>
#include <string_view>

#include <pqxx/pqxx>

#ifndef ESS_PG_THROWAWAY_SCRIPT
#error "ESS_PG_THROWAWAY_SCRIPT must name deploy/pg-throwaway.sh (see tests/CMakeLists.txt)"
#endif

namespace ess::test {

namespace {

constexpr int kCleanupSignals[] = {SIGINT, SIGTERM, SIGHUP};
constexpr std::size_t kMaxPath = 4096;

// State shared with the signal handler. It may only read what is already laid out in
// memory, so the script's arguments are prepared here before the cluster exists.
char g_script[kMaxPath];
char g_dir[kMaxPath];
char g_stop[] = "stop";
std::atomic<bool> g_cluster_exists{false};
std::atomic<pid_t> g_start_pid{0};  // the running `start`, which the handler must end first
static_assert(std::atomic<bool>::is_always_lock_free && std::atomic<pid_t>::is_always_lock_free,
              "the signal handler needs lock-free atomics");
std::atomic<bool> g_handling{false};  // a cleanup is under way

sigset_t CleanupSignalSet() {
  sigset_t set;
  sigemptyset(&set);
  for (int sig : kCleanupSignals) sigaddset(&set, sig);
  return set;
}

// fork() runs atfork handlers and is not async-signal-safe; glibc's _Fork() is.
pid_t ForkForHandler() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
  return _Fork();
#else
  return fork();
#endif
}

// Async-signal-safe: runs `script stop dir` and waits for it.
void StopClusterFromHandler() {
  char* argv[] = {g_script, g_stop, g_dir, nullptr};
  pid_t pid = ForkForHandler();
  if (pid == 0) {
    // The cleanup signals stay blocked (inherited mask): a second Ctrl-C must not cut the
    // cleanup short.
    execve(g_script, argv, environ);
    _exit(127);
  }
  if (pid > 0) {
    while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

void HandleCleanupSignal(int sig) {
  const int saved_errno = errno;
  if (g_cluster_exists.load()) {
    if (g_handling.exchange(true)) {
      // Another thread got a signal first and is cleaning up; it ends the process when done.
      errno = saved_errno;
      return;
    }
    // A `start` still running would bring the server up after we stopped it: end it first
    // (its own trap stops whatever it had started), then stop and remove the cluster.
    if (pid_t start = g_start_pid.load(); start > 0) {
      kill(start, SIGTERM);
      while (waitpid(start, nullptr, 0) < 0 && errno == EINTR) {
      }
    }
    StopClusterFromHandler();
    static constexpr char kMessage[] = "temp_postgres: signal received, test cluster removed\n";
    [[maybe_unused]] auto ignored = write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
  }
  // Re-raise with the default action: `sig` is blocked while this handler runs, so it is
  // delivered, and ends the process, as soon as the handler returns.
  signal(sig, SIG_DFL);
  raise(sig);
  errno = saved_errno;
}

// Installs the handlers before main(), see the header for why. A signal the process was
// started with ignored (e.g. SIGINT for a background job) stays ignored.
[[maybe_unused]] const bool g_handlers_installed = [] {
  struct sigaction action {};
  action.sa_handler = HandleCleanupSignal;
  action.sa_mask = CleanupSignalSet();  // one cleanup at a time, not interrupted
  for (int sig : kCleanupSignals) {
    struct sigaction old {};
    if (sigaction(sig, nullptr, &old) == 0 && old.sa_handler != SIG_IGN) {
      sigaction(sig, &action, nullptr);
    }
  }
  return true;
}();

// Blocks the cleanup signals for the lifetime of the object, so that the bookkeeping the
// handler relies on (g_start_pid, g_cluster_exists) changes atomically with what it
// describes. A signal arriving meanwhile is handled when the block ends. This covers the
// calling thread only; the cluster is started by the first TestDatabase and stopped at exit,
// normally while no other thread runs.
class BlockCleanupSignals {
 public:
  BlockCleanupSignals() {
    sigset_t set = CleanupSignalSet();
    pthread_sigmask(SIG_BLOCK, &set, &old_);
  }
  ~BlockCleanupSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  BlockCleanupSignals(const BlockCleanupSignals&) = delete;
  BlockCleanupSignals& operator=(const BlockCleanupSignals&) = delete;
  const sigset_t& old_mask() const { return old_; }

 private:
  sigset_t old_;
};

struct ScriptResult {
  int status = 0;  // as from waitpid
  std::string out;
};

// Runs `script command dir` with stdout captured (stderr passes through to the test
// output) and waits for it. With `track`, the child is published in g_start_pid while it
// runs so that the signal handler can end it.
ScriptResult RunScript(char* command, bool track) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  char* argv[] = {g_script, command, g_dir, nullptr};
  pid_t pid;
  {
    BlockCleanupSignals block;
    pid = fork();
    if (pid == 0) {
      dup2(fds[1], STDOUT_FILENO);  // the copy loses O_CLOEXEC
      sigprocmask(SIG_SETMASK, &block.old_mask(), nullptr);
      execve(g_script, argv, environ);
      _exit(127);
    }
    if (pid > 0 && track) g_start_pid.store(pid);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }

  ScriptResult result;
  char buffer[512];
  for (;;) {
    ssize_t n = read(fds[0], buffer, sizeof buffer);
    if (n > 0) {
      result.out.append(buffer, static_cast<std::size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(fds[0]);

  // Wait without reaping, then reap with the signals blocked: the handler must never
  // kill() a pid that has been reaped and possibly reused.
  siginfo_t info{};
  while (waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
  }
  {
    BlockCleanupSignals block;
    g_start_pid.store(0);
    while (waitpid(pid, &result.status, 0) < 0 && errno == EINTR) {
    }
  }
  return result;
}

std::string DescribeStatus(int status) {
  if (WIFEXITED(status)) return "exit status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "signal " + std::to_string(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// A crash (SIGABRT, SIGSEGV) or SIGKILL runs no handler. A reaper process, outside the
// test's process group, waits for the end of a pipe only this process writes to; when the
// process ends, however it ends, the pipe closes and the reaper runs `stop`. After a clean
// end the directory is already gone and that `stop` does nothing. The write end is
// close-on-exec, so the services a test starts do not keep the reaper waiting.
void StartReaper(const char* script, const char* dir) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe2 failed");
  char* argv[] = {const_cast<char*>(script), g_stop, const_cast<char*>(dir), nullptr};
  pid_t pid = ForkForHandler();
  if (pid == 0) {
    // Only async-signal-safe calls until execve: the test may have threads.
    close(fds[1]);
    int null = open("/dev/null", O_RDWR);
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    setsid();
    char byte;
    while (read(fds[0], &byte, 1) < 0 && errno == EINTR) {
    }
    execve(argv[0], argv, environ);
    _exit(127);
  }
  close(fds[0]);
  if (pid < 0) {
    close(fds[1]);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  // The write end stays open, unused, until the process ends.
}

// One cluster per test binary, in a mkdtemp() directory; see the header.
class PrivateCluster {
 public:
  PrivateCluster() {
    static_assert(sizeof(ESS_PG_THROWAWAY_SCRIPT) < kMaxPath);
    std::strcpy(g_script, ESS_PG_THROWAWAY_SCRIPT);
    if (access(g_script, X_OK) != 0) {
      throw std::runtime_error(std::string("cannot execute ") + g_script + ": " +
                               std::strerror(errno));
    }
    const char* tmpdir = std::getenv("TMPDIR");
    std::string dir_template =
        std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/ess-pg-XXXXXX";
    if (dir_template.size() >= kMaxPath) throw std::runtime_error("TMPDIR is too long");
    {
      BlockCleanupSignals block;
      std::strcpy(g_dir, dir_template.c_str());
      if (mkdtemp(g_dir) == nullptr) {
        throw std::runtime_error("mkdtemp(" + dir_template + ") failed: " + std::strerror(errno));
      }
      // From here on a signal removes the directory (and whatever the script put in it).
      g_cluster_exists.store(true);
    }

    StartReaper(g_script, g_dir);
    try {
      url_ = Start();
    } catch (...) {
      Stop();
      throw;
    }
  }

  ~PrivateCluster() { Stop(); }
  PrivateCluster(const PrivateCluster&) = delete;
  PrivateCluster& operator=(const PrivateCluster&) = delete;

  const std::string& url() const { return url_; }

 private:
  // Runs `start`; returns the URI it printed.
  static std::string Start() {
    char start[] = "start";
    ScriptResult result = RunScript(start, /*track=*/true);
    if (!WIFEXITED(result.status) || WEXITSTATUS(result.status) != 0) {
      throw std::runtime_error(std::string(g_script) + " start failed (" +
                               DescribeStatus(result.status) + "); see its messages above");
    }
    while (!result.out.empty() && (result.out.back() == '\n' || result.out.back() == '\r')) {
      result.out.pop_back();
    }
    if (result.out.rfind("postgresql://", 0) != 0 || result.out.find('\n') != std::string::npos) {
      throw std::runtime_error(std::string(g_script) + " start printed '" + result.out +
                               "' instead of one postgresql:// URI");
    }
    return std::move(result.out);
  }

  void Stop() noexcept {
    // Signals wait until the cluster is gone, so the handler never runs a second `stop`
    // concurrently with this one; the signal then just ends the process.
    BlockCleanupSignals block;
    if (!g_cluster_exists.load()) return;
    std::string problem;
    try {
      ScriptResult result = RunScript(g_stop, /*track=*/false);
      if (!WIFEXITED(result.status) || WEXITSTATUS(result.status) != 0) {
        problem = DescribeStatus(result.status);
      }
    } catch (const std::exception& e) {
      problem = e.what();
    }
    if (!problem.empty()) {
      std::cerr << "temp_postgres: " << g_script << " stop " << g_dir << " failed (" << problem
                << "); remove the cluster by hand\n";
    }
    g_cluster_exists.store(false);
  }

  std::string url_;
};

// The same server, pointing at database `name`. A URI gets its path replaced; a key=value
// string gets a dbname appended (libpq lets a later keyword override an earlier one).
std::string WithDatabase(const std::string& url, const std::string& name) {
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (url.rfind(scheme, 0) != 0) continue;
    std::size_t path = url.find_first_of("/?", scheme.size());
    if (path == std::string::npos) return url + "/" + name;
    std::size_t query = url.find('?', path);
    return url.substr(0, path) + "/" + name +
           (query == std::string::npos ? std::string() : url.substr(query));
  }
  return url + " dbname=" + name;
}

// Runs `command` with /bin/sh, stdout captured; throws std::runtime_error unless it exits 0.
std::string RunShell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) throw std::runtime_error("popen failed: " + command);
  std::string out;
  char buffer[512];
  for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) out.append(buffer, n);
  const int status = pclose(pipe);
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(command + " failed (" + DescribeStatus(status) + ")");
  }
  return out;
}

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string ShellQuoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

}  // namespace

TestCluster::TestCluster(std::string dir) : dir_(std::move(dir)) {
  if (dir_.empty()) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string dir_template =
        std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") + "/ess-pg-XXXXXX";
    if (mkdtemp(dir_template.data()) == nullptr) {
      throw std::runtime_error("mkdtemp(" + dir_template + ") failed: " + std::strerror(errno));
    }
    dir_ = dir_template;
  }
  const std::string script = ESS_PG_THROWAWAY_SCRIPT;
  StartReaper(script.c_str(), dir_.c_str());
  url_ = RunShell(ShellQuoted(script) + " start " + ShellQuoted(dir_));
  while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
  // postmaster.opts: the server's command line, its binary first; pg_ctl is beside it.
  const std::string opts = ReadWhole(dir_ + "/data/postmaster.opts");
  const std::string postgres = opts.substr(0, opts.find(' '));
  pg_ctl_ = ShellQuoted(postgres.substr(0, postgres.rfind('/')) + "/pg_ctl");
  if (geteuid() == 0) pg_ctl_ = "runuser -u postgres -- " + pg_ctl_;
}

TestCluster::~TestCluster() {
  try {
    RunShell(ShellQuoted(ESS_PG_THROWAWAY_SCRIPT) + " stop " + ShellQuoted(dir_) + " >&2");
  } catch (const std::exception& e) {
    std::cerr << "temp_postgres: " << e.what() << "; remove " << dir_ << " by hand\n";
  }
}

void TestCluster::Stop(const std::string& mode) { PgCtl("stop -m " + ShellQuoted(mode)); }

// restart, not start: it reads the options of the last start from postmaster.opts (a
// stopped server only makes it warn that there is no PID file).
void TestCluster::Start() { PgCtl("restart -l " + ShellQuoted(dir_ + "/log")); }

void TestCluster::PgCtl(const std::string& arguments) {
  RunShell(pg_ctl_ + " -D " + ShellQuoted(dir_ + "/data") + " -w -t 60 " + arguments + " >>" +
           ShellQuoted(dir_ + "/pg_ctl.log") + " 2>&1");
}

const std::string& TestServerUrl() {
  // Function-local statics: created on first use, thread-safely; a failed start throws out
  // of the initialisation and is retried by the next caller.
  static const std::string kUrl = [] {
    if (const char* env = std::getenv("ESS_TEST_PG_URL"); env != nullptr && *env != '\0') {
      return std::string(env);
    }
    static PrivateCluster cluster;
    return cluster.url();
  }();
  return kUrl;
}

TestDatabase::TestDatabase() : TestDatabase(TestServerUrl()) {}

TestDatabase::TestDatabase(std::string server_url) : server_url_(std::move(server_url)) {
  static std::atomic<int> counter{0};
  name_ = "ess_test_" + std::to_string(getpid()) + "_" + std::to_string(++counter);
  connection_string_ = WithDatabase(server_url_, name_);
  pqxx::connection admin(server_url_);
  pqxx::nontransaction txn(admin);
  // Utility statements take no parameters: the name is quoted as an identifier. template0
  // and an explicit encoding make the database independent of what template1 holds on a
  // shared server.
  txn.exec("CREATE DATABASE " + admin.quote_name(name_) + " TEMPLATE template0 ENCODING 'UTF8'");
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection admin(server_url_);
    pqxx::nontransaction txn(admin);
    // FORCE: a test that failed half-way may still hold connections (e.g. in a pool).
    txn.exec("DROP DATABASE IF EXISTS " + admin.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::cerr << "temp_postgres: could not drop database " << name_ << ": " << e.what() << "\n";
  }
}

}  // namespace ess::test
