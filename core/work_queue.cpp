#include "core/work_queue.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ess {

WorkQueue::WorkQueue(std::size_t threads, std::size_t capacity) : capacity_(capacity) {
  const std::size_t count = std::max<std::size_t>(threads, 1);
  threads_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) threads_.emplace_back([this] { Run(); });
}

WorkQueue::~WorkQueue() { Stop(); }

bool WorkQueue::TryPost(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || waiting_.size() >= capacity_) return false;
    waiting_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

bool WorkQueue::Post(std::function<void()> task) {
  return TryPost([task = std::move(task)](std::stop_token) { task(); });
}

void WorkQueue::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.request_stop();
  wake_.notify_all();
  std::lock_guard join_lock(join_mutex_);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void WorkQueue::Run() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
      if (waiting_.empty()) return;  // stopping, nothing left
      task = std::move(waiting_.front());
      waiting_.pop_front();
    }
    try {
      task(stop_.get_token());
    } catch (const std::exception& e) {
      spdlog::error("tâche de fond : {}", e.what());
    }
  }
}

}  // namespace ess
