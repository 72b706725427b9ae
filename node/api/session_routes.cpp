// Staff sessions: sign-in (limits and the bounded hashing pool: account_service.h; a flood
// from one address is refused in memory first), the current session, logout, password change.
//
// Besides the session cookie, a successful sign-in sets the known-device cookie
// `ess_device` (a random token stored hashed per account; HttpOnly, SameSite=Strict, Secure
// when cookie_secure, sent only to /api/session, kept security.known-device-days): from that
// browser the correct password is admitted even while the account is locked for others.
#include "node/api/node_api.h"

#include "http/json_body.h"
#include "node/api/api_json.h"

namespace ess::node {

using nlohmann::json;

namespace {

constexpr const char* kDeviceCookie = "ess_device";

std::string DeviceSetCookie(const NodeSettings& settings, const std::string& token) {
  std::string out =
      std::string(kDeviceCookie) + "=" + token +
      "; Path=/api/session; HttpOnly; SameSite=Strict; Max-Age=" +
      std::to_string(static_cast<long long>(settings.sign_in.known_device_days) * 86400);
  if (settings.cookie_secure) out += "; Secure";
  return out;
}

std::optional<std::string> DeviceTokenOf(const HttpRequest& req) {
  auto token = req.Cookie(kDeviceCookie);
  if (!token || token->empty()) return std::nullopt;
  return token;
}

HttpResponse SignInRefused(const SignInOutcome& outcome) {
  const Failure& f = outcome.failure;
  int status = 401;
  if (outcome.refusal == SignInRefusal::kThrottled) status = 429;
  if (outcome.refusal == SignInRefusal::kBusy) status = 503;
  auto res = HttpResponse::Error(status, f.code, f.message, f.field);
  if (status != 401)
    res.headers.emplace_back("Retry-After", std::to_string(outcome.retry_after_seconds));
  return res;
}

}  // namespace

void NodeApi::AddSessionRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  router_.Add("POST", "/api/session", [this, limit](const HttpRequest& req, const PathParams&) {
    auto device = DeviceTokenOf(req);
    // A browser with a known-device cookie skips the flood filter (the database says whether
    // the device is known; the address limit there does not apply to it either).
    if (!device) {
      if (auto refused = Throttle(sign_in_flood_limiter_, req)) return *refused;
    }
    auto body = ParseJsonBody(req, limit);
    if (body.error) return *body.error;
    auto credentials = ReadSignInCredentials(*body.value);
    if (credentials.error) return *credentials.error;
    auto outcome = accounts_.SignIn(
        {credentials.value->email, credentials.value->password, req.client_address, device});
    if (!outcome.session) return SignInRefused(outcome);
    const NewSession& session = *outcome.session;
    auto res = JsonResponse(201, PrincipalJson(session.principal));
    res.headers.emplace_back("Set-Cookie", SessionSetCookie(guard_.cookie(), session.token));
    res.headers.emplace_back("Set-Cookie",
                             DeviceSetCookie(context_.settings, session.device_token));
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
        auto changed = accounts_.ChangePassword(who, *SessionTokenOf(req, guard_.cookie()),
                                                DeviceTokenOf(req), *current, *next);
        if (!changed.ok() && changed.failure().code == "sign_in_busy") {
          auto res = FailureResponse(changed.failure());
          res.headers.emplace_back("Retry-After", "2");
          return res;
        }
        return Respond(changed, 200, [](bool) { return json{{"changed", true}}; });
      }));
}

}  // namespace ess::node
