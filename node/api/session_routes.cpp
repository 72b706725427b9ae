// Staff sessions: login (rate limited), the current session, logout, password change.
#include "node/api/node_api.h"

#include "http/json_body.h"
#include "node/api/api_json.h"

namespace ess::node {

using nlohmann::json;

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
      return HttpResponse::Error(422, "required", "Adresse et mot de passe sont obligatoires.",
                                 !email ? "email" : "password");
    }
    auto session = accounts_.Login(*email, *password);
    if (!session.ok()) return FailureResponse(session.failure());
    auto res = JsonResponse(201, PrincipalJson(session.value().principal));
    res.headers.emplace_back("Set-Cookie",
                             SessionSetCookie(guard_.cookie(), session.value().token));
    return res;
  });
  router_.Add("GET", "/api/session", [this](const HttpRequest& req, const PathParams&) {
    auto principal = guard_.Optional(req);
    if (!principal) return HttpResponse::Error(401, "not_authenticated", "Connexion requise.");
    return JsonResponse(200, PrincipalJson(*principal));
  });
  router_.Add("DELETE", "/api/session",
              guard_.Guarded(Role::kAnyAccount, [this](const Principal&, const HttpRequest& req,
                                                       const PathParams&) {
                accounts_.Logout(*SessionTokenOf(req, guard_.cookie()));
                auto res = JsonResponse(200, json{{"logged_out", true}});
                res.headers.emplace_back("Set-Cookie", SessionClearCookie(guard_.cookie()));
                return res;
              }));
  router_.Add(
      "POST", "/api/session/password",
      guard_.Guarded(Role::kAnyAccount, [this, limit](const Principal& who, const HttpRequest& req,
                                                      const PathParams&) {
        auto body = ParseJsonBody(req, limit);
        if (body.error) return *body.error;
        auto current = JsonString(*body.value, "current_password", nullptr);
        auto next = JsonString(*body.value, "new_password", nullptr);
        if (!current || !next) {
          return HttpResponse::Error(422, "required",
                                     "Mot de passe actuel et nouveau sont obligatoires.",
                                     !current ? "current_password" : "new_password");
        }
        return Respond(accounts_.ChangePassword(who, *current, *next), 200, [](bool) {
          return json{{"changed", true}};
        });
      }));
}

}  // namespace ess::node
