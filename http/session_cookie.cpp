#include "http/session_cookie.h"

#include "core/secret_token.h"

namespace ess {

std::string SessionSetCookie(const SessionCookieOptions& options, std::string_view token) {
  std::string out = options.name + "=" + std::string(token) +
                    "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                    std::to_string(options.max_age_seconds);
  if (options.secure) out += "; Secure";
  return out;
}

std::string SessionClearCookie(const SessionCookieOptions& options) {
  std::string out = options.name + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0";
  if (options.secure) out += "; Secure";
  return out;
}

std::optional<std::string> SessionTokenOf(const HttpRequest& request,
                                          const SessionCookieOptions& options) {
  auto token = request.Cookie(options.name);
  if (!token || token->empty()) return std::nullopt;
  return token;
}

bool IsStateChanging(const HttpRequest& request) {
  return request.method != "GET" && request.method != "HEAD" && request.method != "OPTIONS";
}

bool CsrfTokenMatches(const HttpRequest& request, std::string_view expected) {
  auto sent = request.Header(kCsrfHeader);
  if (!sent || sent->empty() || expected.empty()) return false;
  return SecretTokensEqual(*sent, expected);
}

}  // namespace ess
