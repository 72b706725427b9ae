#include "node/api/node_api.h"

#include <spdlog/spdlog.h>

namespace ess::node {

HttpResponse NodeApi::operator()(const HttpRequest& request) const {
  try {
    return router_(request);
  } catch (const std::exception& e) {
    auto fault = DatabaseFaultOf(e);
    if (!fault) throw;  // the server answers 500 and logs it
    spdlog::warn("http {} {} : base de données : {}", request.method, request.path, e.what());
    return FailureResponse(FailureOf(*fault));
  }
}

NodeApi::NodeApi(const NodeContext& context, ImportJobsOptions import_jobs,
                 HubSimilarLookup hub_similar)
    : context_(context),
      accounts_(context),
      initiatives_(context),
      committee_(context, accounts_),
      charter_(context),
      invitations_(context, accounts_),
      search_(context),
      import_(context),
      import_jobs_(context, import_, std::move(import_jobs)),
      rules_(context),
      journal_status_(context),
      similar_(context, std::move(hub_similar)),
      guard_(accounts_, SessionCookieOptions{"ess_session", context.settings.cookie_secure,
                                             context.settings.session_hours * 3600}),
      public_limiter_(context.pool, context.clock, "public", context.settings.public_rate_limit),
      sign_in_flood_limiter_(context.clock,
                             RateLimit{2.0 * context.settings.sign_in.address_attempts_per_minute,
                                       2.0 * context.settings.sign_in.address_attempts_per_minute}),
      similar_limiter_(context.pool, context.clock, "similar", RateLimit{60, 30}) {
  AddSimilarRoutes();  // before /api/initiatives/{id}
  AddPublicRoutes();
  AddOwnerRoutes();
  AddSessionRoutes();
  AddCommitteeRoutes();
  AddAdminRoutes();
  AddRecordsRoutes();
  AddInvitationRoutes();
  AddMailRoutes();
}

std::shared_ptr<const NodeApi::ReferentialViews> NodeApi::Views() const {
  auto referential = context_.referential.Get();
  if (!referential) return nullptr;
  std::lock_guard lock(views_mutex_);
  if (views_source_ != referential) {
    views_ = std::make_shared<const ReferentialViews>(ReferentialViews{
        WithEtag(referential->json()), WithEtag(referential->json_without_communes()),
        RegionCommunes::Of(*referential, context_.settings.region),
        PlaceFinder::Of(*referential, context_.settings.region)});
    views_source_ = referential;
  }
  return views_;
}

std::optional<HttpResponse> NodeApi::Throttle(RateLimiter& limiter, const HttpRequest& request) const {
  const RateDecision decision = limiter.Take(request.client_address);
  if (decision.allowed) return std::nullopt;
  auto res = HttpResponse::Error(429, "rate_limited", "Trop de requêtes : réessayez dans un moment.");
  res.headers.emplace_back("Retry-After", std::to_string(decision.retry_after_seconds));
  return res;
}

}  // namespace ess::node
