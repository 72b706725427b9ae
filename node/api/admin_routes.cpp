// Admin routes: accounts, committee members, charter, initiatives, region rules,
// replication state, CSV imports.
#include "node/api/node_api.h"

#include <algorithm>

#include "core/text_fold.h"
#include "http/json_body.h"
#include "node/api/api_json.h"
#include "node/api/import_json.h"
#include "node/api/initiative_json_input.h"
#include "node/api/region_rules_json.h"
#include "node/service/records_service.h"

namespace ess::node {

using nlohmann::json;

namespace {

// RFC 7240: the client asks for an asynchronous answer ("Prefer: respond-async").
bool PrefersAsync(const HttpRequest& request) {
  auto prefer = request.Header("prefer");
  if (!prefer) return false;
  const std::string lower = AsciiLower(*prefer);
  std::size_t at = 0;
  while ((at = lower.find("respond-async", at)) != std::string::npos) {
    const bool starts = at == 0 || lower[at - 1] == ',' || lower[at - 1] == ' ';
    const std::size_t after = at + std::string_view("respond-async").size();
    const bool ends =
        after == lower.size() || lower[after] == ',' || lower[after] == ' ' || lower[after] == ';';
    if (starts && ends) return true;
    at = after;
  }
  return false;
}

// {"name", "email", "college", "role": member|chair}. A password is refused: the member
// chooses it from the invitation.
Result<NewMember> NewMemberFrom(const json& body) {
  if (body.contains("password")) {
    return Failure::Invalid("invalid_field",
                            "Le mot de passe n'est plus choisi par l'administration : le membre "
                            "reçoit une invitation et le choisit lui-même.",
                            "password");
  }
  if (!body.value("college", json("")).is_string() ||
      !body.value("role", json("member")).is_string()) {
    return Failure::Invalid("invalid_type", "« college » et « role » sont des textes.", "college");
  }
  return NewMember{JsonString(body, "name", nullptr), JsonString(body, "email", nullptr),
                   body.value("college", ""), body.value("role", "member")};
}

// The charter's draft: {"text", "readhesion_days" (default 90), "confirm_listings"}.
struct CharterDraftInput {
  std::optional<std::string> text;
  int readhesion_days = 90;
  std::optional<int> confirm_listings;
};

Result<CharterDraftInput> CharterDraftFrom(const json& body) {
  CharterDraftInput in{JsonString(body, "text", nullptr), 90, std::nullopt};
  const json days = body.value("readhesion_days", json(90));
  // A missing text is reported first (by the service).
  if (in.text && !days.is_number_integer()) {
    return Failure::Invalid("invalid_type",
                            "« readhesion_days » doit être un nombre entier de jours.",
                            "readhesion_days");
  }
  if (days.is_number_integer()) in.readhesion_days = days.get<int>();
  if (auto confirm = body.find("confirm_listings"); confirm != body.end() && !confirm->is_null()) {
    if (!confirm->is_number_integer()) {
      return Failure::Invalid("invalid_type",
                              "« confirm_listings » est le nombre de fiches vu à la "
                              "prévisualisation.",
                              "confirm_listings");
    }
    in.confirm_listings = confirm->get<int>();
  }
  return in;
}

// Any of {"college", "role", "active"}; any other member, or a mistyped one, is refused.
Result<MemberChanges> MemberChangesFrom(const json& body) {
  MemberChanges changes;
  for (const auto& [key, value] : body.items()) {
    if (key == "college" && value.is_string()) {
      changes.college = value.get<std::string>();
    } else if (key == "role" && value.is_string()) {
      changes.role = value.get<std::string>();
    } else if (key == "active" && value.is_boolean()) {
      changes.active = value.get<bool>();
    } else {
      return Failure::Invalid("invalid_field", "Champ inattendu ou mal typé : « " + key + " ».",
                              key);
    }
  }
  return changes;
}

}  // namespace

void NodeApi::AddAdminRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  // Admin routes: session, CSRF token and admin role (Guarded), then a JSON body when there
  // is one (an empty body reads as {}).
  auto admin = [this, limit](GuardedJsonHandler handler) {
    return guard_.GuardedWithBody(Role::kAdmin, limit, std::move(handler));
  };
  // Admin reads and requests with a body of their own.
  auto admin_raw = [this](GuardedHandler handler) {
    return guard_.Guarded(Role::kAdmin, std::move(handler));
  };
  router_.Add(
      "POST", "/api/admin/accounts",
      admin([this](const Principal&, const json& body, const PathParams&) {
        auto email = JsonString(body, "email", nullptr).value_or("");
        auto name = JsonString(body, "name", nullptr).value_or("");
        auto password = JsonString(body, "password", nullptr).value_or("");
        return Respond(accounts_.CreateAdmin(email, name, password), 201, [](const Account& a) {
          return json{
              {"id", a.account_id}, {"email", a.email}, {"name", a.display_name}, {"role", a.role}};
        });
      }));
  router_.Add("POST", "/api/admin/committee/members",
              admin([this](const Principal&, const json& body, const PathParams&) {
                auto input = NewMemberFrom(body);
                if (!input.ok()) return FailureResponse(input.failure());
                return Respond(committee_.AddMember(input.value()), 201, MemberJson);
              }));
  router_.Add("PATCH", "/api/admin/committee/members/{id}",
              admin([this](const Principal&, const json& body, const PathParams& p) {
                auto changes = MemberChangesFrom(body);
                if (!changes.ok()) return FailureResponse(changes.failure());
                return Respond(committee_.UpdateMember(p.at("id"), changes.value()), 200,
                               MemberJson);
              }));
  // A new member's invitation again (the earlier ones revoked), and the members still to
  // choose their password. The link itself only ever goes sealed into the outbox.
  router_.Add("POST", "/api/admin/committee/members/{id}/invitation",
              admin([this](const Principal&, const json&, const PathParams& p) {
                return Respond(invitations_.Reinvite(p.at("id")), 201,
                               [](const IssuedInvitation& i) {
                                 return json{{"expires_at", FormatRfc3339(i.expires_at)}};
                               });
              }));
  router_.Add("GET", "/api/admin/committee/invitations",
              admin_raw([this](const Principal&, const HttpRequest&, const PathParams&) {
                return Respond(
                    invitations_.Pending(), 200, [](const std::vector<PendingInvitation>& pending) {
                      json out = json::array();
                      for (const auto& p : pending) {
                        out.push_back(
                            {{"member", p.member_id}, {"expires_at", FormatRfc3339(p.expires_at)}});
                      }
                      return json{{"invitations", out}};
                    });
              }));
  // A new charter: previewed (what it would ask, nothing written), then published with the
  // count of listings to re-adhere that the admin confirmed.
  router_.Add("POST", "/api/admin/charter/preview",
              admin([this](const Principal&, const json& body, const PathParams&) {
                auto draft = CharterDraftFrom(body);
                if (!draft.ok()) return FailureResponse(draft.failure());
                return Respond(charter_.Preview(draft.value().text, draft.value().readhesion_days),
                               200, [](const CharterPreview& p) {
                                 return json{{"listings_to_readhere", p.listings_to_readhere},
                                             {"current_version", p.current_version}};
                               });
              }));
  router_.Add("POST", "/api/admin/charter",
              admin([this](const Principal& who, const json& body, const PathParams&) {
                auto draft = CharterDraftFrom(body);
                if (!draft.ok()) return FailureResponse(draft.failure());
                const CharterDraftInput& d = draft.value();
                return Respond(charter_.Publish(who, d.text, d.readhesion_days, d.confirm_listings),
                               201, [](const PublishedCharter& c) {
                                 json j = CharterJson(c.charter);
                                 j["readhesions_asked"] = c.readhesions_asked;
                                 return j;
                               });
              }));
  // The admin edits on the owner's behalf: the record's fields and "reason" (the back
  // office's RecordsService: journalled as any edit, the reason in its event, the owner told).
  auto records = std::make_shared<RecordsService>(context_, initiatives_);
  router_.Add(
      "PUT", "/api/admin/initiatives/{id}",
      admin([this, records](const Principal& who, const json& body, const PathParams& p) {
        json fields = body;
        const json reason = fields.value("reason", json(nullptr));
        fields.erase("reason");
        if (!reason.is_null() && !reason.is_string()) {
          return HttpResponse::Error(422, "invalid_type", "« reason » est un texte.", "reason");
        }
        auto draft = InitiativeDraftFromJson(fields);
        if (!draft.ok()) return FailureResponse(draft.failure());
        return EditResponse(
            records->EditOnBehalf(
                who, p.at("id"), draft.value(),
                reason.is_string() ? std::optional(reason.get<std::string>()) : std::nullopt),
            context_.clock);
      }));
  router_.Add("POST", "/api/admin/initiatives/{id}/withdraw",
              admin([this](const Principal& who, const json&, const PathParams& p) {
                return Respond(
                    initiatives_.Withdraw(p.at("id"), who.Actor()), 200,
                    [this](const Initiative& i) { return InitiativeJson(i, context_.clock); });
              }));
  router_.Add("POST", "/api/admin/initiatives/{id}/erase",
              admin([this](const Principal& who, const json&, const PathParams& p) {
                return Respond(initiatives_.Erase(p.at("id"), /*by_owner=*/false, who.Actor()), 200,
                               [](bool) {
                                 return json{{"erased", true}};
                               });
              }));
  router_.Add("POST", "/api/admin/initiatives/{id}/edit-links",
              admin([records](const Principal& who, const json&, const PathParams& p) {
                return Respond(records->ReissueLink(who, p.at("id")), 201,
                               [](const IssuedEditLink& l) {
                                 return json{{"edit_token", l.token},
                                             {"expires_at", FormatRfc3339(l.expires_at)},
                                             {"revoked", l.revoked},
                                             {"mailed", l.mailed}};
                               });
              }));
  router_.Add("DELETE", "/api/admin/initiatives/{id}/edit-links",
              admin([this](const Principal& who, const json&, const PathParams& p) {
                return Respond(initiatives_.RevokeEditLinks(p.at("id"), std::nullopt, who.Actor()),
                               200, [](int n) {
                                 return json{{"revoked", n}};
                               });
              }));
  router_.Add("POST", "/api/admin/freshness/reminders",
              admin([this](const Principal&, const json&, const PathParams&) {
                return JsonResponse(200, json{{"queued", initiatives_.SendFreshnessReminders()}});
              }));
  // The region's rules in force (stored in PostgreSQL, seeded from the configuration), their
  // changes by the admin, and the history of those changes.
  router_.Add("GET", "/api/admin/settings",
              admin_raw([this](const Principal&, const HttpRequest&, const PathParams&) {
                return Respond(rules_.Get(), 200, RegionRulesViewJson);
              }));
  router_.Add("PUT", "/api/admin/settings",
              admin([this](const Principal& who, const json& body, const PathParams&) {
                auto change = RegionRulesChangeFromJson(body);
                if (!change.ok()) return FailureResponse(change.failure());
                return Respond(rules_.Update(who, change.value()), 200, RegionRulesViewJson);
              }));
  router_.Add("GET", "/api/admin/settings/history",
              admin_raw([this](const Principal&, const HttpRequest&, const PathParams&) {
                return Respond(rules_.History(), 200, RegionRulesHistoryJson);
              }));
  // The journal's size and the hub's copy as the uploader last saw it (tree_size,
  // region_status, last_contact_at, last_receipt_size, last_error, last_error_at,
  // append_blocked, append_blocked_reason), or hub: null.
  router_.Add("GET", "/api/admin/replication",
              admin_raw([this](const Principal&, const HttpRequest&, const PathParams&) {
                const JournalReplicationState state = journal_status_.ReplicationState();
                auto or_null = [](const auto& value) {
                  return value ? json(*value) : json(nullptr);
                };
                json hub = nullptr;
                if (state.hub) {
                  const HubReplicationState& h = *state.hub;
                  hub = {{"tree_size", or_null(h.tree_size)},
                         {"region_status", or_null(h.region_status)},
                         {"last_contact_at", or_null(h.last_contact_at)},
                         {"last_receipt_size", or_null(h.last_receipt_size)},
                         {"last_error", or_null(h.last_error)},
                         {"last_error_at", or_null(h.last_error_at)},
                         {"append_blocked", h.append_blocked},
                         {"append_blocked_reason", or_null(h.append_blocked_reason)}};
                }
                return JsonResponse(200, json{{"log_size", state.log_size}, {"hub", hub}});
              }));
  // Imports carry whole files: the server's body limit applies, not the JSON one. With
  // "Prefer: respond-async" (RFC 7240) a commit answers 202 with a job to follow; otherwise
  // the request waits for the outcome.
  router_.Add("POST", "/api/admin/import",
              admin_raw([this](const Principal& who, const HttpRequest& req, const PathParams&) {
                auto body = ParseJsonBody(req, req.body.size());
                if (body.error) return *body.error;
                auto settings = ImportSettingsFromJson(*body.value);
                if (!settings.ok()) return FailureResponse(settings.failure());
                if (PrefersAsync(req) && !settings.value().dry_run) {
                  auto job = import_jobs_.Start(who, settings.value());
                  if (!job.ok()) return FailureResponse(job.failure());
                  auto res = JsonResponse(202, ImportJobJson(job.value()));
                  res.headers.emplace_back("Location",
                                           "/api/admin/import/" + job.value().job.job_id);
                  res.headers.emplace_back("Preference-Applied", "respond-async");
                  return res;
                }
                auto outcome = import_.Import(who, settings.value());
                if (!outcome.ok()) return FailureResponse(outcome.failure());
                const json report = ImportReportJson(outcome.value().report);
                if (outcome.value().rejected) {
                  json j = {{"code", "import_rejected"},
                            {"message",
                             "Import refusé : des lignes sont invalides ; rien n'a été importé."},
                            {"field", "csv"},
                            {"report", report}};
                  return JsonResponse(422, j);
                }
                return JsonResponse(outcome.value().report.dry_run ? 200 : 201, report);
              }));
  // The column step: the file's encoding, separator, header and the mapping proposed for it
  // (the one chosen last time for the same header, else matched by name); nothing imported.
  router_.Add("POST", "/api/admin/import/columns",
              admin_raw([this](const Principal&, const HttpRequest& req, const PathParams&) {
                auto body = ParseJsonBody(req, req.body.size());
                if (body.error) return *body.error;
                auto settings = ImportSettingsFromJson(*body.value);
                if (!settings.ok()) return FailureResponse(settings.failure());
                settings.value().mapping.reset();
                return Respond(import_.Prepare(settings.value()), 200, ImportColumnsJson);
              }));
  router_.Add("GET", "/api/admin/import/{job}",
              admin_raw([this](const Principal&, const HttpRequest&, const PathParams& p) {
                return Respond(import_jobs_.Get(p.at("job")), 200, ImportJobJson);
              }));
}

}  // namespace ess::node
