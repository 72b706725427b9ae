#include "node/mail/outbox_delivery.h"

#include <algorithm>

#include <spdlog/spdlog.h>

namespace ess::node {

AttemptRecord RecordAttempt(const SendResult& result, int attempts, std::int64_t now,
                            const RetryPolicy& policy) {
  AttemptRecord record{"queued", attempts, std::nullopt, result.answer};
  if (result.outcome == SendResult::Outcome::kSent) {
    record.state = "sent";
  } else if (result.outcome == SendResult::Outcome::kPermanent || attempts >= policy.max_attempts) {
    record.state = "failed";
  } else {
    std::int64_t delay = policy.first_delay.count();
    for (int i = 1; i < attempts && delay < policy.max_delay.count(); ++i) delay *= 2;
    record.next_attempt_at = now + std::min<std::int64_t>(delay, policy.max_delay.count());
  }
  return record;
}

int OutboxDelivery::RunOnce(int limit) {
  int attempted = 0;
  const std::int64_t now = clock_.NowMillis() / 1000;
  while (attempted < limit && queue_.AttemptNext(now, [&](const DueMail& due) {
    const SendResult result = sender_.Send(due.mail);
    AttemptRecord record = RecordAttempt(result, due.attempts + 1, now, policy_);
    if (record.state == "sent") {
      spdlog::info("message {} envoyé", due.mail.id);
    } else {
      spdlog::warn("message {} non envoyé ({}, essai {}) : {}", due.mail.id, record.state,
                   record.attempts, record.answer);
    }
    return record;
  })) {
    ++attempted;
  }
  return attempted;
}

DeliveryLoop::DeliveryLoop(OutboxDelivery& delivery, std::chrono::milliseconds interval)
    : delivery_(delivery), interval_(interval) {
  thread_ = std::thread([this] { Run(); });
}

DeliveryLoop::~DeliveryLoop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryLoop::Wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  wake_.notify_all();
}

void DeliveryLoop::Run() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    woken_ = false;
    lock.unlock();
    try {
      // A full round means more may be due: go on at once.
      while (delivery_.RunOnce() == 50) {
        std::lock_guard check(mutex_);
        if (stopping_) break;
      }
    } catch (const std::exception& e) {
      spdlog::error("envoi du courrier : {}", e.what());
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stopping_ || woken_; });
  }
}

}  // namespace ess::node
