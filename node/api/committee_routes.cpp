// Committee routes: queue, members, history, the workspace's reads, votes, conflicts, reviews.
#include "http/json_body.h"
#include "node/api/api_json.h"
#include "node/api/node_api.h"

namespace ess::node {

using nlohmann::json;

void NodeApi::AddCommitteeRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  // A staff write: the JSON body, then the work with the principal.
  auto with_body = [limit](auto handler) -> GuardedHandler {
    return [limit, handler](const Principal& who, const HttpRequest& req,
                            const PathParams& p) -> HttpResponse {
      auto body = ParseJsonBody(req, limit);
      if (body.error) return *body.error;
      return handler(who, *body.value, p.at("id"));
    };
  };
  router_.Add("GET", "/api/committee/queue",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams&) {
                               return Respond(committee_.Queue(), 200, AsIs);
                             }));
  router_.Add("GET", "/api/committee/members",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams&) {
                               return Respond(committee_.Members(), 200, AsIs);
                             }));
  router_.Add("GET", "/api/initiatives/{id}/history",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams& p) {
                               return Respond(committee_.History(p.at("id")), 200, AsIs);
                             }));
  // For the committee workspace: the last admitted revision (to show what changed since)
  // and the reports with their comments.
  router_.Add("GET", "/api/committee/initiatives/{id}/admitted-revision",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams& p) {
                               return Respond(committee_.LastAdmittedRevision(p.at("id")), 200,
                                              [](const std::optional<AdmittedRevision>& r) {
                                                return json{{"revision", AdmittedRevisionJson(r)}};
                                              });
                             }));
  // The edit proposal waiting for the committee, beside the admitted revision it would replace.
  router_.Add("GET", "/api/committee/initiatives/{id}/proposal",
              guard_.Guarded(Role::kAnyStaff, [this](const Principal&, const HttpRequest&,
                                                     const PathParams& p) {
                auto view = initiatives_.GetFull(p.at("id"));
                if (!view.ok()) return FailureResponse(view.failure());
                auto admitted = committee_.LastAdmittedRevision(p.at("id"));
                if (!admitted.ok()) return FailureResponse(admitted.failure());
                const auto& v = view.value();
                return JsonResponse(
                    200, json{{"proposal", v.proposal ? ProposalJson(*v.proposal, v.initiative)
                                                      : json(nullptr)},
                              {"admitted", AdmittedRevisionJson(admitted.value())}});
              }));
  router_.Add("GET", "/api/committee/initiatives/{id}/reports",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams& p) {
                               return Respond(committee_.Reports(p.at("id")), 200,
                                              [](const std::vector<InitiativeReport>& reports) {
                                                json out = json::array();
                                                for (const auto& r : reports) {
                                                  out.push_back({{"reason", r.reason},
                                                                 {"comment", r.comment},
                                                                 {"created_at", r.created_at},
                                                                 {"handled", r.handled}});
                                                }
                                                return json{{"reports", out}};
                                              });
                             }));
  router_.Add(
      "POST", "/api/committee/initiatives/{id}/votes",
      guard_.Guarded(
          Role::kMember,
          with_body([this](const Principal& who, const json& body, const std::string& id) {
            return Respond(committee_.Vote(who, id, body), 201, [](const VoteOutcome& o) {
              json j = {{"status", o.status}, {"rule", o.rule.explanation}, {"decision", nullptr}};
              if (o.decision) {
                j["decision"] = {
                    {"id", *o.decision_id}, {"decision", *o.decision}, {"subject", o.subject}};
              }
              return j;
            });
          })));
  router_.Add("POST", "/api/committee/initiatives/{id}/conflicts",
              guard_.Guarded(
                  Role::kMember,
                  with_body([this](const Principal& who, const json& body, const std::string& id) {
                    return Respond(committee_.DeclareConflict(who, id, body), 201, [](bool) {
                      return json{{"declared", true}};
                    });
                  })));
  router_.Add("POST", "/api/committee/initiatives/{id}/reviews",
              guard_.Guarded(Role::kChair, with_body([this](const Principal& who, const json& body,
                                                            const std::string& id) {
                               return Respond(committee_.OpenReview(who, id, body), 201, [](bool) {
                                 return json{{"under_review", true}};
                               });
                             })));
}

}  // namespace ess::node
