#pragma once
// Maps (method, path pattern) to handlers. Patterns are literal segments and `{name}`
// parameters: "/api/initiatives/{id}/votes". Unknown paths answer 404, a known path with
// another method 405 (with Allow), both as JSON errors. The router is itself an HttpHandler.
//
// Each route has a class (http_server.h's RouteClass: kCheap unless registered kExpensive),
// which ClassOf() tells the server before it queues the request: the national queries run on
// their own bounded workers, so that they cannot hold up health checks and small lookups.
//
// A state-changing request (any method but GET, HEAD and OPTIONS) must send its body as
// JSON: a Content-Type other than application/json, or a body without a Content-Type, is
// answered 415 `unsupported_media_type` before any handler runs. A page of another site can
// then not submit to the API from a plain HTML form (whose body is form-encoded or
// text/plain), since only JSON reaches the handlers.
//
// A response of a route carries its pattern (HttpResponse::route), which the server's
// metrics and access log use; a 404, 405 or 415 carries none.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "http/http_types.h"
#include "http/route_class.h"

namespace ess {

using PathParams = std::map<std::string, std::string>;
using RouteHandler = std::function<HttpResponse(const HttpRequest&, const PathParams&)>;

class Router {
 public:
  Router& Add(std::string method, std::string pattern, RouteHandler handler,
              RouteClass route_class = RouteClass::kCheap);
  HttpResponse operator()(const HttpRequest& request) const;
  // The class of the route `request` reaches; kCheap for a 404, 405 or 415.
  RouteClass ClassOf(const HttpRequest& request) const;
  // nullopt when `request` may reach a handler, else the 415 to answer.
  static std::optional<HttpResponse> CheckBodyType(const HttpRequest& request);

  HttpHandler AsHandler() const {
    return [this](const HttpRequest& r) { return (*this)(r); };
  }

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;  // "{x}" for a parameter
    RouteHandler handler;
    RouteClass route_class;
  };
  const Route* Match(const std::vector<std::string>& segments, const HttpRequest& request,
                     PathParams& params, std::string& allowed) const;
  std::vector<Route> routes_;
};

}  // namespace ess
