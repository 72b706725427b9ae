#pragma once
// Maps (method, path pattern) to handlers. Patterns are literal segments and `{name}`
// parameters: "/api/initiatives/{id}/votes". Unknown paths answer 404, a known path with
// another method 405 (with Allow), both as JSON errors. The router is itself an HttpHandler.
//
// A state-changing request (any method but GET, HEAD and OPTIONS) must send its body as
// JSON: a Content-Type other than application/json, or a body without a Content-Type, is
// answered 415 `unsupported_media_type` before any handler runs. A page of another site can
// then not submit to the API from a plain HTML form (whose body is form-encoded or
// text/plain), since only JSON reaches the handlers.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/http_types.h"

namespace ess {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

class Router {
 public:
  Router& Add(std::string method, std::string pattern, RouteHandler handler);
  HttpResponse operator()(const HttpRequest& request) const;
  // nullopt when `request` may reach a handler, else the 415 to answer.
  static std::optional<HttpResponse> CheckBodyType(const HttpRequest& request);

  HttpHandler AsHandler() const {
    return [this](const HttpRequest& r) { return (*this)(r); };
  }

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;  // "{x}" for a parameter
    RouteHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace ess
