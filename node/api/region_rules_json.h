#pragma once
// The region's rules on the admin's page (GET/PUT /api/admin/settings and its history,
// docs/node-api.yaml): the request body read into the service's typed change, and the
// service's typed answers written as JSON. The rules themselves have one JSON form,
// RegionRulesJson (node/domain/region_rules.h), which the history's stored rows share.

#include <vector>

#include <nlohmann/json.hpp>

#include "node/domain/failure.h"
#include "node/service/region_rules_service.h"

namespace ess::node {

// The body of PUT /api/admin/settings: the RegionRulesJson fields, all required (kInvalid
// naming the field for an unknown, mistyped or missing one, or a rule broken, as
// RegionRulesFromJson says); "revision" optional (kInvalid `invalid_type` unless an
// integer); "region", "edit_link_days", "updated_at" and "updated_by", as GET gave them, may
// be sent back and are ignored.
Result<RegionRulesChange> RegionRulesChangeFromJson(const nlohmann::json& body);

// {"region", "revision", "updated_at", "updated_by", <RegionRulesJson fields>,
//  "edit_link_days"}.
nlohmann::json RegionRulesViewJson(const RegionRulesView& view);

// {"changes": [{"revision", "changed_at", "changed_by", "changes": [{"field", "before",
//  "after"}]}]}; a field's value is a number or the list of colleges, before = null for the seed.
nlohmann::json RegionRulesHistoryJson(const std::vector<RegionRulesHistoryEntry>& history);

}  // namespace ess::node
