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

// A clock that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::chrono::system_clock::time_point start) : now_(start.time_since_epoch().count()) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::system_clock::duration(now_.load()));
  }
  void Advance(std::chrono::system_clock::duration d) { now_ += d.count(); }
  void Set(std::chrono::system_clock::time_point t) { now_ = t.time_since_epoch().count(); }

 private:
  std::atomic<std::chrono::system_clock::duration::rep> now_;
};

}  // namespace ess
