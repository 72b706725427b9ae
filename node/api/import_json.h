#pragma once
// The CSV import's JSON at the admin API (docs/node-api.yaml): the request read into
// ImportSettings, a background job's view written out. The report's JSON is the domain's
// (import_report.h), the same the job store keeps.

#include <nlohmann/json.hpp>

#include "node/domain/failure.h"
#include "node/service/import_jobs.h"
#include "node/service/import_service.h"

namespace ess::node {

// {"csv" (the file as text) or "csv_base64" (its bytes, any encoding Prepare reads),
// "separator" (default "auto"), "list_separator", "status", "mapping": {field: column},
// "dry_run"}; other keys are ignored. kInvalid `invalid_type` (field csv) for a csv_base64
// that is not base64. A csv that is not a text is absent (Prepare: `required`); a
// separator, list separator or status that is not a text reads as "" (Prepare refuses it as
// any wrong value). kInvalid `invalid_type` for a dry_run other than true or false, a
// mapping that is not an object (mapping) or a column that is not a text (mapping.<field>).
Result<ImportSettings> ImportSettingsFromJson(const nlohmann::json& body);

// What the column step shows: {"encoding", "separator", "headers", "rows", "signature",
// "mapping": {field: column}, "mapping_source" (chosen, remembered, proposed), "fields":
// [{"field", "label_fr", "label_en"}]} (every field, in the template's order).
nlohmann::json ImportColumnsJson(const ImportRequest& request);

// {"id", "state", "status" (given to the imported), "rows", "checked", "saved", "percent",
//  "created_at", "created_by", "finished_at" (or null), "report" (once validated, or null),
//  "error" ({code, message} or null)}.
nlohmann::json ImportJobJson(const ImportJobView& view);

}  // namespace ess::node
