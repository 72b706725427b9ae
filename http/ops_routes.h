#pragma once
// The routes an operator's tools read, the same on the node and the hub, in front of the
// service's site (docs/operations.md, "Metrics, readiness and logs";
// docs/decisions/0017-observability.md):
//   GET /metrics  the registry (core/metrics.h) in the Prometheus text format, to the addresses
//                 of `metrics_allow` only (403 otherwise); a request carrying X-Forwarded-For
//                 while no proxy is trusted (http-trusted-proxies) is refused too, since a
//                 reverse proxy on the same host would otherwise lend it a loopback address;
//   GET /readyz   200 {"status":"ready",...} when the database answers and every migration the
//                 service knows is applied, else 503 {"status":"not_ready",...} with a French
//                 `message`; `report` adds what is worth knowing without failing readiness
//                 (the node: whether the hub is reachable).
// `/healthz` stays the API's ("alive"). Every other request goes to `next`. The three are
// cheap routes (http/route_class.h): the hub's ClassOf() knows none of them.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/metrics.h"
#include "core/pg_pool.h"
#include "http/http_types.h"
#include "http/router.h"

namespace ess {

struct OpsRoutesOptions {
  MetricsRegistry* metrics = nullptr;      // null: no /metrics (404)
  std::vector<std::string> metrics_allow;  // see AddressAllowed
  bool proxies_trusted = false;            // http-trusted-proxies is set
  PgPool* pool = nullptr;                  // the database /readyz asks
  int migrations_version = 0;              // the service's newest migration
  std::function<nlohmann::json()> report;  // merged into /readyz's body; may be null
};

class OpsRoutes {
 public:
  // `options.metrics` and `options.pool` must outlive the routes.
  OpsRoutes(OpsRoutesOptions options, HttpHandler next);

  HttpResponse operator()(const HttpRequest& request) const;
  HttpHandler AsHandler() const {
    return [this](const HttpRequest& r) { return (*this)(r); };
  }

 private:
  HttpResponse Metrics(const HttpRequest& request) const;
  HttpResponse Ready() const;

  OpsRoutesOptions options_;
  HttpHandler next_;
  Router router_;
};

// Whether `address` (as HttpRequest::client_address has it) matches an item of `allow`: an
// address ("127.0.0.1", "::1"), a network ("10.0.0.0/8", "fd00::/8"), or "any".
bool AddressAllowed(std::string_view address, const std::vector<std::string>& allow);

// "127.0.0.1, ::1, 10.0.0.0/8" or "any" as a list for AddressAllowed; throws
// std::runtime_error with a French message naming `option_name` for an unreadable item.
std::vector<std::string> ParseAddressList(std::string_view text, std::string_view option_name);

}  // namespace ess
