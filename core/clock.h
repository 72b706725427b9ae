#pragma once
// Time as a dependency: domain code asks a Clock, tests inject a ManualClock.

#include <atomic>
#include <chrono>
#include <cstdint>

namespace ess {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  // Monotonic time, for intervals (a heartbeat, a refresh period) that a change of the wall
  // clock must not stretch or cut. The real steady clock unless a test clock overrides it.
  virtual std::chrono::steady_clock::time_point SteadyNow() const {
    return std::chrono::steady_clock::now();
  }
  std::int64_t NowMillis() const {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Now().time_since_epoch())
        .count();
  }
};

class SystemClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now();
  }
};

// A clock that moves only when told to, Now() and SteadyNow() together. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  // Steady time is the wall time since the epoch: only differences are meaningful.
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::time_point(
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(Now().time_since_epoch()));
  }
  void Advance(std::chrono::system_clock::duration d) { now_ += d.count(); }
  void Set(std::chrono::system_clock::time_point t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::chrono::system_clock::duration::rep> now_;
};

}  // namespace ess
