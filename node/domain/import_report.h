#pragma once
// What a CSV import reports (import_service.h): the rows checked, every error of every
// invalid row, which lines were imported and which were not. Shown to the admin and kept with a
// background import's job.

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace ess::node {

struct ImportRowError {
  std::size_t row = 0;   // data row number, 1 = first row after the header
  std::size_t line = 0;  // the row's line as a spreadsheet shows it: the header is line 1
  std::string field;     // the record's field ("legal_form", "activities[1]"), or empty
  std::string column;    // the file's column header it was read from, or empty
  std::string code, message;
  bool operator==(const ImportRowError&) const = default;
};

struct ImportReport {
  bool dry_run = false;
  std::size_t rows = 0;                // data rows in the file
  std::size_t valid = 0;               // rows without error
  std::vector<ImportRowError> errors;  // the first kImportErrorsReported, every one of a row
  std::size_t error_count = 0;         // every invalid row
  std::vector<std::size_t> rejected_lines;  // the line of every invalid row
  std::vector<std::string> ids;             // the imported initiatives, in file order
  std::vector<std::size_t> imported_lines;  // the line of each of them
  // From another map's document (map_import.h): its format and each imported item's id there.
  std::string source;
  std::vector<std::string> source_ids;
  bool operator==(const ImportReport&) const = default;
};

inline constexpr std::size_t kImportErrorsReported = 200;

// {"dry_run", "rows", "valid", "errors": [{"row", "line", "field", "column", "code",
//  "message"}], "error_count", "rejected_lines", "imported" (the number of ids), "ids",
//  "imported_lines", and from a document "source" and "source_ids"}: the API's answer and the
//  stored
// form (import_job.report). ImportReportFromJson reads what ImportReportJson wrote.
nlohmann::json ImportReportJson(const ImportReport& report);
ImportReport ImportReportFromJson(const nlohmann::json& json);

}  // namespace ess::node
