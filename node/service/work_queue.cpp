#include "node/service/work_queue.h"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ess::node {

WorkQueue::WorkQueue(int threads, std::size_t capacity) : capacity_(capacity) {
  const int count = std::max(threads, 1);
  threads_.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) threads_.emplace_back([this] { Run(); });
}

WorkQueue::~WorkQueue() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_.request_stop();
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

bool WorkQueue::TryPost(Task task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || waiting_.size() >= capacity_) return false;
    waiting_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
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

}  // namespace ess::node
