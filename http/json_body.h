#pragma once
// Reading a JSON request body at the HTTP boundary: size limit, syntax, top-level object.
// Failures come back as the error response to send, in French, never as exceptions.

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/http_types.h"

namespace ess {

struct JsonBody {
  std::optional<nlohmann::json> value;  // a JSON object, when the body is acceptable
  std::optional<HttpResponse> error;    // otherwise what to answer
};

// 413 `too_large` over `max_bytes`; 400 `malformed_json` when the body is not JSON (or not
// valid UTF-8); 400 `malformed_json` when it is not an object. An empty body is `{}` only if
// `empty_is_object`.
JsonBody ParseJsonBody(const HttpRequest& request, std::size_t max_bytes,
                       bool empty_is_object = false);

// A body field read with its expected type. nullopt when absent or null; `type_error` set
// (with the French message) when present with another type.
std::optional<std::string> JsonString(const nlohmann::json& object, const char* key,
                                      std::string* type_error);

// A sign-in's fields, the node staff's and the hub pilot's alike.
struct SignInCredentials {
  std::string email, password;
};
struct CredentialsBody {
  std::optional<SignInCredentials> value;  // when both are strings
  std::optional<HttpResponse> error;       // otherwise 422 `required` naming the first missing
};
CredentialsBody ReadSignInCredentials(const nlohmann::json& body);

}  // namespace ess
