// The national pilot's routes (docs/decisions/0010-hub-pilot-accounts.md): sign-in, the current
// session, logout, and the marks on duplicate pairs. A state-changing call needs the session
// cookie, its CSRF token in X-CSRF-Token and the "pilot" role; every read stays public.
#include <nlohmann/json.hpp>

#include "http/json_body.h"
#include "hub/api/hub_http_api.h"

namespace ess::hub {

namespace {

using nlohmann::json;

constexpr std::size_t kPilotBodyLimit = 16 * 1024;

HttpResponse RefusalResponse(const PilotRefusal& r) {
  auto res = HttpResponse::Error(r.status, r.code, r.message, r.field);
  if (r.retry_after_seconds > 0 && (r.status == 429 || r.status == 503)) {
    res.headers.emplace_back("Retry-After", std::to_string(r.retry_after_seconds));
  }
  return res;
}

json PilotJson(const PilotAccount& a, const std::string& csrf_token) {
  return {{"pilot", {{"email", a.email}, {"name", a.display_name}, {"role", a.role}}},
          {"csrf_token", csrf_token}};
}

DuplicatePairKey PairOf(const PathParams& p) {
  return {p.at("first_region"), p.at("first_id"), p.at("second_region"), p.at("second_id")};
}

}  // namespace

std::optional<HttpResponse> HubHttpApi::RequirePilot(const HttpRequest& request,
                                                     std::optional<PilotSession>& who) const {
  auto token = SessionTokenOf(request, cookie_);
  if (token) who = pilots_->Authenticate(*token);
  if (!who) return HttpResponse::Error(401, "not_authenticated", "Connexion requise.");
  if (IsStateChanging(request) && !CsrfTokenMatches(request, who->csrf_token)) {
    return HttpResponse::Error(403, "csrf_token_invalid",
                               "Jeton anti-CSRF absent ou invalide (en-tête X-CSRF-Token).");
  }
  if (who->account.role != kPilotRole) {
    return HttpResponse::Error(403, "forbidden", "Votre rôle ne permet pas cette action.");
  }
  return std::nullopt;
}

void HubHttpApi::AddPilotRoutes() {
  router_.Add("POST", "/api/pilot/session", [this](const HttpRequest& req, const PathParams&) {
    auto body = ParseJsonBody(req, kPilotBodyLimit);
    if (body.error) return *body.error;
    auto credentials = ReadSignInCredentials(*body.value);
    if (credentials.error) return *credentials.error;
    auto outcome =
        pilots_->SignIn(credentials.value->email, credentials.value->password, req.client_address);
    if (!outcome.ok()) return RefusalResponse(outcome.refusal);
    auto res = HttpResponse::Json(
        201, PilotJson(outcome.value->account, outcome.value->csrf_token).dump());
    res.headers.emplace_back("Set-Cookie", SessionSetCookie(cookie_, outcome.value->token));
    return res;
  });
  router_.Add("GET", "/api/pilot/session", [this](const HttpRequest& req, const PathParams&) {
    std::optional<PilotSession> who;
    if (auto refused = RequirePilot(req, who)) return *refused;
    return HttpResponse::Json(200, PilotJson(who->account, who->csrf_token).dump());
  });
  router_.Add("DELETE", "/api/pilot/session", [this](const HttpRequest& req, const PathParams&) {
    std::optional<PilotSession> who;
    if (auto refused = RequirePilot(req, who)) return *refused;
    pilots_->Logout(*SessionTokenOf(req, cookie_));
    auto res = HttpResponse::Json(200, json{{"logged_out", true}}.dump());
    res.headers.emplace_back("Set-Cookie", SessionClearCookie(cookie_));
    return res;
  });
  router_.Add("POST", "/api/pilot/session/password",
              [this](const HttpRequest& req, const PathParams&) {
                std::optional<PilotSession> who;
                if (auto refused = RequirePilot(req, who)) return *refused;
                auto body = ParseJsonBody(req, kPilotBodyLimit);
                if (body.error) return *body.error;
                auto current = JsonString(*body.value, "current_password", nullptr);
                auto next = JsonString(*body.value, "new_password", nullptr);
                if (!current || !next) {
                  return HttpResponse::Error(422, "required",
                                             "Mot de passe actuel et nouveau sont obligatoires.",
                                             !current ? "current_password" : "new_password");
                }
                auto outcome =
                    pilots_->ChangePassword(*who, *SessionTokenOf(req, cookie_), *current, *next);
                if (!outcome.ok()) return RefusalResponse(outcome.refusal);
                return HttpResponse::Json(200, json{{"changed", true}}.dump());
              });
  const std::string mark_path =
      "/api/duplicates/{first_region}/{first_id}/{second_region}/{second_id}/mark";
  router_.Add("PUT", mark_path, [this](const HttpRequest& req, const PathParams& params) {
    std::optional<PilotSession> who;
    if (auto refused = RequirePilot(req, who)) return *refused;
    auto body = ParseJsonBody(req, kPilotBodyLimit);
    if (body.error) return *body.error;
    std::string type_error;
    auto mark = JsonString(*body.value, "mark", &type_error);
    auto note = JsonString(*body.value, "note", &type_error);
    if (!type_error.empty()) return HttpResponse::Error(422, "invalid_type", type_error);
    if (!mark) {
      return HttpResponse::Error(422, "required",
                                 "« mark » est obligatoire : « distinct » ou « same_structure ».",
                                 "mark");
    }
    auto outcome = pilots_->SetMark(*who, PairOf(params), *mark, note.value_or(""));
    if (!outcome.ok()) return RefusalResponse(outcome.refusal);
    return HttpResponse::Json(200, json{{"marked", true}, {"mark", *mark}}.dump());
  });
  router_.Add("DELETE", mark_path, [this](const HttpRequest& req, const PathParams& params) {
    std::optional<PilotSession> who;
    if (auto refused = RequirePilot(req, who)) return *refused;
    auto outcome = pilots_->ClearMark(*who, PairOf(params));
    if (!outcome.ok()) return RefusalResponse(outcome.refusal);
    return HttpResponse::Json(200, json{{"cleared", true}}.dump());
  });
}

}  // namespace ess::hub
