// Records back office routes (docs/node-api.yaml, "records"): the region's records listed and
// read by the staff (the admin and the committee's active members), reminders and exports of
// a selection by the admin. Editing on the owner's behalf and reissuing a link are the
// admin's initiative routes (admin_routes.cpp), through the same RecordsService.
#include <memory>

#include "http/json_body.h"
#include "node/api/api_json.h"
#include "node/api/node_api.h"
#include "node/service/records_service.h"

namespace ess::node {

using nlohmann::json;

namespace {

json OrNullJson(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

json TimeOrNull(const std::optional<UnixSeconds>& t) {
  return t ? json(FormatRfc3339(*t)) : json(nullptr);
}

json ReminderSummaryJson(const ReminderSummary& r) {
  return {{"count", r.count},
          {"last_at", TimeOrNull(r.last_at)},
          {"last_state", OrNullJson(r.last_state)}};
}

json RecordItemJson(const RecordItem& item) {
  const Initiative& i = item.initiative;
  return {{"id", i.id},
          {"name", i.fields.name},
          {"status", std::string(InitiativeStatusName(i.status))},
          {"freshness", std::string(FreshnessName(item.freshness))},
          {"reminder_due", item.reminder_due},
          {"source", item.source},
          {"family", i.fields.family},
          {"department", i.fields.department},
          {"commune", i.fields.commune},
          {"commune_name", i.commune_name},
          {"under_review", i.under_review},
          {"has_contact_email", i.private_fields.contact_email.has_value()},
          {"submitted_at", FormatRfc3339(i.created_at)},
          {"updated_at", FormatRfc3339(i.updated_at)},
          {"confirmed_at", FormatRfc3339(i.confirmed_at)},
          {"valid_until", FormatRfc3339(i.valid_until)},
          {"hide_after", FormatRfc3339(i.hide_after)},
          {"reminders", ReminderSummaryJson(item.reminders)}};
}

json RecordsPageJson(const RecordsPage& page) {
  json items = json::array();
  for (const auto& item : page.items) items.push_back(RecordItemJson(item));
  return {{"total", page.total},
          {"page", page.page.page},
          {"per_page", page.page.per_page},
          {"items", items}};
}

json RecordDetailJson(const RecordDetail& d) {
  json events = json::array();
  for (const auto& e : d.events) {
    events.push_back({{"at", FormatRfc3339(e.at)},
                      {"action", e.action},
                      {"actor", e.actor},
                      {"detail", e.detail}});
  }
  json revisions = json::array();
  for (const auto& r : d.revisions) {
    revisions.push_back({{"log_index", r.log_index},
                         {"record_version", r.record_version},
                         {"operation", r.operation},
                         {"status", OrNullJson(r.status)},
                         {"journalled_at", FormatRfc3339(r.stored_at)}});
  }
  json reminders = json::array();
  for (const auto& m : d.reminders) {
    reminders.push_back({{"id", m.id},
                         {"recipient", m.recipient},
                         {"queued_at", FormatRfc3339(m.created_at)},
                         {"state", m.state},
                         {"attempts", m.attempts},
                         {"sent_at", TimeOrNull(m.sent_at)},
                         {"last_error", OrNullJson(m.last_error)}});
  }
  return {{"record", ViewJson(d.view, /*full=*/true)},
          {"summary", RecordItemJson(d.item)},
          {"events", events},
          {"revisions", revisions},
          {"reminders", reminders}};
}

// {"ids": [uuid, ...]}; a missing or mistyped list reads as empty (refused by the service).
std::vector<std::string> SelectionFrom(const json& body) {
  std::vector<std::string> ids;
  const json list = body.value("ids", json::array());
  if (!list.is_array()) return ids;
  for (const auto& id : list) ids.push_back(id.is_string() ? id.get<std::string>() : "?");
  return ids;
}

}  // namespace

void NodeApi::AddRecordsRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  auto records = std::make_shared<RecordsService>(context_, initiatives_);
  auto admin_with_body = [this, limit](GuardedJsonHandler handler) {
    return guard_.GuardedWithBody(Role::kAdmin, limit, std::move(handler));
  };
  router_.Add("GET", "/api/admin/records",
              guard_.Guarded(Role::kAnyStaff, [records](const Principal&, const HttpRequest& req,
                                                        const PathParams&) {
                auto query = ReadRecordsQuery(req.query);
                if (!query.ok()) return FailureResponse(query.failure());
                return Respond(records->List(query.value()), 200, RecordsPageJson);
              }));
  router_.Add("POST", "/api/admin/records/reminders",
              admin_with_body([records](const Principal& who, const json& body, const PathParams&) {
                return Respond(records->RemindSelection(who, SelectionFrom(body)), 200,
                               [](const std::vector<SelectionOutcome>& outcomes) {
                                 json results = json::array();
                                 int queued = 0;
                                 for (const auto& o : outcomes) {
                                   json r = {{"id", o.id}, {"queued", !o.refused}};
                                   if (o.refused) {
                                     r["code"] = o.refused->code;
                                     r["message"] = o.refused->message;
                                   } else {
                                     ++queued;
                                   }
                                   results.push_back(r);
                                 }
                                 return json{{"queued", queued}, {"results", results}};
                               });
              }));
  router_.Add("POST", "/api/admin/records/export",
              admin_with_body([records](const Principal&, const json& body, const PathParams&) {
                auto csv = records->ExportSelection(SelectionFrom(body));
                if (!csv.ok()) return FailureResponse(csv.failure());
                auto res = HttpResponse::Text(200, csv.value(), "text/csv; charset=utf-8");
                res.headers.emplace_back("Content-Disposition",
                                         "attachment; filename=\"fiches.csv\"");
                return res;
              }));
  router_.Add("GET", "/api/admin/records/{id}",
              guard_.Guarded(Role::kAnyStaff,
                             [records](const Principal&, const HttpRequest&, const PathParams& p) {
                               return Respond(records->Get(p.at("id")), 200, RecordDetailJson);
                             }));
  router_.Add("POST", "/api/admin/records/{id}/reminders",
              admin_with_body([records](const Principal& who, const json&, const PathParams& p) {
                return Respond(records->RemindNow(who, p.at("id")), 201, [](bool) {
                  return json{{"queued", true}};
                });
              }));
}

}  // namespace ess::node
