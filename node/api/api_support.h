#pragma once
// Pieces every HTTP handler of the node uses: Failure -> JSON error response, JSON
// responses, and the access guard (cookie session, CSRF token on state-changing calls,
// role) with Guarded(), which each staff route is written with so it states its role once.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/http_types.h"
#include "http/router.h"
#include "http/session_cookie.h"
#include "node/domain/failure.h"
#include "node/service/account_service.h"

namespace ess::node {

// kInvalid -> 422, kUnauthorized -> 401, kForbidden -> 403, kNotFound -> 404,
// kConflict -> 409, kGone -> 410, kUnavailable -> 503.
int StatusOf(FailureKind kind);
// {code, message, field?}, plus "errors": [{code, message, field?}, ...] when the failure
// lists several field errors (Failure::errors).
HttpResponse FailureResponse(const Failure& failure);
HttpResponse JsonResponse(int status, const nlohmann::json& body);

enum class Role {
  kAnyAccount,  // any signed-in account, even a deactivated member (logout, password)
  kAnyStaff,  // an admin or an active committee member
  kAdmin,
  kMember,    // an active committee member
  kChair,     // an active committee member whose role is chair
};

struct Access {
  std::optional<Principal> principal;
  std::optional<HttpResponse> refusal;  // set when the request must be refused
};

// A route's work once the guard let the request through, with the caller's principal.
using GuardedHandler =
    std::function<HttpResponse(const Principal&, const HttpRequest&, const PathParams&)>;

// The same with the request's JSON body, read once the guard let the request through.
using GuardedJsonHandler =
    std::function<HttpResponse(const Principal&, const nlohmann::json&, const PathParams&)>;

class AccessGuard {
 public:
  AccessGuard(AccountService& accounts, SessionCookieOptions cookie)
      : accounts_(accounts), cookie_(std::move(cookie)) {}

  // 401 `not_authenticated` without a valid session; 403 `csrf_token_invalid` for a
  // state-changing call without the session's X-CSRF-Token; 403 `forbidden` for another role.
  Access Require(const HttpRequest& request, Role role) const;
  // The principal if the request carries a valid session (no CSRF or role check: reads).
  std::optional<Principal> Optional(const HttpRequest& request) const;
  // The route that answers Require(request, role)'s refusal, or runs `handler` with the
  // principal. The guard must outlive the route.
  RouteHandler Guarded(Role role, GuardedHandler handler) const;
  // The same with the request's JSON body (at most `body_limit` bytes; an empty body reads as
  // {}), a body that does not parse refused as ParseJsonBody refuses it.
  RouteHandler GuardedWithBody(Role role, std::size_t body_limit, GuardedJsonHandler handler) const;

  const SessionCookieOptions& cookie() const { return cookie_; }

 private:
  AccountService& accounts_;
  SessionCookieOptions cookie_;
};

}  // namespace ess::node
