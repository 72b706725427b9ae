#include "node/mail/pg_delivery_queue.h"

#include <spdlog/spdlog.h>

#include "node/service/initiative_service.h"
#include "node/service/sealed_link.h"
#include "node/store/outbox_store.h"

namespace ess::node {

bool PgDeliveryQueue::AttemptNext(std::int64_t now,
                                  const std::function<AttemptRecord(const DueMail&)>& attempt) {
  return pool_.WithTransaction([&](pqxx::work& txn) {
    OutboxStore outbox(txn);
    auto message = outbox.TakeDue(now);
    if (!message) return false;
    DueMail due{
        {message->id, message->created_at, message->recipient, message->subject, message->body},
        message->attempts};
    if (message->sealed_link) {
      auto link =
          OpenLink(InitiativeStore(txn).NodeSecret(kOutboxLinkSecret), *message->sealed_link);
      const auto at = due.mail.body.rfind(kMaskedLink);
      if (link && at != std::string::npos) {
        due.mail.body.replace(at, kMaskedLink.size(), *link);
      } else {
        spdlog::warn("message {} : lien privé illisible, envoyé masqué", message->id);
      }
    }
    const AttemptRecord record = attempt(due);
    if (record.state == "sent") {
      outbox.MarkSent(message->id, record.attempts, now, record.answer);
    } else if (record.state == "failed") {
      outbox.MarkFailed(message->id, record.attempts, record.answer);
    } else {
      outbox.MarkRetry(message->id, record.attempts, record.next_attempt_at.value_or(now),
                       record.answer);
    }
    return true;
  });
}

}  // namespace ess::node
