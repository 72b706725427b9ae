#pragma once
// CSV import of an existing regional database (admin), or of another map's document read as
// a table (node/domain/map_import.h: GoGoCarto, GeoJSON, JSON-LD): the file's encoding and
// separator detected, a column mapping (proposed from the header, node/domain/import_columns.h, or
// the one chosen last time for the same header), a dry run that reports every error of every row
// with the line a spreadsheet shows it on, and an all-or-nothing commit in one transaction in which
// every imported initiative is journalled (one initiative record each, one append): a file with any
// invalid row imports nothing, so that fixing the file and sending it again never imports a row
// twice. Imported initiatives adhere to no charter version yet: they are asked to re-adhere.
//
// The work comes in three steps so that a background job (import_jobs.h) can report its
// progress: Prepare (the request's shape, fast), Validate (row by row), Commit (one
// transaction). Import() runs the three at once.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/csv.h"
#include "core/place_finder.h"
#include "node/domain/failure.h"
#include "node/domain/import_report.h"
#include "node/domain/initiative_validation.h"
#include "node/domain/map_import.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"

namespace ess::node {

// An import as the admin asks for it (the admin API reads it from JSON).
struct ImportSettings {
  // "csv", or another map's document: "gogocarto", "geojson", "jsonld"
  // (node/domain/map_import.h).
  std::string format = "csv";
  // The file's bytes, header row first: UTF-8 (with or without a byte order mark) or
  // Windows-1252 (core/csv.h DecodeSpreadsheetText).
  std::optional<std::string> csv;
  // Another map's document (UTF-8 JSON), and the correspondence of its category names to the
  // referential's codes (label -> family, legal form or activity code).
  std::optional<std::string> document;
  std::map<std::string, std::string> categories;
  std::string separator = "auto";    // ",", ";", "\t", or "auto": detected from the header
  std::string list_separator = "|";  // between the activities of the activities column
  // "pending" (the committee reviews each one) or "admitted" (the regional database was
  // already vetted).
  std::string status = "pending";
  // field -> column header. Fields: name, family, legal_form, activities, description,
  // address, postcode, commune, latitude, longitude, email, phone, website, siret, employer,
  // contact_name, contact_email, contact_phone, confirmed_at, and department (a commune's,
  // telling homonyms apart; not stored: the commune gives it). Without a mapping (nullopt)
  // or with an empty one, the mapping last chosen for the same header (ImportHeaderSignature)
  // applies, else the one proposed from the header's names (ProposeImportMapping); with one,
  // every column must exist, and it is remembered for that header.
  std::optional<std::map<std::string, std::string>> mapping;
  bool dry_run = false;  // check only
};

// A request whose shape is checked: the file decoded and parsed, its columns mapped.
struct ImportRequest {
  ImportFormat format = ImportFormat::kCsv;
  CsvTable table;                               // rows[0] is the header
  std::vector<std::string> source_ids;          // per data row, a document's item id; or none
  std::string encoding;                         // DecodedText::encoding
  char separator = ',';                         // as given or detected
  std::string signature;                        // ImportHeaderSignature of the header
  std::map<std::string, std::string> mapping;   // field -> column header, as applied
  std::string mapping_source;                   // "chosen", "remembered" or "proposed"
  std::map<std::string, std::size_t> columns;   // field -> column index
  char list_separator = '|';
  bool admitted = false;                        // the status to give: admitted, else pending
  bool dry_run = false;
  std::size_t rows() const { return table.rows.empty() ? 0 : table.rows.size() - 1; }
};

struct ImportValidation {
  std::vector<InitiativeInput> valid;
  std::vector<UnixSeconds> confirmed_at;  // per valid row
  std::vector<std::size_t> lines;         // per valid row: its line in the file
  std::vector<std::size_t> data_rows;     // per valid row: its row, 1 = the first data row
  std::vector<ImportRowError> errors;     // every error of every invalid row
  std::vector<std::size_t> rejected_lines;
};

class ImportService {
 public:
  explicit ImportService(const NodeContext& context) : context_(context) {}

  // Checks everything but the rows: kInvalid for a missing or unreadable csv, a bad
  // separator or status, an unknown mapping field or column, no data row, more rows than
  // import-rows-max; kUnavailable `no_referential` while none is loaded. Reads the mapping
  // remembered for the header when none is given.
  Result<ImportRequest> Prepare(const ImportSettings& settings);
  // Keeps a mapping the admin chose (mapping_source "chosen") for the request's header, so
  // that it is proposed for the next file with the same header; nothing otherwise.
  void RememberMapping(const ImportRequest& request, const std::string& actor);
  // Validates every row against the referential: every cell converted (labels and codes,
  // communes by name, yes/no), then every rule in one pass, so a row reports all its errors
  // at once, each with its line and column; `on_checked(n)` runs after each of the n rows
  // checked so far (it may throw to abort).
  ImportValidation Validate(const ImportRequest& request,
                            const std::function<void(std::size_t checked)>& on_checked = {});
  // The report of a validation (the first kImportErrorsReported errors), with the ids
  // imported if it was committed.
  static ImportReport Report(const ImportRequest& request, const ImportValidation& validation,
                             const std::vector<std::string>& ids = {});
  // Imports every valid row (the validation must have no error) in one transaction, each
  // journalled, with `actor` in their history. `on_saved(n)` runs after each row written
  // (inside the transaction: it must not use it); `before_commit(txn, ids)` runs last in the
  // transaction, so what it writes commits with the import or not at all. Returns the ids,
  // or AppendBlocked() (node_context.h) while the journal is blocked. Database errors
  // propagate (nothing is imported either way).
  Result<std::vector<std::string>> Commit(
      const ImportRequest& request, const ImportValidation& validation, const std::string& actor,
      const std::function<void(std::size_t saved)>& on_saved = {},
      const std::function<void(pqxx::transaction_base&, const std::vector<std::string>&)>&
          before_commit = {});

  // The three steps at once, the caller waiting. A commit with errors imports nothing and
  // sets `rejected` (kInvalid `import_rejected` for the client, with the report).
  struct Outcome {
    ImportReport report;
    bool rejected = false;
  };
  Result<Outcome> Import(const Principal& admin, const ImportSettings& settings);

 private:
  // The region's places (PlaceFinder) for the referential in force, built once per
  // referential: communes are found by name as the search by place finds them.
  std::shared_ptr<const PlaceFinder> Places(const std::shared_ptr<const Referential>& referential);

  const NodeContext& context_;
  std::mutex places_mutex_;
  std::shared_ptr<const Referential> places_source_;
  std::shared_ptr<const PlaceFinder> places_;
};

}  // namespace ess::node
