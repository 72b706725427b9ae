#include "core/password_work.h"

#include <algorithm>
#include <future>
#include <stdexcept>

namespace ess {

namespace {

class Argon2id final : public PasswordHashing {
 public:
  explicit Argon2id(PasswordHashCost cost) : hasher_(cost) {}
  std::string Hash(std::string_view password) const override { return hasher_.Hash(password); }
  bool Verify(std::string_view stored_hash, std::string_view password) const override {
    return hasher_.Verify(stored_hash, password);
  }

 private:
  PasswordHasher hasher_;
};

}  // namespace

PasswordHashingPtr Argon2idHashing(PasswordHashCost cost) {
  return std::make_shared<Argon2id>(cost);
}

PasswordWork::Admission::~Admission() {
  if (work_) work_->admitted_.fetch_sub(1);
}

PasswordWork::PasswordWork(PasswordPoolSize size, PasswordHashingPtr hashing)
    : hashing_(std::move(hashing)),
      capacity_(size.threads + size.queue),
      reserved_(size.reserved),
      // Admissions bound what waits: the queue itself is not bounded, because a caller may
      // post while the thread that ran the previous hash has not taken the next one yet.
      pool_(std::max<std::size_t>(size.threads, 1)) {}

std::optional<PasswordWork::Admission> PasswordWork::TryAdmit(Admit who) {
  const std::size_t bound = capacity_ + (who == Admit::kKnownDevice ? reserved_ : 0);
  std::size_t now = admitted_.load();
  do {
    if (now >= bound) return std::nullopt;
  } while (!admitted_.compare_exchange_weak(now, now + 1));
  return Admission(this);
}

template <typename Result, typename Work>
Result PasswordWork::RunOnPool(Work work) {
  auto done = std::make_shared<std::promise<Result>>();
  auto result = done->get_future();
  bool posted = pool_.TryPost([this, done, work](std::stop_token) {
    try {
      runs_.fetch_add(1);
      done->set_value(work(*hashing_));
    } catch (...) {
      done->set_exception(std::current_exception());
    }
  });
  if (!posted) throw std::runtime_error("password pool stopped");
  return result.get();
}

std::string PasswordWork::Hash(const Admission&, std::string_view password) {
  std::string copy(password);
  return RunOnPool<std::string>([copy](const PasswordHashing& h) { return h.Hash(copy); });
}

bool PasswordWork::Verify(const Admission&, std::string_view stored_hash,
                          std::string_view password) {
  std::string hash(stored_hash), copy(password);
  return RunOnPool<bool>([hash, copy](const PasswordHashing& h) { return h.Verify(hash, copy); });
}

}  // namespace ess
