#pragma once
// Expected domain outcomes that refuse a request: values, never exceptions. The HTTP
// adapter maps the kind to a status; the code, message (French) and field go to the client
// as {code, message, field}, and a refusal of several fields at once (one-pass validation)
// also as "errors": [{code, message, field}, ...], the first of which is the Failure's own.

#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace ess::node {

enum class FailureKind {
  kInvalid,       // 400/422: the input breaks a rule
  kUnauthorized,  // 401: no valid session or edit token
  kForbidden,     // 403: authenticated but not allowed
  kNotFound,      // 404
  kConflict,      // 409: not possible in the current state
  kGone,          // 410: erased
  kUnavailable,   // 503: the node cannot do it now (e.g. no referential yet)
};

// One broken rule of one input field.
struct FieldError {
  std::string code;
  std::string message;
  std::string field;
};

struct Failure {
  FailureKind kind = FailureKind::kInvalid;
  std::string code;     // stable, snake_case: "invalid_siret", "already_voted"...
  std::string message;  // for people, in French
  std::string field;    // the input field at fault, if any
  // Every field error when the input was checked in one pass (ValidateInitiativeInput), in
  // the form's order; code, message and field above are the first one's. Empty otherwise.
  std::vector<FieldError> errors;

  static Failure Invalid(std::string code, std::string message, std::string field = {}) {
    return {FailureKind::kInvalid, std::move(code), std::move(message), std::move(field), {}};
  }
  static Failure Of(FailureKind kind, std::string code, std::string message) {
    return {kind, std::move(code), std::move(message), {}, {}};
  }
  // kInvalid with every error of `errors` (not empty), the first one as code, message, field.
  static Failure OfFieldErrors(std::vector<FieldError> errors) {
    Failure out = Invalid(errors.front().code, errors.front().message, errors.front().field);
    out.errors = std::move(errors);
    return out;
  }
};

// A value or the Failure that prevented it.
template <typename T>
class Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Failure failure) : state_(std::move(failure)) {}  // NOLINT

  bool ok() const { return state_.index() == 0; }
  const T& value() const { return std::get<0>(state_); }
  T& value() { return std::get<0>(state_); }
  const Failure& failure() const { return std::get<1>(state_); }

 private:
  std::variant<T, Failure> state_;
};

}  // namespace ess::node
