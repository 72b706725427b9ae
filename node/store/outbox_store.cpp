#include "node/store/outbox_store.h"

#include "node/store/pg_values.h"

namespace ess::node {

namespace {

constexpr const char* kColumns =
    "message_id, initiative_id::text, recipient, subject, body, "
    "extract(epoch from created_at)::bigint, sealed_link, kind, state, attempts, "
    "extract(epoch from next_attempt_at)::bigint, last_error, extract(epoch from sent_at)::bigint";

OutboxMessage ReadMessage(const pqxx::row& r, bool with_link) {
  OutboxMessage m;
  m.id = r[0].as<std::int64_t>();
  m.initiative_id = OptionalText(r[1]);
  m.recipient = r[2].as<std::string>();
  m.subject = r[3].as<std::string>();
  m.body = r[4].as<std::string>();
  m.created_at = r[5].as<UnixSeconds>();
  if (with_link && !r[6].is_null()) {
    pqxx::binarystring sealed(r[6]);
    m.sealed_link = Bytes(sealed.begin(), sealed.end());
  }
  m.kind = r[7].as<std::string>();
  m.state = r[8].as<std::string>();
  m.attempts = r[9].as<int>();
  m.next_attempt_at = OptionalSeconds(r[10]);
  m.last_error = OptionalText(r[11]);
  m.sent_at = OptionalSeconds(r[12]);
  return m;
}

}  // namespace

std::optional<OutboxMessage> OutboxStore::TakeDue(UnixSeconds now) {
  auto rows = txn_.exec_params(
      std::string("SELECT ") + kColumns +
          " FROM outbox WHERE state = 'queued' AND (next_attempt_at IS NULL OR "
          "next_attempt_at <= to_timestamp($1)) ORDER BY coalesce(next_attempt_at, created_at), "
          "message_id LIMIT 1 FOR UPDATE SKIP LOCKED",
      now);
  if (rows.empty()) return std::nullopt;
  return ReadMessage(rows[0], true);
}

void OutboxStore::MarkSent(std::int64_t id, int attempts, UnixSeconds at,
                           const std::string& answer) {
  txn_.exec_params(
      "UPDATE outbox SET state = 'sent', attempts = $2, sent_at = to_timestamp($3), "
      "next_attempt_at = NULL, last_error = $4 WHERE message_id = $1",
      id, attempts, at, answer);
}

void OutboxStore::MarkRetry(std::int64_t id, int attempts, UnixSeconds next_attempt_at,
                            const std::string& error) {
  txn_.exec_params(
      "UPDATE outbox SET attempts = $2, next_attempt_at = to_timestamp($3), last_error = $4 "
      "WHERE message_id = $1",
      id, attempts, next_attempt_at, error);
}

void OutboxStore::MarkFailed(std::int64_t id, int attempts, const std::string& error) {
  txn_.exec_params(
      "UPDATE outbox SET state = 'failed', attempts = $2, next_attempt_at = NULL, "
      "last_error = $3 WHERE message_id = $1",
      id, attempts, error);
}

bool OutboxStore::Requeue(std::int64_t id, UnixSeconds now) {
  return txn_.exec_params(
                 "UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = "
                 "to_timestamp($2) WHERE message_id = $1 AND state = 'failed'",
                 id, now)
             .affected_rows() == 1;
}

OutboxPage OutboxStore::List(const std::string& state, std::int64_t offset, std::int64_t limit) {
  OutboxPage page;
  for (const auto& r : txn_.exec_params(std::string("SELECT ") + kColumns +
                                            " FROM outbox WHERE ($1 = '' OR state = $1) "
                                            "ORDER BY message_id DESC OFFSET $2 LIMIT $3",
                                        state, offset, limit)) {
    page.messages.push_back(ReadMessage(r, false));
  }
  auto counts = txn_.exec_params(
      "SELECT count(*) FILTER (WHERE $1 = '' OR state = $1), "
      "count(*) FILTER (WHERE state = 'queued'), count(*) FILTER (WHERE state = 'sent'), "
      "count(*) FILTER (WHERE state = 'failed') FROM outbox",
      state)[0];
  page.total = counts[0].as<std::int64_t>();
  page.queued = counts[1].as<std::int64_t>();
  page.sent = counts[2].as<std::int64_t>();
  page.failed = counts[3].as<std::int64_t>();
  return page;
}

}  // namespace ess::node
