// A committee member's invitation, from its link (node/service/invitation_service.h): the
// page /invitation.html reads the token from the link's fragment (never sent in a URL to
// the server) and posts it in the body. No session: the token is the credential.
#include "node/api/node_api.h"

#include "http/json_body.h"
#include "node/api/api_json.h"

namespace ess::node {

using nlohmann::json;

void NodeApi::AddInvitationRoutes() {
  const std::size_t limit = context_.settings.json_body_limit;
  auto view_json = [](const InvitationView& v) {
    return json{{"name", v.name}, {"email", v.email}, {"expires_at", FormatRfc3339(v.expires_at)}};
  };
  // {"token"} -> whom it invites, while it may be used.
  router_.Add("POST", "/api/invitation",
              [this, limit, view_json](const HttpRequest& req, const PathParams&) {
                if (auto refused = Throttle(public_limiter_, req)) return *refused;
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                return Respond(invitations_.Check(JsonString(*body.value, "token", nullptr)), 200,
                               view_json);
              });
  // {"token", "password"} -> the password set, the link spent; the member then signs in.
  router_.Add("POST", "/api/invitation/password",
              [this, limit, view_json](const HttpRequest& req, const PathParams&) {
                if (auto refused = Throttle(public_limiter_, req)) return *refused;
                auto body = ParseJsonBody(req, limit);
                if (body.error) return *body.error;
                return Respond(invitations_.Accept(JsonString(*body.value, "token", nullptr),
                                                   JsonString(*body.value, "password", nullptr)),
                               200, view_json);
              });
}

}  // namespace ess::node
