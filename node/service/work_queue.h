#pragma once
// A few worker threads running queued tasks in order, with a bound on how many may wait:
// background work (CSV import jobs) never runs on an HTTP thread and never piles up.
//
// A task gets a stop token. Destroying the queue requests stop, lets the running tasks end
// (they should look at the token), runs the tasks still waiting with the stop already
// requested (so they can record that they did not run), then joins the threads. Exceptions
// escaping a task are logged and dropped. Thread-safe.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>
#include <vector>

namespace ess::node {

class WorkQueue {
 public:
  using Task = std::function<void(std::stop_token)>;

  // `threads` >= 1 tasks run at once; at most `capacity` more wait.
  WorkQueue(int threads, std::size_t capacity);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  // False (and `task` dropped) when `capacity` tasks already wait, or once stopping.
  bool TryPost(Task task);

 private:
  void Run();

  const std::size_t capacity_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> waiting_;
  bool stopping_ = false;
  std::stop_source stop_;
  std::vector<std::thread> threads_;
};

}  // namespace ess::node
