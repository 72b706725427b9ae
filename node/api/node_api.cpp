#include "node/api/node_api.h"

#include <algorithm>
#include <cctype>

#include "core/log_store.h"
#include "http/json_body.h"
#include "node/api/staff_reads.h"
#include "node/replication/hub_sync_store.h"
#include "node/domain/edit_proposal.h"
#include "node/domain/initiative_json.h"
#include "node/service/journal.h"
#include "node/store/initiative_store.h"

namespace ess::node {

namespace {

using nlohmann::json;

constexpr const char* kEditTokenHeader = "X-Edit-Token";

// The edit proposal as the owner and the committee see it: `payload` has the form of a
// journalled revision (what would be journalled if the committee admitted it), so that it
// compares field by field with the admitted revision.
json ProposalJson(const EditProposal& proposal, const Initiative& admitted) {
  Initiative proposed = WithProposal(admitted, proposal);
  return {{"state", std::string(ProposalStateName(proposal.state))},
          {"proposed_at", FormatRfc3339(proposal.proposed_at)},
          {"proposed_by", proposal.proposed_by},
          {"payload", InitiativePublicJson(proposed)},
          {"commune_name", proposal.commune_name},
          {"private", PrivateFieldsJson(proposal.private_fields)}};
}

// `with_proposal`: the view knows the edit proposal (reads, edits); after other changes
// (confirm, adhere, withdraw) the key is left out rather than given wrong.
json ViewJson(const InitiativeView& view, bool full, bool with_proposal = true) {
  json j = full ? InitiativeFullJson(view.initiative) : InitiativePublicJson(view.initiative);
  j["id"] = view.initiative.id;
  j["commune_name"] = view.initiative.commune_name;
  j["freshness"] = std::string(FreshnessName(view.freshness));
  j["endorsements"] = view.endorsements;
  if (full) {
    j["open_reports"] = view.open_reports;
    j["readhesion_due"] = view.readhesion_due;
    j["log_version"] = view.initiative.log_version;
    if (with_proposal) j["proposal"] = view.proposal ? ProposalJson(*view.proposal, view.initiative) : json(nullptr);
  }
  return j;
}

json InitiativeJson(const Initiative& initiative, const Clock& clock) {
  return ViewJson({initiative, FreshnessAt(initiative, NowSeconds(clock)), 0, 0, false, std::nullopt}, true,
                  /*with_proposal=*/false);
}

// An edit's answer: the initiative as it now stands (full view) with its edit proposal when
// the edit became one (202: accepted for the committee) or none (200: applied).
HttpResponse EditResponse(const Result<EditOutcome>& result, const Clock& clock) {
  if (!result.ok()) return FailureResponse(result.failure());
  const EditOutcome& edit = result.value();
  InitiativeView view{edit.initiative, FreshnessAt(edit.initiative, NowSeconds(clock)), 0, 0, false, edit.proposal};
  return JsonResponse(edit.proposal ? 202 : 200, ViewJson(view, true));
}

// RFC 7240: the client asks for an asynchronous answer ("Prefer: respond-async").
bool PrefersAsync(const HttpRequest& request) {
  auto prefer = request.Header("prefer");
  if (!prefer) return false;
  std::string lower = *prefer;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  std::size_t at = 0;
  while ((at = lower.find("respond-async", at)) != std::string::npos) {
    const bool starts = at == 0 || lower[at - 1] == ',' || lower[at - 1] == ' ';
    const std::size_t after = at + std::string_view("respond-async").size();
    const bool ends = after == lower.size() || lower[after] == ',' || lower[after] == ' ' || lower[after] == ';';
    if (starts && ends) return true;
    at = after;
  }
  return false;
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

NodeApi::NodeApi(const NodeContext& context, ImportJobsOptions import_jobs)
    : context_(context),
      accounts_(context),
      initiatives_(context),
      committee_(context, accounts_),
      charter_(context),
      search_(context),
      import_(context),
      import_jobs_(context, import_, std::move(import_jobs)),
      rules_(context),
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

std::shared_ptr<const NodeApi::ReferentialViews> NodeApi::Views() const {
  auto referential = context_.referential.Get();
  if (!referential) return nullptr;
  std::lock_guard lock(views_mutex_);
  if (views_source_ != referential) {
    views_ = std::make_shared<const ReferentialViews>(ReferentialViews{
        WithEtag(referential->json()), WithEtag(referential->json_without_communes()),
        RegionCommunes::Of(*referential, context_.settings.region)});
    views_source_ = referential;
  }
  return views_;
}

json NodeApi::WithCommuneName(json revision) const {
  auto referential = context_.referential.Get();
  const std::string code = revision["payload"].value("commune", "");
  const Commune* commune = referential ? referential->FindCommune(code) : nullptr;
  revision["commune_name"] = commune ? commune->name : "";
  return revision;
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
  // The referential, whole or without its 35,000 communes (?without=communes), with an ETag.
  router_.Add("GET", "/api/referential", [this](const HttpRequest& req, const PathParams&) {
    auto without = req.Query("without");
    if (without && *without != "communes") {
      return HttpResponse::Error(422, "invalid_parameter", "« without » ne peut valoir que « communes ».", "without");
    }
    auto views = Views();
    if (!views) {
      return HttpResponse::Error(503, "no_referential", "Le référentiel commun n'est pas encore chargé sur ce nœud.");
    }
    return CachedDocument(req, without ? views->without_communes : views->full);
  });
  // The region's communes as one types (registration form): ?q=<start of a name, a code or
  // a postcode>&limit=1..50, or ?code=<INSEE> for one.
  router_.Add("GET", "/api/communes", [this](const HttpRequest& req, const PathParams&) {
    auto views = Views();
    if (!views) {
      return HttpResponse::Error(503, "no_referential", "Le référentiel commun n'est pas encore chargé sur ce nœud.");
    }
    std::vector<const CommuneSummary*> found;
    if (auto code = req.Query("code")) {
      if (const CommuneSummary* c = views->communes.Find(*code)) found.push_back(c);
    } else {
      auto q = req.Query("q").value_or("");
      if (q.empty() || q.size() > 100) {
        return HttpResponse::Error(422, "invalid_parameter", "Tapez de 1 à 100 caractères du nom de la commune.", "q");
      }
      std::size_t count = 20;
      if (auto text = req.Query("limit")) {
        if (text->empty() || text->size() > 2 || !std::all_of(text->begin(), text->end(), ::isdigit) ||
            std::stoul(*text) < 1 || std::stoul(*text) > 50) {
          return HttpResponse::Error(422, "invalid_parameter", "« limit » : de 1 à 50.", "limit");
        }
        count = std::stoul(*text);
      }
      found = views->communes.Search(q, count);
    }
    json items = json::array();
    for (const CommuneSummary* c : found) {
      items.push_back({{"code", c->code}, {"name", c->name}, {"department", c->department}, {"postcodes", c->postcodes}});
    }
    auto res = HttpResponse::Json(200, json{{"communes", items}}.dump());
    res.headers.emplace_back("Cache-Control", "public, max-age=300");
    return res;
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
    return EditResponse(initiatives_.Edit(id, *body.value, "owner"), context_.clock);
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
                return JsonResponse(200, json{{"revision", revision ? WithCommuneName(*revision) : json(nullptr)}});
              });
  // The edit proposal waiting for the committee, beside the admitted revision it would replace.
  router_.Add("GET", "/api/committee/initiatives/{id}/proposal", [this](const HttpRequest& req, const PathParams& p) {
    auto access = guard_.Require(req, Role::kAnyStaff);
    if (access.refusal) return *access.refusal;
    auto view = initiatives_.GetFull(p.at("id"));
    if (!view.ok()) return FailureResponse(view.failure());
    auto revision = context_.pool.WithTransaction([&](pqxx::work& txn) {
      return LastAdmittedRevision(txn, context_.settings.region, p.at("id"));
    });
    const auto& v = view.value();
    return JsonResponse(200, json{{"proposal", v.proposal ? ProposalJson(*v.proposal, v.initiative) : json(nullptr)},
                                  {"admitted", revision ? WithCommuneName(*revision) : json(nullptr)}});
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
                                 if (o.decision) {
                                   j["decision"] = {{"id", *o.decision_id}, {"decision", *o.decision},
                                                    {"subject", o.subject}};
                                 }
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
    return EditResponse(initiatives_.Edit(p.at("id"), body, who.Actor()), context_.clock);
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
  // The region's rules in force (stored in PostgreSQL, seeded from the configuration), their
  // changes by the admin, and the history of those changes.
  router_.Add("GET", "/api/admin/settings", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    return Respond(rules_.Get(), 200, [](const json& j) { return j; });
  });
  router_.Add("PUT", "/api/admin/settings", admin([this](const Principal& who, const json& body, const PathParams&) {
    return Respond(rules_.Update(who, body), 200, [](const json& j) { return j; });
  }));
  router_.Add("GET", "/api/admin/settings/history", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    return Respond(rules_.History(), 200, [](const json& j) { return j; });
  });
  router_.Add("GET", "/api/admin/sync", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    return JsonResponse(200, context_.pool.WithTransaction([&](pqxx::work& txn) {
      return HubSyncView(txn, context_.settings.region);
    }));
  });
  // Imports carry whole files: the server's body limit applies, not the JSON one. With
  // "Prefer: respond-async" (RFC 7240) a commit answers 202 with a job to follow; otherwise
  // the request waits for the outcome.
  router_.Add("POST", "/api/admin/import", [this](const HttpRequest& req, const PathParams&) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    auto body = ParseJsonBody(req, req.body.size());
    if (body.error) return *body.error;
    const bool dry_run = body.value->is_object() && body.value->value("dry_run", json(false)) == json(true);
    if (PrefersAsync(req) && !dry_run) {
      auto job = import_jobs_.Start(*access.principal, *body.value);
      if (!job.ok()) return FailureResponse(job.failure());
      auto res = JsonResponse(202, job.value());
      res.headers.emplace_back("Location", "/api/admin/import/" + job.value()["id"].get<std::string>());
      res.headers.emplace_back("Preference-Applied", "respond-async");
      return res;
    }
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
  router_.Add("GET", "/api/admin/import/{job}", [this](const HttpRequest& req, const PathParams& p) {
    auto access = guard_.Require(req, Role::kAdmin);
    if (access.refusal) return *access.refusal;
    return Respond(import_jobs_.Get(p.at("job")), 200, [](const json& j) { return j; });
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
