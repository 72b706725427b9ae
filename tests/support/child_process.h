#pragma once
// Running the real executables from tests: spawn with arguments, wait (bounded) for the ready
// file a service writes once it serves, signal, and reap. A ChildProcess still running at
// destruction is killed (SIGKILL) and reaped, so a failing test leaves no process behind.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ess::test {

class ChildProcess {
 public:
  // Starts `path` with `args`; stdout and stderr go to `log_file` (appended).
  // Throws std::runtime_error if the process cannot be started.
  ChildProcess(const std::string& path, const std::vector<std::string>& args,
               const std::string& log_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  void Signal(int sig);
  // Waits for exit, at most `timeout`; returns the exit code (128 + signal when killed), or
  // nullopt if still running after the timeout.
  std::optional<int> Wait(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

// Polls `path` until it holds a JSON object of ports (a service's --ready-file), at most
// `timeout`; throws std::runtime_error if the process exits first or time runs out.
std::map<std::string, int> WaitForReadyFile(const std::string& path, ChildProcess& process,
                                            std::chrono::milliseconds timeout);

// A fresh directory under the system temp dir, removed with its contents at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Where the built executables are (compile definition ESS_BUILD_DIR).
std::string BuiltExecutable(const std::string& relative);

// Reads a whole file ("" if missing).
std::string ReadFile(const std::string& path);

}  // namespace ess::test
