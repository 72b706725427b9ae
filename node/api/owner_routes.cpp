// Routes of the owner's private edit link (X-Edit-Token), checked against the initiative in the
// path.
#include "node/api/node_api.h"

#include "http/json_body.h"
#include "node/api/api_json.h"
#include "node/api/initiative_json_input.h"

namespace ess::node {

using nlohmann::json;

namespace {

constexpr const char* kEditTokenHeader = "X-Edit-Token";

// {"charter_version": n, "adhered_by": "..."}.
Adherence AdherenceOf(const json& body) {
  auto version = body.find("charter_version");
  std::optional<int> charter_version;
  if (version != body.end() && version->is_number_integer()) charter_version = version->get<int>();
  return {charter_version, JsonString(body, "adhered_by", nullptr)};
}

// The owner's view: the full view, the committee's standing request for changes with its
// reasons (members' words, no names), and whether contact edits are published without a vote.
json OwnerViewJson(const InitiativeView& view) {
  json j = ViewJson(view, true);
  if (view.changes_requested) {
    const ChangesRequest& c = *view.changes_requested;
    j["changes_requested"] = {{"subject", c.subject},
                              {"requested_at", FormatRfc3339(c.requested_at)},
                              {"reasons", c.reasons}};
  } else {
    j["changes_requested"] = nullptr;
  }
  j["contact_edits_without_vote"] = view.contact_edits_without_vote;
  return j;
}

}  // namespace

void NodeApi::AddOwnerRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  auto as_initiative = [this](const Initiative& i) { return InitiativeJson(i, context_.clock); };
  // Every owner route checks the private edit token against the initiative in the path.
  auto owner = [this](auto handler) {
    return [this, handler](const HttpRequest& req, const PathParams& p) -> HttpResponse {
      if (auto refused = initiatives_.CheckEditToken(p.at("id"), req.Header(kEditTokenHeader))) {
        return FailureResponse(*refused);
      }
      return handler(req, p.at("id"));
    };
  };
  router_.Add("GET", "/api/initiatives/{id}/owner",
              owner([this](const HttpRequest&, const std::string& id) {
                return Respond(initiatives_.GetFull(id), 200, OwnerViewJson);
              }));
  router_.Add("PUT", "/api/initiatives/{id}/owner",
              owner([this, limit](const HttpRequest& req, const std::string& id) {
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                auto draft = InitiativeDraftFromJson(*body.value);
                if (!draft.ok()) return FailureResponse(draft.failure());
                return EditResponse(initiatives_.Edit(id, draft.value(), "owner"), context_.clock);
              }));
  router_.Add("POST", "/api/initiatives/{id}/owner/confirm",
              owner([this, as_initiative](const HttpRequest&, const std::string& id) {
                return Respond(initiatives_.ConfirmCurrent(id, "owner"), 200, as_initiative);
              }));
  router_.Add("POST", "/api/initiatives/{id}/owner/adhere",
              owner([this, limit, as_initiative](const HttpRequest& req, const std::string& id) {
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                return Respond(initiatives_.Adhere(id, AdherenceOf(*body.value), "owner"), 200,
                               as_initiative);
              }));
  router_.Add("POST", "/api/initiatives/{id}/owner/withdraw",
              owner([this, as_initiative](const HttpRequest&, const std::string& id) {
                return Respond(initiatives_.Withdraw(id, "owner"), 200, as_initiative);
              }));
  router_.Add("POST", "/api/initiatives/{id}/owner/erase",
              owner([this](const HttpRequest&, const std::string& id) {
                return Respond(initiatives_.Erase(id, /*by_owner=*/true, "owner"), 200, [](bool) {
                  return json{{"erased", true}};
                });
              }));
  router_.Add("DELETE", "/api/initiatives/{id}/owner/link",
              owner([this](const HttpRequest& req, const std::string& id) {
                return Respond(
                    initiatives_.RevokeEditLinks(id, req.Header(kEditTokenHeader), "owner"), 200,
                    [](int n) {
                      return json{{"revoked", n}};
                    });
              }));
}

}  // namespace ess::node
