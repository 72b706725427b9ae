#pragma once
// The node's HTTP API (docs/node-api.yaml): thin adapters from requests to the services
// and back. Each handler reads the request (JSON body with its size limit, query, session,
// edit token), calls one service, and maps the Result to a response. Public writes
// (submit, report, endorse) and the duplicate warning are rate limited per client address
// in PostgreSQL, shared by every process (node/service/shared_rate_limiter.h); sign-ins are
// limited per address and per account in PostgreSQL (node/service/account_service.h).
//
// The routes are written by audience, one file each: public_routes.cpp (anyone),
// owner_routes.cpp (the private edit link), session_routes.cpp (staff login),
// committee_routes.cpp and admin_routes.cpp (staff, each route guarded by its role with
// AccessGuard::Guarded). JSON forms shared by them: api_json.h.

#include <functional>
#include <map>
#include <memory>
#include <mutex>

#include "core/place_finder.h"
#include "core/public_feeds.h"
#include "http/cached_document.h"
#include "http/http_types.h"
#include "http/rate_limiter.h"
#include "http/router.h"
#include "node/api/api_support.h"
#include "node/domain/region_communes.h"
#include "node/service/account_service.h"
#include "node/service/charter_service.h"
#include "node/service/committee_service.h"
#include "node/service/import_jobs.h"
#include "node/service/import_service.h"
#include "node/service/initiative_service.h"
#include "node/service/invitation_service.h"
#include "node/service/journal_status_service.h"
#include "node/service/node_context.h"
#include "node/service/region_rules_service.h"
#include "node/service/search_service.h"
#include "node/service/shared_rate_limiter.h"
#include "node/service/similar_service.h"

namespace ess::node {

class NodeApi {
 public:
  // `context` must outlive the API. `import_jobs` configures the background CSV imports
  // (their workers stop when the API is destroyed).
  // `hub_similar` asks the hub for the duplicate warning (empty: the region only).
  NodeApi(const NodeContext& context, ImportJobsOptions import_jobs,
          HubSimilarLookup hub_similar = {});

  // Routes the request. A write refused because the hub holds a longer or other history
  // than this node's journal (a node restored from an old backup: docs/replication.md)
  // answers 503 `journal_blocked` (the services' AppendBlocked()), one PostgreSQL refuses for
  // a full disk 503 `storage_full` (StorageFull()), on any route. Any request while the
  // database cannot be reached answers 503 `database_unavailable`, or `outcome_unknown` when
  // the connection broke during the commit (recorded or not, whole either way): the faults of
  // node/store/database_fault.h, as FailureOf() answers them; the pool reconnects on a later
  // request. Other failures propagate (-> 500).
  HttpResponse operator()(const HttpRequest& request) const;
  HttpHandler AsHandler() const {
    return [this](const HttpRequest& request) { return (*this)(request); };
  }

  InitiativeService& initiatives() { return initiatives_; }
  AccountService& accounts() { return accounts_; }

 private:
  void AddPublicRoutes();
  void AddSimilarRoutes();  // similar_routes.cpp
  void AddOwnerRoutes();
  void AddSessionRoutes();
  void AddCommitteeRoutes();
  void AddAdminRoutes();
  void AddRecordsRoutes();     // records_routes.cpp: the records back office
  void AddInvitationRoutes();  // invitation_routes.cpp
  // mail_routes.cpp: the outbox and its delivery.
  void AddMailRoutes();

  // 429 `rate_limited` with Retry-After when `limiter` refuses the client.
  std::optional<HttpResponse> Throttle(RateLimiter& limiter, const HttpRequest& request) const;
  // What the pages read of the referential in force: the whole document and the one
  // without communes, each with its ETag, the region's communes to search as one types, and
  // its places (communes, departments, the region) for the search by place.
  struct ReferentialViews {
    ServedDocument full;
    ServedDocument without_communes;
    RegionCommunes communes;
    PlaceFinder places;
  };
  // Built on first use after each change of referential; nullptr while none is loaded.
  std::shared_ptr<const ReferentialViews> Views() const;

  // An export or a feed (public_routes.cpp): the request's filters and page read
  // (ReadExportRequest), that page of the public search written by `write` from its
  // PublicRecord, with X-Total-Count; 422 for a bad parameter, 503 while no referential is
  // loaded.
  using FeedWriter = std::function<HttpResponse(
      const FeedResults&, const std::vector<PublicRecord>&, const Referential&)>;
  HttpResponse Exported(const HttpRequest& request, const FeedWriter& write);
  // An initiative as the feeds carry it: its page on this site, its profile here, its proof
  // at the hub when --hub-public-url is set.
  PublicRecord PublicRecordOf(const SearchItem& item,
                              const std::map<std::string, std::uint64_t>& log_index) const;

  const NodeContext& context_;
  AccountService accounts_;
  InitiativeService initiatives_;
  CommitteeService committee_;
  CharterService charter_;
  InvitationService invitations_;
  SearchService search_;
  ImportService import_;
  ImportJobs import_jobs_;
  RegionRulesService rules_;
  JournalStatusService journal_status_;
  SimilarService similar_;
  AccessGuard guard_;
  mutable SharedRateLimiter public_limiter_;
  // In front of the sign-in limits in PostgreSQL, per process: twice their per-address rate,
  // so that it only ever refuses a flood (whose attempts then cost no database work).
  mutable InMemoryRateLimiter sign_in_flood_limiter_;
  // The duplicate warning's calls per client address (each may ask the hub).
  mutable SharedRateLimiter similar_limiter_;
  Router router_;
  mutable std::mutex views_mutex_;
  mutable std::shared_ptr<const Referential> views_source_;
  mutable std::shared_ptr<const ReferentialViews> views_;
};

}  // namespace ess::node
