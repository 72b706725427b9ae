#include "node/api/node_api.h"

#include "core/log_store.h"
#include "http/json_body.h"
#include "node/api/staff_reads.h"
#include "node/replication/hub_sync_store.h"
#include "node/domain/initiative_json.h"
#include "node/service/journal.h"
#include "node/store/initiative_store.h"

namespace ess::node {

namespace {

using nlohmann::json;

constexpr const char* kEditTokenHeader = "X-Edit-Token";

json ViewJson(const InitiativeView& view, bool full) {
  json j = full ? InitiativeFullJson(view.initiative) : InitiativePublicJson(view.initiative);
  j["id"] = view.initiative.id;
  j["commune_name"] = view.initiative.commune_name;
  j["freshness"] = std::string(FreshnessName(view.freshness));
  j["endorsements"] = view.endorsements;
  if (full) {
    j["open_reports"] = view.open_reports;
    j["readhesion_due"] = view.readhesion_due;
    j["log_version"] = view.initiative.log_version;
  }
  return j;
}

json InitiativeJson(const Initiative& initiative, const Clock& clock) {
  return ViewJson({initiative, FreshnessAt(initiative, NowSeconds(clock)), 0, 0, false}, true);
}

json CharterJson(const CharterVersion& c) {
  return {{"version", c.version}, {"text", c.text}, {"published_at", FormatRfc3339(c.published_at)},
          {"readhesion_days", c.readhesion_days}, {"record_id", c.record_id}};
}

json PrincipalJson(const Principal& p) {
  json j = {{"account", {{"id", p.account.account_id}, {"email", p.account.email},
                         {"name", p.account.display_name}, {"role", p.account.role}}},
            {"csrf_token", p.csrf_token}};
  if (p.member) {
    j["member"] = {{"id", p.member->member_id}, {"college", p.member->college},
                   {"role", p.member->role}, {"active", p.member->active}};
  }
  return j;
}

template <typename T, typename ToJson>
HttpResponse Respond(const Result<T>& result, int status, ToJson to_json) {
  if (!result.ok()) return FailureResponse(result.failure());
  return JsonResponse(status, to_json(result.value()));
}

}  // namespace

NodeApi::NodeApi(const NodeContext& context)
    : context_(context),
      accounts_(context),
      initiatives_(context),
      committee_(context, accounts_),
      charter_(context),
      search_(context),
      import_(context),
      guard_(accounts_, SessionCookieOptions{"ess_session", context.settings.cookie_secure,
                                             context.settings.session_hours * 3600}),
      public_limiter_(context.clock, context.settings.public_rate_limit),
      login_limiter_(context.clock, context.settings.login_rate_limit) {
  AddPublicRoutes();
  AddOwnerRoutes();
  AddSessionRoutes();
  AddCommitteeRoutes();
  AddAdminRoutes();
}

std::optional<HttpResponse> NodeApi::Throttle(RateLimiter& limiter, const HttpRequest& request) const {
  if (limiter.Allow(request.client_address)) return std::nullopt;
  auto res = HttpResponse::Error(429, "rate_limited", "Trop de requêtes : réessayez dans un moment.");
  res.headers.emplace_back("Retry-After", std::to_string(limiter.RetryAfterSeconds(request.client_address)));
  return res;
}

void NodeApi::AddPublicRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  router_.Add("GET", "/healthz", [](const HttpRequest&, const PathParams&) {
    return HttpResponse::Json(200, R"({"status":"ok"})");
  });
  router_.Add("GET", "/api/referential", [this](const HttpRequest&, const PathParams&) {
    auto referential = context_.referential.Get();
    if (!referential) {
      return HttpResponse::Error(503, "no_referential", "Le référentiel commun n'est pas encore chargé sur ce nœud.");
    }
    return HttpResponse::Json(200, referential->json());
  });
  router_.Add("GET", "/api/charter", [this](const HttpRequest&, const PathParams&) {
    return Respond(charter_.Current(), 200, CharterJson);
  });
  router_.Add("GET", "/api/charter/versions", [this](const HttpRequest&, const PathParams&) {
    return Respond(charter_.Versions(), 200, [](const std::vector<CharterVersion>& versions) {
      json out = json::array();
      for (const auto& c : versions) out.push_back(CharterJson(c));
      return json{{"versions", out}};
    });
  });
  router_.Add("POST", "/api/initiatives", [this, limit](const HttpRequest& req, const PathParams&) {
    if (auto refused = Throttle(public_limiter_, req)) return *refused;
    auto body = ParseJsonBody(req, limit);
    if (body.error) return *body.error;
    return Respond(initiatives_.Submit(*body.value), 201, [this](const SubmittedInitiative& s) {
      return json{{"initiative", InitiativeJson(s.initiative, context_.clock)},
                  {"edit_token", s.edit_token},
                  {"message", "Initiative transmise au comité d'éthique. Gardez le jeton : il permet de tenir "
                              "la fiche à jour."}};
    });
  });
  router_.Add("GET", "/api/initiatives", [this](const HttpRequest& req, const PathParams&) {
    bool staff = false;
    if (auto principal = guard_.Optional(req)) staff = principal->IsAdmin() || principal->IsActiveMember();
    return Respond(search_.Search(req.query, staff), 200, [](const json& j) { return j; });
  });
  router_.Add("GET", "/api/initiatives/{id}", [this](const HttpRequest& req, const PathParams& p) {
    auto principal = guard_.Optional(req);
    bool staff = principal && (principal->IsAdmin() || principal->IsActiveMember());
    auto view = staff ? initiatives_.GetFull(p.at("id")) : initiatives_.GetPublic(p.at("id"));
    return Respond(view, 200, [staff](const InitiativeView& v) { return ViewJson(v, staff); });
  });
  router_.Add("POST", "/api/initiatives/{id}/reports", [this, limit](const HttpRequest& req, const PathParams& p) {
    if (auto refused = Throttle(public_limiter_, req)) return *refused;
    auto body = ParseJsonBody(req, limit);
    if (body.error) return *body.error;
    return Respond(initiatives_.Report(p.at("id"), *body.value), 201,
                   [](int open) { return json{{"open_reports", open}}; });
  });
  router_.Add("POST", "/api/initiatives/{id}/endorsements",
              [this, limit](const HttpRequest& req, const PathParams& p) {
                if (auto refused = Throttle(public_limiter_, req)) return *refused;
                auto body = ParseJsonBody(req, limit, /*empty_is_object=*/true);
                if (body.error) return *body.error;
                return Respond(initiatives_.Endorse(p.at("id"), *body.value), 201,
                               [](int count) { return json{{"endorsements", count}}; });
              });
  router_.Add("GET", "/api/map/clusters", [this](const HttpRequest& req, const PathParams&) {
    return Respond(search_.Clusters(req.query), 200, [](const json& j) { return j; });
  });
  router_.Add("GET", "/api/export/initiatives.csv", [this](const HttpRequest&, const PathParams&) {
    auto res = HttpResponse::Text(200, search_.ExportCsv(), "text/csv; charset=utf-8");
    res.headers.emplace_back("Content-Disposition", "attachment; filename=\"initiatives.csv\"");
    return res;
  });
  router_.Add("GET", "/api/export/initiatives.geojson", [this](const HttpRequest&, const PathParams&) {
    return HttpResponse::Text(200, search_.ExportGeoJson().dump(), "application/geo+json; charset=utf-8");
  });
  router_.Add("GET", "/api/log/checkpoint", [this](const HttpRequest&, const PathParams&) {
    auto note = context_.pool.WithTransaction([&](pqxx::work& txn) {
      return LogStore(txn, context_.settings.region).LatestCheckpointNote();
    });
    if (!note) return HttpResponse::Error(404, "empty_log", "Le journal est encore vide.");
    return HttpResponse::Text(200, *note, "text/plain; charset=utf-8");
  });
}

