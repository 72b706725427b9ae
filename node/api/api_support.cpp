#include "node/api/api_support.h"

#include "http/json_body.h"

namespace ess::node {

int StatusOf(FailureKind kind) {
  switch (kind) {
    case FailureKind::kInvalid: return 422;
    case FailureKind::kUnauthorized: return 401;
    case FailureKind::kForbidden: return 403;
    case FailureKind::kNotFound: return 404;
    case FailureKind::kConflict: return 409;
    case FailureKind::kGone: return 410;
    case FailureKind::kUnavailable: return 503;
  }
  return 500;
}

HttpResponse FailureResponse(const Failure& failure) {
  if (failure.errors.empty()) {
    return HttpResponse::Error(StatusOf(failure.kind), failure.code, failure.message,
                               failure.field);
  }
  nlohmann::json body = {{"code", failure.code}, {"message", failure.message}};
  if (!failure.field.empty()) body["field"] = failure.field;
  nlohmann::json errors = nlohmann::json::array();
  for (const FieldError& e : failure.errors) {
    nlohmann::json item = {{"code", e.code}, {"message", e.message}};
    if (!e.field.empty()) item["field"] = e.field;
    errors.push_back(std::move(item));
  }
  body["errors"] = std::move(errors);
  return HttpResponse::Json(StatusOf(failure.kind), body.dump());
}

HttpResponse JsonResponse(int status, const nlohmann::json& body) {
  auto res = HttpResponse::Json(status, body.dump());
  res.headers.emplace_back("Cache-Control", "no-store");
  return res;
}

std::optional<Principal> AccessGuard::Optional(const HttpRequest& request) const {
  auto token = SessionTokenOf(request, cookie_);
  if (!token) return std::nullopt;
  return accounts_.Authenticate(*token);
}

Access AccessGuard::Require(const HttpRequest& request, Role role) const {
  Access out;
  out.principal = Optional(request);
  if (!out.principal) {
    out.refusal = HttpResponse::Error(401, "not_authenticated", "Connexion requise.");
    return out;
  }
  if (IsStateChanging(request) && !CsrfTokenMatches(request, out.principal->csrf_token)) {
    out.refusal = HttpResponse::Error(403, "csrf_token_invalid",
                                      "Jeton anti-CSRF absent ou invalide (en-tête X-CSRF-Token).");
    return out;
  }
  const Principal& p = *out.principal;
  bool allowed = false;
  switch (role) {
    case Role::kAnyAccount: allowed = true; break;
    case Role::kAnyStaff: allowed = p.IsAdmin() || p.IsActiveMember(); break;
    case Role::kAdmin: allowed = p.IsAdmin(); break;
    case Role::kMember: allowed = p.IsActiveMember(); break;
    case Role::kChair: allowed = p.IsChair(); break;
  }
  if (!allowed) {
    out.refusal = HttpResponse::Error(403, "forbidden", "Votre rôle ne permet pas cette action.");
  }
  return out;
}

RouteHandler AccessGuard::Guarded(Role role, GuardedHandler handler) const {
  return [this, role, handler = std::move(handler)](const HttpRequest& request,
                                                    const PathParams& params) {
    Access access = Require(request, role);
    if (access.refusal) return std::move(*access.refusal);
    return handler(*access.principal, request, params);
  };
}

RouteHandler AccessGuard::GuardedWithBody(Role role, std::size_t body_limit,
                                          GuardedJsonHandler handler) const {
  return Guarded(
      role,
      [body_limit, handler = std::move(handler)](const Principal& who, const HttpRequest& request,
                                                 const PathParams& params) -> HttpResponse {
        auto body = ParseJsonBody(request, body_limit, /*empty_is_object=*/true);
        if (body.error) return *body.error;
        return handler(who, *body.value, params);
      });
}

}  // namespace ess::node
