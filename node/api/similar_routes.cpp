// GET /api/initiatives/similar?siret=&name=&commune= (anyone): the registration form's soft
// duplicate warning (node/service/similar_service.h). Rate limited per client address
// (each call may ask the hub); registered before /api/initiatives/{id}, which would take it.
#include "node/api/node_api.h"

namespace ess::node {

using nlohmann::json;

namespace {

json SimilarJson(const SimilarRecord& r, const std::string& url, const char* where) {
  return json{{"id", r.id},           {"name", r.name},
              {"commune", r.commune}, {"commune_name", r.commune_name},
              {"region", r.region},   {"reason", r.reason},
              {"where", where},       {"url", url}};
}

std::string Encoded(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

void NodeApi::AddSimilarRoutes() {
  router_.Add("GET", "/api/initiatives/similar", [this](const HttpRequest& req, const PathParams&) {
    if (auto refused = Throttle(similar_limiter_, req)) return *refused;
    SimilarRequest request;
    for (auto [name, target] :
         {std::pair{"siret", &request.siret}, std::pair{"name", &request.name},
          std::pair{"commune", &request.commune}}) {
      std::string value = req.Query(name).value_or("");
      if (value.size() > 800) {
        return HttpResponse::Error(422, "invalid_parameter",
                                   std::string("« ") + name + " » est trop long.", name);
      }
      *target = std::move(value);
    }
    auto found = similar_.Find(request);
    if (!found.ok()) return FailureResponse(found.failure());
    const SimilarFound& f = found.value();
    json items = json::array();
    for (const SimilarRecord& r : f.region) {
      items.push_back(SimilarJson(r, "/initiative.html?id=" + Encoded(r.id), "region"));
    }
    const std::string& hub = context_.settings.hub_public_url;
    for (const SimilarRecord& r : f.national) {
      const std::string url = hub.empty() ? std::string()
                                          : hub + "/initiative.html?region=" + Encoded(r.region) +
                                                "&id=" + Encoded(r.id);
      items.push_back(SimilarJson(r, url, "hub"));
    }
    json body{{"similar", items}, {"hub_checked", f.hub_checked}};
    if (!f.hub_checked) {
      body["message"] =
          "Le site national n'a pas pu être consulté : seules les fiches de la région ont été "
          "vérifiées.";
    }
    return JsonResponse(200, body);
  });
}

}  // namespace ess::node
