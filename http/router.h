#pragma once
// Maps (method, path pattern) to handlers. Patterns are literal segments and `{name}`
// parameters: "/api/initiatives/{id}/votes". Unknown paths answer 404, a known path with
// another method 405 (with Allow), both as JSON errors. The router is itself an HttpHandler.

#include <map>
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
