// Fuzz target: the JSON body reader of the HTTP layer (http/json_body.h), with the string
// field reader the adapters use. The input is a request body. Properties:
//   - an accepted body is a JSON object, which serialises (no exception: every string is
//     valid UTF-8) and parses back to the same value, with a stable serialisation;
//   - a refused body gets a 400 or a 413 whose body is a JSON error with a code;
//   - JsonString returns a string only for a string field, and a type error otherwise.
#include <cstddef>
#include <cstdint>

#include "http/json_body.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace ess;
using fuzz::Check;

constexpr std::size_t kMaxBody = 16 * 1024;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  HttpRequest request;
  request.method = "POST";
  request.body.assign(reinterpret_cast<const char*>(data), size);
  for (bool empty_is_object : {false, true}) {
    JsonBody body = ParseJsonBody(request, kMaxBody, empty_is_object);
    Check(body.value.has_value() != body.error.has_value(), "a body is both accepted and refused");
    if (body.error) {
      Check(body.error->status == (size > kMaxBody ? 413 : 400), "unexpected status");
      auto error = nlohmann::json::parse(body.error->body, nullptr, false);
      Check(error.is_object() && error.contains("code"), "the error is not a JSON error");
      continue;
    }
    const nlohmann::json& value = *body.value;
    Check(value.is_object(), "an accepted body is not an object");
    Check(size > 0 || empty_is_object, "an empty body was accepted");
    const std::string dumped = value.dump();
    const auto again = nlohmann::json::parse(dumped, nullptr, false);
    Check(again == value, "an accepted body does not round-trip through its serialisation");
    Check(again.dump() == dumped, "the serialisation of an accepted body is not stable");
    for (const auto& [key, field] : value.items()) {
      std::string type_error;
      auto text = JsonString(value, key.c_str(), &type_error);
      if (key.find('\0') != std::string::npos) continue;  // a C string cannot name it
      Check(text.has_value() == field.is_string(), "JsonString disagrees with the field's type");
      Check(type_error.empty() == (field.is_string() || field.is_null()),
            "JsonString's type error disagrees with the field's type");
    }
  }
  return 0;
}
