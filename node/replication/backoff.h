#pragma once
// Exponential backoff with full jitter: after the k-th failure in a row, a wait drawn
// uniformly in [base * 2^k / 2, base * 2^k], capped at `max`. The randomness is injected.

#include <algorithm>
#include <chrono>
#include <functional>

namespace ess::node {

class Backoff {
 public:
  // `random01` returns a number in [0, 1).
  Backoff(std::chrono::milliseconds base, std::chrono::milliseconds max,
          std::function<double()> random01)
      : base_(base), max_(max), random01_(std::move(random01)) {}

  std::chrono::milliseconds Next() {
    double ceiling = static_cast<double>(base_.count());
    for (int i = 0; i < failures_ && ceiling < max_.count(); ++i) ceiling *= 2;
    ceiling = std::min(ceiling, static_cast<double>(max_.count()));
    if (failures_ < 62) ++failures_;
    const double wait = ceiling / 2 + random01_() * ceiling / 2;
    return std::chrono::milliseconds(static_cast<std::int64_t>(wait));
  }
  void Reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  std::chrono::milliseconds base_, max_;
  std::function<double()> random01_;
  int failures_ = 0;
};

}  // namespace ess::node
