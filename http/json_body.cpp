#include "http/json_body.h"

namespace ess {

JsonBody ParseJsonBody(const HttpRequest& request, std::size_t max_bytes, bool empty_is_object) {
  JsonBody out;
  if (request.body.size() > max_bytes) {
    out.error = HttpResponse::Error(413, "too_large",
                                    "Requête trop volumineuse (au plus " +
                                        std::to_string(max_bytes / 1024) + " Kio).");
    return out;
  }
  if (request.body.empty() && empty_is_object) {
    out.value = nlohmann::json::object();
    return out;
  }
  // Strict parsing: invalid UTF-8 and trailing garbage are refused, never "repaired".
  auto parsed = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) {
    out.error = HttpResponse::Error(400, "malformed_json", "Le corps de la requête n'est pas du JSON valide.");
    return out;
  }
  if (!parsed.is_object()) {
    out.error = HttpResponse::Error(400, "malformed_json", "Le corps de la requête doit être un objet JSON.");
    return out;
  }
  out.value = std::move(parsed);
  return out;
}

std::optional<std::string> JsonString(const nlohmann::json& object, const char* key,
                                      std::string* type_error) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) {
    if (type_error) *type_error = std::string("« ") + key + " » doit être une chaîne de caractères.";
    return std::nullopt;
  }
  return it->get<std::string>();
}

CredentialsBody ReadSignInCredentials(const nlohmann::json& body) {
  auto email = JsonString(body, "email", nullptr);
  auto password = JsonString(body, "password", nullptr);
  if (!email || !password) {
    return {std::nullopt,
            HttpResponse::Error(422, "required", "Adresse et mot de passe sont obligatoires.",
                                !email ? "email" : "password")};
  }
  return {SignInCredentials{*email, *password}, std::nullopt};
}

}  // namespace ess
