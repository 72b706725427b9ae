#pragma once
// Tells whoever listens that a transaction which journalled has committed: main wakes the
// uploader with it, so new records go to the hub at once rather than at its next poll.

#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>

namespace ess::node {

class JournalCommitSignal {
 public:
  // Keeps its listener until destroyed or reset: destroy it before what the listener uses.
  class Subscription {
   public:
    Subscription() = default;
    Subscription(Subscription&& other) noexcept
        : signal_(std::exchange(other.signal_, nullptr)), id_(other.id_) {}
    Subscription& operator=(Subscription&& other) noexcept;
    ~Subscription() { Reset(); }
    // Removes the listener (unless a later subscription replaced it).
    void Reset();

   private:
    friend class JournalCommitSignal;
    Subscription(JournalCommitSignal* signal, std::uint64_t id) : signal_(signal), id_(id) {}
    JournalCommitSignal* signal_ = nullptr;
    std::uint64_t id_ = 0;
  };

  // One listener at a time: a new subscription replaces the previous listener. `listener`
  // runs on the committing thread (an HTTP worker, an import worker): it must be quick and
  // must not throw.
  [[nodiscard]] Subscription Listen(std::function<void()> listener);
  // Calls the listener, if any. Thread-safe.
  void Notify() const;

 private:
  mutable std::mutex mutex_;
  std::function<void()> listener_;
  std::uint64_t listener_id_ = 0;
};

}  // namespace ess::node
