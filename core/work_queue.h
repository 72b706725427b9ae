#pragma once
// A few worker threads running queued tasks in order of posting, optionally with a bound on
// how many may wait: the node's background work (CSV import jobs) never runs on an HTTP
// thread and never piles up; the hub's gRPC reactors hand their database work to one so that
// no reaction ever blocks a gRPC thread.
//
// A task gets a stop token. Stop() (or destruction) requests stop, lets the running tasks end
// (they may look at the token), runs the tasks still waiting with the stop already requested
// (so they can finish or record that they did not run), then joins the threads. Tasks posted
// from then on are dropped. An exception escaping a task is logged and dropped. Thread-safe.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <limits>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace ess {

class WorkQueue {
 public:
  using Task = std::function<void(std::stop_token)>;
  static constexpr std::size_t kUnbounded = std::numeric_limits<std::size_t>::max();

  // `threads` (at least one) tasks run at once; at most `capacity` more wait.
  explicit WorkQueue(std::size_t threads, std::size_t capacity = kUnbounded);
  // Stop()s.
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // False (and `task` dropped) when `capacity` tasks already wait, or once stopping.
  bool TryPost(Task task);
  // TryPost for a task that needs no stop token (an unbounded queue never refuses it before
  // Stop()).
  bool Post(std::function<void()> task);
  // Requests stop, runs what is queued, then joins the threads. Idempotent; not from a task.
  void Stop();

 private:
  void Run();

  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> waiting_;
  bool stopping_ = false;
  std::stop_source stop_;
  std::vector<std::thread> threads_;
  std::mutex join_mutex_;
};

}  // namespace ess