void NodeApi::AddOwnerRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  // Every owner route checks the private edit token against the initiative in the path.
  auto owner = [this](auto handler) {
    return [this, handler](const HttpRequest& req, const PathParams& p) -> HttpResponse {
      if (auto refused = initiatives_.CheckEditToken(p.at("id"), req.Header(kEditTokenHeader))) {
        return FailureResponse(*refused);
      }
      return handler(req, p.at("id"));
    };
  };
  router_.Add("GET", "/api/initiatives/{id}/owner", owner([this](const HttpRequest&, const std::string& id) {
    return Respond(initiatives_.GetFull(id), 200, [](const InitiativeView& v) { return ViewJson(v, true); });
  }));
  router_.Add("PUT", "/api/initiatives/{id}/owner", owner([this, limit](const HttpRequest& req, const std::string& id) {
    auto body = ParseJsonBody(req, limit);
    if (body.error) return *body.error;
    return Respond(initiatives_.Edit(id, *body.value, "owner"), 200,
                   [this](const Initiative& i) { return InitiativeJson(i, context_.clock); });
  }));
  router_.Add("POST", "/api/initiatives/{id}/owner/confirm", owner([this](const HttpRequest&, const std::string& id) {
    return Respond(initiatives_.ConfirmCurrent(id, "owner"), 200,
                   [this](const Initiative& i) { return InitiativeJson(i, context_.clock); });
  }));
  router_.Add("POST", "/api/initiatives/{id}/owner/adhere",
              owner([this, limit](const HttpRequest& req, const std::string& id) {
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                return Respond(initiatives_.Adhere(id, *body.value, "owner"), 200,
                               [this](const Initiative& i) { return InitiativeJson(i, context_.clock); });
              }));
  router_.Add("POST", "/api/initiatives/{id}/owner/withdraw", owner([this](const HttpRequest&, const std::string& id) {
    return Respond(initiatives_.Withdraw(id, "owner"), 200,
                   [this](const Initiative& i) { return InitiativeJson(i, context_.clock); });
  }));
  router_.Add("POST", "/api/initiatives/{id}/owner/erase", owner([this](const HttpRequest&, const std::string& id) {
    return Respond(initiatives_.Erase(id, /*by_owner=*/true, "owner"), 200,
                   [](bool) { return json{{"erased", true}}; });
  }));
  router_.Add("DELETE", "/api/initiatives/{id}/owner/link",
              owner([this](const HttpRequest& req, const std::string& id) {
                return Respond(initiatives_.RevokeEditLinks(id, req.Header(kEditTokenHeader), "owner"), 200,
                               [](int n) { return json{{"revoked", n}}; });
              }));
}

