#pragma once
// Password hashing off the HTTP workers, bounded (the node's staff and the hub's pilots): Argon2id
// runs on a dedicated pool of `threads` threads with at most `queue` more hashes waiting, and a
// caller must first be admitted (TryAdmit). At most threads + queue callers are admitted at once,
// plus `reserved` more for known devices only (a staff member's browser: a flood of strangers'
// sign-ins cannot keep them out); beyond that TryAdmit refuses at once, without hashing, and the
// caller answers 503 `sign_in_busy`. So sign-ins (and password changes, account creations)
// hold at most threads + queue + reserved of the HTTP server's worker threads (1 + 1 + 1 of
// 4 by default) whatever the load, and the pool's memory is bounded too: each running
// Argon2id hash allocates the cost's memory (256 MiB at libsodium's moderate cost), so at
// most threads x 256 MiB; waiting callers allocate none.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/password_hash.h"
#include "core/work_queue.h"

namespace ess {

// What the pool runs: Argon2id in production (Argon2idHashing), a slow or counting fake in
// tests. Must be thread-safe.
class PasswordHashing {
 public:
  virtual ~PasswordHashing() = default;
  virtual std::string Hash(std::string_view password) const = 0;
  virtual bool Verify(std::string_view stored_hash, std::string_view password) const = 0;
};
using PasswordHashingPtr = std::shared_ptr<const PasswordHashing>;

// core's PasswordHasher. Throws std::invalid_argument for a cost out of libsodium's bounds.
PasswordHashingPtr Argon2idHashing(PasswordHashCost cost);

struct PasswordPoolSize {
  std::size_t threads = 1;   // hashes computed at once (each takes the cost's memory)
  std::size_t queue = 1;     // admitted callers waiting for a thread
  std::size_t reserved = 1;  // more admissions for known devices only
};

enum class Admit { kAnyone, kKnownDevice };

class PasswordWork {
 public:
  // One admitted caller: it may run hashes (one at a time) until destroyed.
  class Admission {
   public:
    Admission(Admission&& other) noexcept : work_(other.work_) { other.work_ = nullptr; }
    Admission& operator=(Admission&&) = delete;
    ~Admission();

   private:
    friend class PasswordWork;
    explicit Admission(PasswordWork* work) : work_(work) {}
    PasswordWork* work_;
  };

  // `threads` is at least 1.
  PasswordWork(PasswordPoolSize size, PasswordHashingPtr hashing);
  PasswordWork(const PasswordWork&) = delete;
  PasswordWork& operator=(const PasswordWork&) = delete;

  // nullopt when threads + queue callers (threads + queue + reserved for a known device) are
  // already admitted. Thread-safe.
  std::optional<Admission> TryAdmit(Admit who = Admit::kAnyone);
  // Run on the pool; the calling thread waits for the result. Exceptions of the hashing
  // (out of memory) propagate to the caller.
  std::string Hash(const Admission& admission, std::string_view password);
  bool Verify(const Admission& admission, std::string_view stored_hash, std::string_view password);

  // Admissions open to anyone (threads + queue); known devices have `reserved` more.
  std::size_t capacity() const { return capacity_; }
  std::size_t admitted() const { return admitted_.load(); }
  // Hashes and verifications run so far (observable by tests: a refused caller ran none).
  std::uint64_t runs() const { return runs_.load(); }

 private:
  template <typename Result, typename Work>
  Result RunOnPool(Work work);

  PasswordHashingPtr hashing_;
  const std::size_t capacity_, reserved_;
  std::atomic<std::size_t> admitted_{0};
  std::atomic<std::uint64_t> runs_{0};
  WorkQueue pool_;  // last: stopped (and joined) first
};

}  // namespace ess
