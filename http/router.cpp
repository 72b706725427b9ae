#include "http/router.h"

#include <cctype>

namespace ess {

namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at < path.size()) {
    if (path[at] == '/') {
      ++at;
      continue;
    }
    auto next = path.find('/', at);
    out.emplace_back(path.substr(at, next - at));
    at = next == std::string_view::npos ? path.size() : next;
  }
  return out;
}

bool IsJson(std::string_view content_type) {
  auto end = content_type.find(';');
  std::string_view type = content_type.substr(0, end);
  while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
  while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
  if (type.size() != std::string_view("application/json").size()) return false;
  for (std::size_t i = 0; i < type.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(type[i])) != "application/json"[i]) return false;
  }
  return true;
}

}  // namespace

std::optional<HttpResponse> Router::CheckBodyType(const HttpRequest& request) {
  if (request.method == "GET" || request.method == "HEAD" || request.method == "OPTIONS")
    return std::nullopt;
  auto type = request.Header("content-type");
  if (type ? IsJson(*type) : request.body.empty()) return std::nullopt;
  return HttpResponse::Error(
      415, "unsupported_media_type",
      "Le corps de la requête doit être du JSON (Content-Type: application/json).");
}

Router& Router::Add(std::string method, std::string pattern, RouteHandler handler,
                    RouteClass route_class) {
  auto segments = Split(pattern);
  routes_.push_back({std::move(method), std::move(pattern), std::move(segments), std::move(handler),
                     route_class});
  return *this;
}

const Router::Route* Router::Match(const std::vector<std::string>& segments,
                                   const HttpRequest& request, PathParams& params,
                                   std::string& allowed) const {
  for (const auto& route : routes_) {
    if (route.segments.size() != segments.size()) continue;
    params.clear();
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      const auto& want = route.segments[i];
      if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
        params[want.substr(1, want.size() - 2)] = segments[i];
      } else {
        match = want == segments[i];
      }
    }
    if (!match) continue;
    if (route.method == request.method ||
        (request.method == "HEAD" && route.method == "GET")) {
      return &route;
    }
    allowed += (allowed.empty() ? "" : ", ") + route.method;
  }
  return nullptr;
}

RouteClass Router::ClassOf(const HttpRequest& request) const {
  PathParams params;
  std::string allowed;
  const Route* route = Match(Split(request.path), request, params, allowed);
  return route ? route->route_class : RouteClass::kCheap;
}

HttpResponse Router::operator()(const HttpRequest& request) const {
  PathParams params;
  std::string allowed;
  if (const Route* route = Match(Split(request.path), request, params, allowed)) {
    if (auto refused = CheckBodyType(request)) return *refused;
    HttpResponse response = route->handler(request, params);
    response.route = route->pattern;
    return response;
  }
  if (!allowed.empty()) {
    auto res = HttpResponse::Error(405, "method_not_allowed", "Méthode non autorisée ici.");
    res.headers.emplace_back("Allow", allowed);
    return res;
  }
  return HttpResponse::Error(404, "not_found", "Ressource introuvable.");
}

}  // namespace ess
