#pragma once
// What a CSV import reports (import_service.h): the rows checked, each invalid row's first
// error, what was imported. Shown to the admin and kept with a background import's job.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ess::node {

struct ImportRowError {
  std::size_t row;  // data row number, 1 = first row after the header
  std::string field, code, message;
  bool operator==(const ImportRowError&) const = default;
};

struct ImportReport {
  bool dry_run = false;
  std::size_t rows = 0;                // data rows in the file
  std::size_t valid = 0;               // rows without error
  std::vector<ImportRowError> errors;  // the first kImportErrorsReported
  std::size_t error_count = 0;         // every invalid row
  std::vector<std::string> ids;        // the imported initiatives, in file order
  bool operator==(const ImportReport&) const = default;
};

inline constexpr std::size_t kImportErrorsReported = 200;

// {"dry_run", "rows", "valid", "errors": [{"row", "field", "code", "message"}],
//  "error_count", "imported" (the number of ids), "ids"}: the API's answer and the stored
// form (import_job.report). ImportReportFromJson reads what ImportReportJson wrote.
nlohmann::json ImportReportJson(const ImportReport& report);
ImportReport ImportReportFromJson(const nlohmann::json& json);

}  // namespace ess::node