void NodeApi::AddSessionRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  router_.Add("POST", "/api/session", [this, limit](const HttpRequest& req, const PathParams&) {
    if (auto refused = Throttle(login_limiter_, req)) return *refused;
    auto body = ParseJsonBody(req, limit);
    if (body.error) return *body.error;
    std::string type_error;
    auto email = JsonString(*body.value, "email", &type_error);
    auto password = JsonString(*body.value, "password", &type_error);
    if (!email || !password) {
      return HttpResponse::Error(422, "required", "Adresse et mot de passe sont obligatoires.", !email ? "email" : "password");
    }
    auto session = accounts_.Login(*email, *password);
    if (!session.ok()) return FailureResponse(session.failure());
    auto res = JsonResponse(201, PrincipalJson(session.value().principal));
    res.headers.emplace_back("Set-Cookie", SessionSetCookie(guard_.cookie(), session.value().token));
    return res;
  });
  router_.Add("GET", "/api/session", [this](const HttpRequest& req, const PathParams&) {
    auto principal = guard_.Optional(req);
    if (!principal) return HttpResponse::Error(401, "not_authenticated", "Connexion requise.");
    return JsonResponse(200, PrincipalJson(*principal));
  });
  router_.Add("DELETE", "/api/session", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAnyAccount);
    if (access.refusal) return *access.refusal;
    accounts_.Logout(*SessionTokenOf(req, guard_.cookie()));
    auto res = JsonResponse(200, json{{"logged_out", true}});
    res.headers.emplace_back("Set-Cookie", SessionClearCookie(guard_.cookie()));
    return res;
  });
  router_.Add("POST", "/api/session/password", [this, limit](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAnyAccount);
    if (access.refusal) return *access.refusal;
    auto body = ParseJsonBody(req, limit);
    if (body.error) return *body.error;
    auto current = JsonString(*body.value, "current_password", nullptr);
    auto next = JsonString(*body.value, "new_password", nullptr);
    if (!current || !next) {
      return HttpResponse::Error(422, "required", "Mot de passe actuel et nouveau sont obligatoires.",
                                 !current ? "current_password" : "new_password");
    }
    return Respond(accounts_.ChangePassword(*access.principal, *current, *next), 200,
                   [](bool) { return json{{"changed", true}}; });
  });
}

