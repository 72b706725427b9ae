#pragma once
// Delivering the outbox (issue 15, point 6): take the next message due, hand it to a
// MailSender, record the outcome (sent; tried again later with backoff; failed with the
// relay's answer). The queue and the sender are interfaces: PgDeliveryQueue and SmtpSender
// in the node, fakes in tests; time comes from an injected Clock. DeliveryLoop runs it on a
// background thread of the node, never in a request.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/clock.h"
#include "node/mail/mail_message.h"

namespace ess::node {

struct SendResult {
  enum class Outcome {
    kSent,       // the relay accepted the message
    kTemporary,  // not now: relay down, timeout, 4xx, authentication refused: try later
    kPermanent,  // never: 5xx refusal of the recipient or the message, unsendable address
  };
  Outcome outcome = Outcome::kTemporary;
  std::string answer;  // the relay's last reply, or the connection's error
};

class MailSender {
 public:
  virtual ~MailSender() = default;
  // Sends one message; never throws for what the relay or the network does (a result).
  virtual SendResult Send(const OutgoingMail& mail) = 0;
};

struct RetryPolicy {
  int max_attempts = 10;                     // a message still refusing after this many is failed
  std::chrono::seconds first_delay{60};      // after the first failure; doubled each time...
  std::chrono::seconds max_delay{6 * 3600};  // ...up to this
};

// What one attempt leaves.
struct AttemptRecord {
  std::string state;  // "sent", "queued" (try again at next_attempt_at) or "failed"
  int attempts = 0;   // including this one
  std::optional<std::int64_t> next_attempt_at;
  std::string answer;
};

// The state after attempt number `attempts` (1 for the first) at `now` gave `result`.
AttemptRecord RecordAttempt(const SendResult& result, int attempts, std::int64_t now,
                            const RetryPolicy& policy);

// A message as the queue hands it to delivery: its private link already put back.
struct DueMail {
  OutgoingMail mail;
  int attempts = 0;  // made before this one
};

class DeliveryQueue {
 public:
  virtual ~DeliveryQueue() = default;
  // Calls `attempt` with the next message due at `now` and stores what it returns, the
  // message held meanwhile (no other process takes it). false when none is due.
  virtual bool AttemptNext(std::int64_t now,
                           const std::function<AttemptRecord(const DueMail&)>& attempt) = 0;
};

class OutboxDelivery {
 public:
  OutboxDelivery(DeliveryQueue& queue, MailSender& sender, const Clock& clock, RetryPolicy policy)
      : queue_(queue), sender_(sender), clock_(clock), policy_(policy) {}
  // Attempts the messages due now, at most `limit`; returns how many were attempted.
  int RunOnce(int limit = 50);

 private:
  DeliveryQueue& queue_;
  MailSender& sender_;
  const Clock& clock_;
  RetryPolicy policy_;
};

// A background thread running `delivery.RunOnce()` every `interval` and when woken.
// Failures (the database down) are logged and retried at the next tick. Stops (and joins)
// on destruction.
class DeliveryLoop {
 public:
  DeliveryLoop(OutboxDelivery& delivery, std::chrono::milliseconds interval);
  ~DeliveryLoop();
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;
  // Runs a round soon (a message was just queued).
  void Wake();

 private:
  void Run();

  OutboxDelivery& delivery_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false, woken_ = false;
  std::thread thread_;
};

}  // namespace ess::node
