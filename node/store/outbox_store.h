#pragma once
// The outbox's delivery (migration 160): the messages due, their state after an attempt,
// and the admin's paginated list. Messages are queued by InitiativeStore::QueueMessage.
// No rule is decided here: node/mail/outbox_delivery.h decides, this stores.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "node/store/initiative_store.h"

namespace ess::node {

// A page of the outbox, newest first.
struct OutboxPage {
  std::vector<OutboxMessage> messages;            // sealed_link left empty
  std::int64_t total = 0;                         // messages matching the filter
  std::int64_t queued = 0, sent = 0, failed = 0;  // of the whole outbox
};

class OutboxStore {
 public:
  explicit OutboxStore(pqxx::transaction_base& txn) : txn_(txn) {}

  // The oldest message due at `now` (state queued, next_attempt_at unset or <= now), locked
  // for this transaction; a message another transaction holds is skipped (FOR UPDATE SKIP
  // LOCKED), so two node processes never take the same one. sealed_link as stored.
  std::optional<OutboxMessage> TakeDue(UnixSeconds now);
  void MarkSent(std::int64_t id, int attempts, UnixSeconds at, const std::string& answer);
  // Still queued, tried again at `next_attempt_at`.
  void MarkRetry(std::int64_t id, int attempts, UnixSeconds next_attempt_at,
                 const std::string& error);
  void MarkFailed(std::int64_t id, int attempts, const std::string& error);
  // A failed message queued again, due at `now`, its attempts counted from zero; false when
  // `id` is not a failed message.
  bool Requeue(std::int64_t id, UnixSeconds now);

  // state: "queued", "sent", "failed" or empty for all.
  OutboxPage List(const std::string& state, std::int64_t offset, std::int64_t limit);

 private:
  pqxx::transaction_base& txn_;
};

}  // namespace ess::node
