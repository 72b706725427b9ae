#pragma once
// Requests and responses as the domain-facing handlers see them: plain values, no socket.
// A handler is Request -> Response and is testable without a port.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ess {

struct HttpRequest {
  std::string method;  // "GET", "POST"...
  std::string target;  // path and query as received
  std::string path;    // percent-decoded path, without the query
  std::multimap<std::string, std::string> query;  // decoded query parameters
  std::map<std::string, std::string> headers;     // names lower-cased
  std::string body;
  std::string client_address;

  std::optional<std::string> Header(std::string_view name) const;
  std::optional<std::string> Query(std::string_view name) const;
  std::optional<std::string> Cookie(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie...)
  // A large document kept once in memory (the referential) and written from there to every
  // client asking for it, never copied per request: when set, it is the body and `body` is
  // empty.
  std::shared_ptr<const std::string> shared_body;
  // The route pattern that answered ("/api/initiatives/{id}"), set by the Router and never
  // sent: the HTTP server's metrics and access log name requests by it, not by their path
  // (bounded label values, no identifier in logs). Empty: no route (pages, files, 404).
  std::string route;

  std::string_view BodyText() const { return shared_body ? std::string_view(*shared_body) : body; }

  static HttpResponse Json(int status, std::string body);
  static HttpResponse Text(int status, std::string body, std::string content_type);
  // {"code": ..., "message": ..., "field": ...} with the given status; field omitted if empty.
  static HttpResponse Error(int status, std::string_view code, std::string_view message,
                            std::string_view field = {});
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// Percent-decoding ('+' as space in queries). nullopt on a bad escape.
std::optional<std::string> PercentDecode(std::string_view text, bool plus_is_space);
std::multimap<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace ess
