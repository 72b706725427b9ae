#pragma once
// The outbox table as a DeliveryQueue: one transaction per attempt, the message row locked
// (FOR UPDATE SKIP LOCKED) while it is sent, its private link opened from its seal.
// A message sent whose transaction then fails to commit stays queued and is sent again
// (docs/reliability.md): at least once, never lost.

#include "core/pg_pool.h"
#include "node/mail/outbox_delivery.h"

namespace ess::node {

class PgDeliveryQueue final : public DeliveryQueue {
 public:
  explicit PgDeliveryQueue(PgPool& pool) : pool_(pool) {}
  bool AttemptNext(std::int64_t now,
                   const std::function<AttemptRecord(const DueMail&)>& attempt) override;

 private:
  PgPool& pool_;
};

}  // namespace ess::node
