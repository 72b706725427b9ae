// Committee routes: queue, members, history, the workspace's reads, votes, conflicts, reviews.
#include "core/field_rules.h"
#include "http/json_body.h"
#include "node/api/api_json.h"
#include "node/api/node_api.h"

namespace ess::node {

using nlohmann::json;

namespace {

json RosterJson(const CommitteeRoster& roster) {
  json members = json::array();
  for (const auto& m : roster.members) members.push_back(MemberJson(m));
  return {{"members", members},
          {"rule", DecisionRuleJson(roster.rule)},
          {"colleges", roster.colleges},
          {"rules_revision", roster.rules_revision}};
}

json QueueJson(const ReviewQueue& queue) {
  json items = json::array();
  for (const auto& [q, endorsed, readhesion_due, voters, needs_my_vote] : queue.items) {
    items.push_back({{"id", q.initiative_id},
                     {"name", q.name},
                     {"status", q.status},
                     {"commune_name", q.commune_name},
                     {"under_review", q.under_review},
                     {"review_reason", q.review_reason},
                     {"review_round", q.review_round},
                     {"votes", q.votes},
                     {"open_reports", q.open_reports},
                     {"endorsements", q.endorsements},
                     {"endorsed", endorsed},
                     {"has_proposal", q.has_proposal},
                     {"charter_version", q.charter_version},
                     {"readhesion_due", readhesion_due},
                     {"submitted_at", FormatRfc3339(q.submitted_at)},
                     {"conflicts", q.conflicts},
                     {"voters", voters},
                     {"my_vote", q.my_vote.empty() ? json(nullptr) : json(q.my_vote)},
                     {"my_conflict", q.my_conflict},
                     {"needs_my_vote", needs_my_vote}});
  }
  return {{"items", items},
          {"rule", DecisionRuleJson(queue.rule)},
          {"active_members", queue.active_members}};
}

// The admitted revision as api_json writes it, with its rank among the admitted ones.
json AdmittedJson(const std::optional<AdmittedRevision>& r) {
  json j = AdmittedRevisionJson(r);
  if (r) j["admitted_number"] = r->admitted_number;
  return j;
}

json HistoryJson(const InitiativeHistory& h) {
  json events = json::array();
  for (const auto& e : h.events) {
    events.push_back({{"at", FormatRfc3339(e.at)},
                      {"action", e.action},
                      {"actor", e.actor},
                      {"detail", e.detail}});
  }
  json decisions = json::array();
  for (const auto& d : h.decisions) {
    decisions.push_back({{"id", d.decision_id},
                         {"decision", d.decision},
                         {"reasons", d.reasons},
                         {"subject", d.subject},
                         {"journalled", d.journalled},
                         {"initiative_version", d.initiative_version},
                         {"review_round", d.review_round},
                         {"votes", json::parse(d.votes_json)},
                         {"rule", json::parse(d.rule_json)},
                         {"decided_at", FormatRfc3339(d.decided_at)}});
  }
  json conflicts = json::array();
  for (const auto& [member, reason] : h.conflicts)
    conflicts.push_back({{"member", member}, {"reason", reason}});
  return {{"id", h.id},
          {"status", std::string(InitiativeStatusName(h.status))},
          {"review_round", h.review_round},
          {"under_review", h.under_review},
          {"current_votes", CastVotesJson(h.current_votes)},
          {"conflicts", conflicts},
          {"decisions", decisions},
          {"events", events}};
}

}  // namespace

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
                             [this](const Principal& who, const HttpRequest&, const PathParams&) {
                               return Respond(committee_.Queue(who), 200, QueueJson);
                             }));
  router_.Add("GET", "/api/committee/members",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams&) {
                               return Respond(committee_.Members(), 200, RosterJson);
                             }));
  router_.Add("GET", "/api/initiatives/{id}/history",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams& p) {
                               return Respond(committee_.History(p.at("id")), 200, HistoryJson);
                             }));
  // For the committee workspace: the last admitted revision (to show what changed since)
  // and the reports with their comments.
  router_.Add("GET", "/api/committee/initiatives/{id}/admitted-revision",
              guard_.Guarded(Role::kAnyStaff,
                             [this](const Principal&, const HttpRequest&, const PathParams& p) {
                               return Respond(committee_.LastAdmittedRevision(p.at("id")), 200,
                                              [](const std::optional<AdmittedRevision>& r) {
                                                return json{{"revision", AdmittedJson(r)}};
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
                              {"admitted", AdmittedJson(admitted.value())}});
              }));
  // What the committee checks beside the application: the SIRET's check key (core's
  // IsValidSiret: 14 digits and the Luhn key, La Poste's rule) and who adhered to the charter.
  router_.Add(
      "GET", "/api/committee/initiatives/{id}/checks",
      guard_.Guarded(
          Role::kAnyStaff, [this](const Principal&, const HttpRequest&, const PathParams& p) {
            auto view = initiatives_.GetFull(p.at("id"));
            if (!view.ok()) return FailureResponse(view.failure());
            const Initiative& i = view.value().initiative;
            json siret = nullptr;
            if (i.fields.siret && !i.fields.siret->empty()) {
              siret = {{"value", NormalizeSiret(*i.fields.siret)},
                       {"valid", IsValidSiret(NormalizeSiret(*i.fields.siret))}};
            }
            json charter = nullptr;
            if (i.charter_version > 0) {
              charter = {
                  {"version", i.charter_version},
                  {"adhered_by",
                   i.charter_adhered_by.empty() ? json(nullptr) : json(i.charter_adhered_by)},
                  {"adhered_at", i.charter_adhered_at ? json(FormatRfc3339(*i.charter_adhered_at))
                                                      : json(nullptr)}};
            }
            return JsonResponse(200, json{{"siret", siret}, {"charter", charter}});
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
  router_.Add("POST", "/api/committee/initiatives/{id}/votes",
              guard_.Guarded(
                  Role::kMember,
                  with_body([this](const Principal& who, const json& body, const std::string& id) {
                    return Respond(committee_.Vote(who, id,
                                                   {JsonString(body, "vote", nullptr),
                                                    JsonString(body, "reason", nullptr)}),
                                   201, [](const VoteOutcome& o) {
                                     json j = {{"status", o.status},
                                               {"rule", o.rule.explanation},
                                               {"outcome", RuleOutcomeJson(o.rule)},
                                               {"decision", nullptr}};
                                     if (o.decision) {
                                       j["decision"] = {{"id", *o.decision_id},
                                                        {"decision", *o.decision},
                                                        {"subject", o.subject}};
                                     }
                                     return j;
                                   });
                  })));
  router_.Add("POST", "/api/committee/initiatives/{id}/conflicts",
              guard_.Guarded(Role::kMember, with_body([this](const Principal& who, const json& body,
                                                             const std::string& id) {
                               return Respond(committee_.DeclareConflict(
                                                  who, id, JsonString(body, "reason", nullptr)),
                                              201, [](bool) {
                                                return json{{"declared", true}};
                                              });
                             })));
  router_.Add("POST", "/api/committee/initiatives/{id}/reviews",
              guard_.Guarded(Role::kChair, with_body([this](const Principal& who, const json& body,
                                                            const std::string& id) {
                               return Respond(committee_.OpenReview(
                                                  who, id, JsonString(body, "reason", nullptr)),
                                              201, [](bool) {
                                                return json{{"under_review", true}};
                                              });
                             })));
}

}  // namespace ess::node
