#pragma once
// The node's HTTP API (docs/node-api.yaml): thin adapters from requests to the services
// and back. Each handler reads the request (JSON body with its size limit, query, session,
// edit token), calls one service, and maps the Result to a response. Public writes
// (submit, report, endorse) and logins are rate limited per client address.

#include <memory>

#include "http/http_types.h"
#include "http/rate_limiter.h"
#include "http/router.h"
#include "node/api/api_support.h"
#include "node/service/account_service.h"
#include "node/service/charter_service.h"
#include "node/service/committee_service.h"
#include "node/service/import_service.h"
#include "node/service/initiative_service.h"
#include "node/service/node_context.h"
#include "node/service/search_service.h"

namespace ess::node {

class NodeApi {
 public:
  // `context` must outlive the API.
  explicit NodeApi(const NodeContext& context);

  // Routes the request. A write refused because the hub holds a longer or other history
  // than this node's journal (a node restored from an old backup: docs/replication.md)
  // answers 503 `journal_blocked` with the reason; other failures propagate (-> 500).
  HttpResponse operator()(const HttpRequest& request) const;
  HttpHandler AsHandler() const {
    return [this](const HttpRequest& request) { return (*this)(request); };
  }

  InitiativeService& initiatives() { return initiatives_; }
  AccountService& accounts() { return accounts_; }

 private:
  void AddPublicRoutes();
  void AddOwnerRoutes();
  void AddSessionRoutes();
  void AddCommitteeRoutes();
  void AddAdminRoutes();

  // 429 `rate_limited` with Retry-After when `limiter` refuses the client.
  std::optional<HttpResponse> Throttle(RateLimiter& limiter, const HttpRequest& request) const;

  const NodeContext& context_;
  AccountService accounts_;
  InitiativeService initiatives_;
  CommitteeService committee_;
  CharterService charter_;
  SearchService search_;
  ImportService import_;
  AccessGuard guard_;
  mutable RateLimiter public_limiter_;
  mutable RateLimiter login_limiter_;
  Router router_;
};

}  // namespace ess::node
