#pragma once
// A progress bar on stderr for essctl's long work (verify, export), drawn ONLY when stderr is
// a terminal (isatty): redirected to a file or a pipe, nothing is written, so logs and
// scripts see only the command's own output.

#include <cstdint>
#include <string>

namespace ess::essctl {

class ProgressBar {
 public:
  // `total` units of work (0: unknown, only the count is shown).
  ProgressBar(std::string label, std::uint64_t total);
  // Clears the bar's line.
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // `done` units so far; redraws when the shown percentage (or, total unknown, the
  // thousands) changes.
  void Update(std::uint64_t done);

  bool drawing() const { return drawing_; }

 private:
  std::string label_;
  std::uint64_t total_;
  bool drawing_;
  std::uint64_t shown_ = ~std::uint64_t{0};
};

}  // namespace ess::essctl