void NodeApi::AddCommitteeRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  router_.Add("GET", "/api/committee/queue", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAnyStaff);
    if (access.refusal) return *access.refusal;
    return Respond(committee_.Queue(), 200, [](const json& j) { return j; });
  });
  router_.Add("GET", "/api/committee/members", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAnyStaff);
    if (access.refusal) return *access.refusal;
    return Respond(committee_.Members(), 200, [](const json& j) { return j; });
  });
  router_.Add("GET", "/api/initiatives/{id}/history", [this](const HttpRequest& req, const PathParams& p) {
    auto access = guard_.Require(req, Role::kAnyStaff);
    if (access.refusal) return *access.refusal;
    return Respond(committee_.History(p.at("id")), 200, [](const json& j) { return j; });
  });
  // For the committee workspace: the last admitted revision (to show what changed since)
  // and the reports with their comments.
  router_.Add("GET", "/api/committee/initiatives/{id}/admitted-revision",
              [this](const HttpRequest& req, const PathParams& p) {
                auto access = guard_.Require(req, Role::kAnyStaff);
                if (access.refusal) return *access.refusal;
                if (!IsUuidText(p.at("id"))) return HttpResponse::Error(404, "not_found", "Initiative introuvable.");
                auto revision = context_.pool.WithTransaction([&](pqxx::work& txn) {
                  return LastAdmittedRevision(txn, context_.settings.region, p.at("id"));
                });
                return JsonResponse(200, json{{"revision", revision ? *revision : json(nullptr)}});
              });
  router_.Add("GET", "/api/committee/initiatives/{id}/reports", [this](const HttpRequest& req, const PathParams& p) {
    auto access = guard_.Require(req, Role::kAnyStaff);
    if (access.refusal) return *access.refusal;
    if (!IsUuidText(p.at("id"))) return HttpResponse::Error(404, "not_found", "Initiative introuvable.");
    auto reports = context_.pool.WithTransaction([&](pqxx::work& txn) { return InitiativeReports(txn, p.at("id")); });
    return JsonResponse(200, json{{"reports", reports}});
  });
  router_.Add("POST", "/api/committee/initiatives/{id}/votes",
              [this, limit](const HttpRequest& req, const PathParams& p) {
                auto access = guard_.Require(req, Role::kMember);
                if (access.refusal) return *access.refusal;
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                return Respond(committee_.Vote(*access.principal, p.at("id"), *body.value), 201,
                               [](const VoteOutcome& o) {
                                 json j = {{"status", o.status}, {"rule", o.rule.explanation},
                                           {"decision", nullptr}};
                                 if (o.decision) j["decision"] = {{"id", *o.decision_id}, {"decision", *o.decision}};
                                 return j;
                               });
              });
  router_.Add("POST", "/api/committee/initiatives/{id}/conflicts",
              [this, limit](const HttpRequest& req, const PathParams& p) {
                auto access = guard_.Require(req, Role::kMember);
                if (access.refusal) return *access.refusal;
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                return Respond(committee_.DeclareConflict(*access.principal, p.at("id"), *body.value), 201,
                               [](bool) { return json{{"declared", true}}; });
              });
  router_.Add("POST", "/api/committee/initiatives/{id}/reviews",
              [this, limit](const HttpRequest& req, const PathParams& p) {
                auto access = guard_.Require(req, Role::kChair);
                if (access.refusal) return *access.refusal;
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                return Respond(committee_.OpenReview(*access.principal, p.at("id"), *body.value), 201,
                               [](bool) { return json{{"under_review", true}}; });
              });
}

