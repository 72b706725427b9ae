#include "node/reminder_loop.h"

#include <spdlog/spdlog.h>

namespace ess::node {

ReminderLoop::ReminderLoop(std::chrono::minutes interval, std::function<int()> tick)
    : interval_(interval), tick_(std::move(tick)) {
  if (interval_.count() > 0) thread_ = std::thread([this] { Run(); });
}

ReminderLoop::~ReminderLoop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ReminderLoop::Run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval_, [this] { return stopping_; })) {
    lock.unlock();
    try {
      int queued = tick_();
      if (queued > 0) spdlog::info("rappels de fraîcheur mis en file : {}", queued);
    } catch (const std::exception& e) {
      spdlog::error("rappels de fraîcheur : {}", e.what());
    }
    lock.lock();
  }
}

}  // namespace ess::node
