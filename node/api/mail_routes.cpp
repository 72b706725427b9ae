// Mail routes (docs/node-api.yaml, "outbox"): the admin's view of the messages the node sends
// (node/mail/), their delivery state, and "retry now" for a failed one.
#include <charconv>

#include "node/api/api_json.h"
#include "node/api/node_api.h"
#include "node/store/outbox_store.h"

namespace ess::node {

using nlohmann::json;

namespace {

json OptionalTime(const std::optional<UnixSeconds>& t) {
  return t ? json(FormatRfc3339(*t)) : json(nullptr);
}

json MessageJson(const OutboxMessage& m) {
  return {{"id", m.id},
          {"initiative", m.initiative_id ? json(*m.initiative_id) : json(nullptr)},
          {"recipient", m.recipient},
          {"subject", m.subject},
          {"body", m.body},
          {"kind", m.kind},
          {"state", m.state},
          {"attempts", m.attempts},
          {"next_attempt_at", OptionalTime(m.next_attempt_at)},
          {"last_error", m.last_error ? json(*m.last_error) : json(nullptr)},
          {"sent_at", OptionalTime(m.sent_at)},
          {"created_at", FormatRfc3339(m.created_at)}};
}

// A whole number in [low, high] from the query, `fallback` when absent, nullopt when bad.
std::optional<std::int64_t> QueryNumber(const HttpRequest& req, const char* name,
                                        std::int64_t fallback, std::int64_t low,
                                        std::int64_t high) {
  auto text = req.Query(name);
  if (!text) return fallback;
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (error != std::errc() || end != text->data() + text->size() || value < low || value > high) {
    return std::nullopt;
  }
  return value;
}

HttpResponse Invalid(const std::string& message, const std::string& field) {
  return FailureResponse(Failure::Invalid("invalid_query", message, field));
}

}  // namespace

void NodeApi::AddMailRoutes() {
  router_.Add(
      "GET", "/api/admin/outbox",
      guard_.Guarded(
          Role::kAdmin,
          [this](const Principal&, const HttpRequest& req, const PathParams&) -> HttpResponse {
            const std::string state = req.Query("state").value_or("");
            if (state != "" && state != "queued" && state != "sent" && state != "failed") {
              return Invalid("L'état doit être queued, sent ou failed.", "state");
            }
            auto page = QueryNumber(req, "page", 1, 1, 1'000'000);
            if (!page) return Invalid("La page doit être un nombre entier positif.", "page");
            auto per_page = QueryNumber(req, "per_page", 50, 1, 200);
            if (!per_page) return Invalid("De 1 à 200 messages par page.", "per_page");
            auto listed = context_.pool.WithTransaction([&](pqxx::work& txn) {
              return OutboxStore(txn).List(state, (*page - 1) * *per_page, *per_page);
            });
            json messages = json::array();
            for (const auto& m : listed.messages) messages.push_back(MessageJson(m));
            return JsonResponse(
                200,
                json{
                    {"messages", messages},
                    {"total", listed.total},
                    {"page", *page},
                    {"per_page", *per_page},
                    {"counts",
                     {{"queued", listed.queued}, {"sent", listed.sent}, {"failed", listed.failed}}},
                    {"delivery",
                     {{"configured", !context_.settings.mail_relay.empty()},
                      {"relay", context_.settings.mail_relay}}}});
          }));
  router_.Add(
      "POST", "/api/admin/outbox/{id}/retry",
      guard_.Guarded(
          Role::kAdmin,
          [this](const Principal&, const HttpRequest&, const PathParams& p) -> HttpResponse {
            std::int64_t id = 0;
            const std::string& text = p.at("id");
            auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
            if (error != std::errc() || end != text.data() + text.size()) {
              return FailureResponse(
                  Failure::Of(FailureKind::kNotFound, "not_found", "Message introuvable."));
            }
            const UnixSeconds now = NowSeconds(context_.clock);
            const bool requeued = context_.pool.WithTransaction(
                [&](pqxx::work& txn) { return OutboxStore(txn).Requeue(id, now); });
            if (!requeued) {
              return FailureResponse(Failure::Of(FailureKind::kConflict, "not_failed",
                                                 "Seul un message en échec peut être renvoyé."));
            }
            return JsonResponse(200, json{{"id", id}, {"state", "queued"}});
          }));
}

}  // namespace ess::node
