#pragma once
// Cookie sessions as both services use them: the session token travels in an HttpOnly,
// SameSite=Strict cookie (Secure when served over HTTPS), and every state-changing call
// made with a session must carry the session's CSRF token in the X-CSRF-Token header.
// Where sessions are stored is the service's business (the node keeps them in PostgreSQL,
// so that instances behind a load balancer share them).

#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.h"

namespace ess {

inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";

struct SessionCookieOptions {
  std::string name = "ess_session";
  bool secure = false;          // add Secure (set it whenever the service is behind HTTPS)
  int max_age_seconds = 12 * 3600;
};

// The Set-Cookie value that installs `token`.
std::string SessionSetCookie(const SessionCookieOptions& options, std::string_view token);
// The Set-Cookie value that removes the session cookie.
std::string SessionClearCookie(const SessionCookieOptions& options);
// The session token the request carries, if any.
std::optional<std::string> SessionTokenOf(const HttpRequest& request,
                                          const SessionCookieOptions& options);

// True for methods that change state (everything but GET, HEAD and OPTIONS).
bool IsStateChanging(const HttpRequest& request);
// True iff the X-CSRF-Token header equals `expected` (constant-time comparison).
bool CsrfTokenMatches(const HttpRequest& request, std::string_view expected);

}  // namespace ess
