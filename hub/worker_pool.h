#pragma once
// A fixed set of threads running posted tasks in order of posting: where the gRPC reactors
// send their database work, so that no reaction ever blocks a gRPC thread.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace ess::hub {

class WorkerPool {
 public:
  // Starts `threads` threads (at least one).
  explicit WorkerPool(std::size_t threads);
  // Stop()s.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues a task. A task must not throw (an escaping exception terminates, as in a thread).
  // Tasks posted after Stop() are dropped.
  void Post(std::function<void()> task);
  // Runs what is queued, then joins the threads. Idempotent.
  void Stop();

 private:
  void Run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace ess::hub
