#pragma once
// The referential the node validates against, replaceable at run time (loaded from a file
// at start; the hub will push newer versions). Readers take a snapshot and keep using it for
// the whole request, so a replacement never changes codes under a validation in progress.
// Thread-safe.

#include <memory>
#include <mutex>

#include "core/referential.h"

namespace ess::node {

class ReferentialHolder {
 public:
  ReferentialHolder() = default;
  explicit ReferentialHolder(std::shared_ptr<const Referential> initial)
      : current_(std::move(initial)) {}

  // nullptr while none is loaded (the node then refuses writes that need it).
  std::shared_ptr<const Referential> Get() const {
    std::lock_guard lock(mutex_);
    return current_;
  }
  void Replace(std::shared_ptr<const Referential> next) {
    std::lock_guard lock(mutex_);
    current_ = std::move(next);
  }

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const Referential> current_;
};

}  // namespace ess::node
