#pragma once
// Reading an initiative from a request body (submission, the owner's and the admin's edits)
// into the services' typed inputs. Only keys and JSON types are checked here, each refused
// with its {code, message, field} in French: 400 `malformed_json` for a body that is not an
// object, `unknown_field` for a key the draft does not have (in `offers[i]` and `private`
// too), `invalid_type` for a value of another type (a text, a number, true or false, a list
// of codes, a list of offer objects, an object). A null value is absent. The rules are the
// service's (ValidateInitiativeInput), checked once the body has been read: a body with a
// mistyped field and a rule broken in another reports the mistyped one.

#include <nlohmann/json.hpp>

#include "node/domain/failure.h"
#include "node/domain/initiative_draft.h"
#include "node/service/initiative_service.h"

namespace ess::node {

// An edit: the keys of InitiativeDraft (docs/node-api.yaml), "private" for its private fields.
Result<InitiativeDraft> InitiativeDraftFromJson(const nlohmann::json& body);

// A submission: the draft's keys plus "charter": {"version": n, "adhered_by": "..."}. A
// charter that is not an object is absent; inside it, a version that is not an integer or
// a name that is not a text is absent (the service refuses what is missing), other keys are
// ignored.
Result<InitiativeSubmission> InitiativeSubmissionFromJson(const nlohmann::json& body);

}  // namespace ess::node