void NodeApi::AddAdminRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  // Admin routes: session, CSRF token and admin role, then a JSON body when there is one.
  auto admin = [this, limit](auto handler) {
    return [this, limit, handler](const HttpRequest& req, const PathParams& p) -> HttpResponse {
      auto access = guard_.Require(req, Role::kAdmin);
      if (access.refusal) return *access.refusal;
      auto body = ParseJsonBody(req, limit, /*empty_is_object=*/true);
      if (body.error) return *body.error;
      return handler(*access.principal, *body.value, p);
    };
  };
  router_.Add("POST", "/api/admin/accounts", admin([this](const Principal&, const json& body, const PathParams&) {
    auto email = JsonString(body, "email", nullptr).value_or("");
    auto name = JsonString(body, "name", nullptr).value_or("");
    auto password = JsonString(body, "password", nullptr).value_or("");
    return Respond(accounts_.CreateAdmin(email, name, password), 201, [](const Account& a) {
      return json{{"id", a.account_id}, {"email", a.email}, {"name", a.display_name}, {"role", a.role}};
    });
  }));
  router_.Add("POST", "/api/admin/committee/members",
              admin([this](const Principal&, const json& body, const PathParams&) {
                return Respond(committee_.AddMember(body), 201, [](const CommitteeMember& m) {
                  return json{{"id", m.member_id}, {"name", m.name}, {"email", m.email},
                              {"college", m.college}, {"role", m.role}, {"active", m.active}};
                });
              }));
  router_.Add("PATCH", "/api/admin/committee/members/{id}",
              admin([this](const Principal&, const json& body, const PathParams& p) {
                return Respond(committee_.UpdateMember(p.at("id"), body), 200, [](const CommitteeMember& m) {
                  return json{{"id", m.member_id}, {"name", m.name}, {"email", m.email},
                              {"college", m.college}, {"role", m.role}, {"active", m.active}};
                });
              }));
  router_.Add("POST", "/api/admin/charter", admin([this](const Principal& who, const json& body, const PathParams&) {
    return Respond(charter_.Publish(who, body), 201, [](const PublishedCharter& c) {
      json j = CharterJson(c.charter);
      j["readhesions_asked"] = c.readhesions_asked;
      return j;
    });
  }));
  router_.Add("PUT", "/api/admin/initiatives/{id}", admin([this](const Principal& who, const json& body, const PathParams& p) {
    return Respond(initiatives_.Edit(p.at("id"), body, who.Actor()), 200,
                   [this](const Initiative& i) { return InitiativeJson(i, context_.clock); });
  }));
  router_.Add("POST", "/api/admin/initiatives/{id}/withdraw",
              admin([this](const Principal& who, const json&, const PathParams& p) {
                return Respond(initiatives_.Withdraw(p.at("id"), who.Actor()), 200,
                               [this](const Initiative& i) { return InitiativeJson(i, context_.clock); });
              }));
  router_.Add("POST", "/api/admin/initiatives/{id}/erase",
              admin([this](const Principal& who, const json&, const PathParams& p) {
                return Respond(initiatives_.Erase(p.at("id"), /*by_owner=*/false, who.Actor()), 200,
                               [](bool) { return json{{"erased", true}}; });
              }));
  router_.Add("POST", "/api/admin/initiatives/{id}/edit-links",
              admin([this](const Principal& who, const json&, const PathParams& p) {
                return Respond(initiatives_.IssueEditLink(p.at("id"), who.Actor()), 201,
                               [](const IssuedEditLink& l) {
                                 return json{{"edit_token", l.token}, {"expires_at", FormatRfc3339(l.expires_at)}};
                               });
              }));
  router_.Add("DELETE", "/api/admin/initiatives/{id}/edit-links",
              admin([this](const Principal& who, const json&, const PathParams& p) {
                return Respond(initiatives_.RevokeEditLinks(p.at("id"), std::nullopt, who.Actor()), 200,
                               [](int n) { return json{{"revoked", n}}; });
              }));
  router_.Add("POST", "/api/admin/freshness/reminders", admin([this](const Principal&, const json&, const PathParams&) {
    return JsonResponse(200, json{{"queued", initiatives_.SendFreshnessReminders()}});
  }));
  router_.Add("GET", "/api/admin/outbox", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    auto messages = context_.pool.WithTransaction([&](pqxx::work& txn) { return InitiativeStore(txn).Outbox(200); });
    json out = json::array();
    for (const auto& m : messages) {
      out.push_back({{"id", m.id}, {"initiative", m.initiative_id ? json(*m.initiative_id) : json(nullptr)},
                     {"recipient", m.recipient}, {"subject", m.subject}, {"body", m.body},
                     {"created_at", FormatRfc3339(m.created_at)}});
    }
    return JsonResponse(200, json{{"messages", out}});
  });
  // The region's rules as configured (read-only: they come from the configuration file).
  router_.Add("GET", "/api/admin/settings", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    const NodeSettings& s = context_.settings;
    return JsonResponse(200, json{{"region", s.region},
                                  {"decision_rule", {{"quorum", s.decision_rule.quorum},
                                                     {"majority", s.decision_rule.majority},
                                                     {"min_colleges", s.decision_rule.min_colleges}}},
                                  {"colleges", s.colleges},
                                  {"freshness", {{"validity_days", s.freshness.validity_days},
                                                 {"grace_days", s.freshness.grace_days},
                                                 {"reminder_days", s.freshness.reminder_days}}},
                                  {"report_threshold", s.report_threshold},
                                  {"endorsement_threshold", s.endorsement_threshold},
                                  {"edit_link_days", s.edit_link_days}});
  });
  router_.Add("GET", "/api/admin/sync", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    return JsonResponse(200, context_.pool.WithTransaction([&](pqxx::work& txn) {
      return HubSyncView(txn, context_.settings.region);
    }));
  });
  // Imports carry whole files: the server's body limit applies, not the JSON one.
  router_.Add("POST", "/api/admin/import", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    auto body = ParseJsonBody(req, req.body.size());
    if (body.error) return *body.error;
    auto outcome = import_.Import(*access.principal, *body.value);
    if (!outcome.ok()) return FailureResponse(outcome.failure());
    if (outcome.value().rejected) {
      json j = {{"code", "import_rejected"},
                {"message", "Import refusé : des lignes sont invalides ; rien n'a été importé."},
                {"field", "csv"},
                {"report", outcome.value().report}};
      return JsonResponse(422, j);
    }
    return JsonResponse(outcome.value().report["dry_run"].get<bool>() ? 200 : 201, outcome.value().report);
  });
}

HttpResponse NodeApi::operator()(const HttpRequest& request) const {
  try {
    return router_(request);
  } catch (const pqxx::sql_error& e) {
    if (e.sqlstate() != kAppendBlockedSqlState) throw;  // header-only use: no link to replication
    return HttpResponse::Error(
        503, "journal_blocked",
        "Le journal de la région est bloqué : le hub détient un historique plus long ou "
        "différent (nœud restauré d'une ancienne sauvegarde ?). Un administrateur doit le "
        "résoudre, voir docs/replication.md.");
  }
}

}  // namespace ess::node
