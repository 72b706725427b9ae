#pragma once
// The classes of HTTP routes, which the server runs on separate bounded workers
// (http/http_server.h): kCheap for health checks, pages and small lookups, kExpensive for the
// queries that may scan large tables (national search, clusters, indicators, exports,
// duplicates). A route is kCheap unless registered kExpensive (http/router.h).

#include <cstddef>

namespace ess {

enum class RouteClass { kCheap, kExpensive };

inline constexpr std::size_t kRouteClasses = 2;

}  // namespace ess
