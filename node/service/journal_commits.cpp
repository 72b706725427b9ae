#include "node/service/journal_commits.h"

namespace ess::node {

JournalCommitSignal::Subscription& JournalCommitSignal::Subscription::operator=(
    Subscription&& other) noexcept {
  if (this != &other) {
    Reset();
    signal_ = std::exchange(other.signal_, nullptr);
    id_ = other.id_;
  }
  return *this;
}

void JournalCommitSignal::Subscription::Reset() {
  if (!signal_) return;
  std::lock_guard lock(signal_->mutex_);
  if (signal_->listener_id_ == id_) signal_->listener_ = nullptr;
  signal_ = nullptr;
}

JournalCommitSignal::Subscription JournalCommitSignal::Listen(std::function<void()> listener) {
  std::lock_guard lock(mutex_);
  listener_ = std::move(listener);
  return Subscription(this, ++listener_id_);
}

void JournalCommitSignal::Notify() const {
  std::lock_guard lock(mutex_);
  if (listener_) listener_();
}

}  // namespace ess::node
