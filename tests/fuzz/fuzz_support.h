#pragma once
// What every fuzz target shares: a check that aborts (so that libFuzzer records the input as a
// crash) with a message saying which property broke, and a reader of length-prefixed fields
// for the targets whose input is a structure rather than one text.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"

namespace ess::fuzz {

// Aborts with `what` when `condition` is false: unlike assert(), says which property broke
// and holds whatever NDEBUG says.
inline void Check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz property broken: %s\n", what);
  std::abort();
}

// Reads big-endian integers and length-prefixed byte strings from a fuzz input; once a read
// runs past the end every later read fails too (the input is then skipped).
class InputReader {
 public:
  InputReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool ok() const { return ok_; }
  bool at_end() const { return at_ == size_; }

  std::uint64_t Uint(std::size_t bytes) {
    if (!ok_ || size_ - at_ < bytes) {
      ok_ = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v = v << 8 | data_[at_++];
    return v;
  }
  // A byte string whose length is the next `length_bytes` bytes.
  Bytes Blob(std::size_t length_bytes) {
    std::size_t n = static_cast<std::size_t>(Uint(length_bytes));
    if (!ok_ || size_ - at_ < n) {
      ok_ = false;
      return {};
    }
    Bytes out(data_ + at_, data_ + at_ + n);
    at_ += n;
    return out;
  }
  std::string Text(std::size_t length_bytes) { return AsString(Blob(length_bytes)); }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
  bool ok_ = true;
};

// The writer of what InputReader reads (for the seed corpus).
class InputWriter {
 public:
  void Uint(std::uint64_t v, std::size_t bytes) {
    for (std::size_t i = bytes; i-- > 0;) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void Blob(ByteView b, std::size_t length_bytes) {
    Uint(b.size(), length_bytes);
    out_.insert(out_.end(), b.begin(), b.end());
  }
  void Text(std::string_view s, std::size_t length_bytes) { Blob(AsBytes(s), length_bytes); }
  const Bytes& bytes() const { return out_; }

 private:
  Bytes out_;
};

// A small deterministic choice from the input, for the targets that alter an accepted value
// (the same input always alters the same byte).
inline std::size_t Pick(const std::uint8_t* data, std::size_t size, std::size_t salt,
                        std::size_t modulo) {
  std::uint64_t h = 1469598103934665603ull ^ salt;
  for (std::size_t i = 0; i < size; ++i) h = (h ^ data[i]) * 1099511628211ull;
  return modulo == 0 ? 0 : static_cast<std::size_t>(h % modulo);
}

}  // namespace ess::fuzz
