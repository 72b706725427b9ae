#include "essctl/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace ess::essctl {

namespace {
constexpr int kWidth = 30;
}

ProgressBar::ProgressBar(std::string label, std::uint64_t total)
    : label_(std::move(label)), total_(total), drawing_(isatty(STDERR_FILENO) == 1) {}

ProgressBar::~ProgressBar() {
  if (drawing_ && shown_ != ~std::uint64_t{0}) std::fputs("\r\033[K", stderr);
}

void ProgressBar::Update(std::uint64_t done) {
  if (!drawing_) return;
  const std::uint64_t step = total_ ? (done >= total_ ? 100 : done * 100 / total_) : done / 1000;
  if (step == shown_) return;
  shown_ = step;
  if (total_) {
    const int filled = static_cast<int>(step * kWidth / 100);
    std::fprintf(stderr, "\r%s [%s%s] %3d %% (%llu/%llu)", label_.c_str(),
                 std::string(filled, '#').c_str(), std::string(kWidth - filled, '.').c_str(),
                 static_cast<int>(step), static_cast<unsigned long long>(done),
                 static_cast<unsigned long long>(total_));
  } else {
    std::fprintf(stderr, "\r%s : %llu", label_.c_str(), static_cast<unsigned long long>(done));
  }
  std::fflush(stderr);
}

}  // namespace ess::essctl
