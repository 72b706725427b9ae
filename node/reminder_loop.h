#pragma once
// A background thread that queues freshness reminders every `interval` (into the outbox;
// node/mail/ sends them). Failures are logged and retried at the next tick. Stops (and
// joins) on destruction.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace ess::node {

class ReminderLoop {
 public:
  // `tick` runs first after one interval, then every interval; interval 0 = never.
  ReminderLoop(std::chrono::minutes interval, std::function<int()> tick);
  ~ReminderLoop();
  ReminderLoop(const ReminderLoop&) = delete;
  ReminderLoop& operator=(const ReminderLoop&) = delete;

 private:
  void Run();

  std::chrono::minutes interval_;
  std::function<int()> tick_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace ess::node
