#pragma once
// CSV import of an existing regional database (admin): a column mapping, a dry run that
// reports every row's first error, and an all-or-nothing commit in one transaction in which
// every imported initiative is journalled (one initiative record each, one append).
// Imported initiatives adhere to no charter version yet: they are asked to re-adhere.
//
// The work comes in three steps so that a background job (import_jobs.h) can report its
// progress: Prepare (the request's shape, fast), Validate (row by row), Commit (one
// transaction). Import() runs the three at once.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "core/csv.h"
#include "node/domain/failure.h"
#include "node/domain/import_report.h"
#include "node/domain/initiative_validation.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"

namespace ess::node {

// An import as the admin asks for it (the admin API reads it from JSON).
struct ImportSettings {
  std::optional<std::string> csv;    // the file's text (UTF-8), header row first
  std::string separator = ",";       // "," or ";"
  std::string list_separator = "|";  // between the codes of the activities column
  // "pending" (the committee reviews each one) or "admitted" (the regional database was
  // already vetted).
  std::string status = "pending";
  // field -> column header. Fields: name, family, legal_form, activities, description,
  // address, postcode, commune, latitude, longitude, email, phone, website, siret, employer,
  // contact_name, contact_email, contact_phone, confirmed_at. Without a mapping (nullopt)
  // or with an empty one, columns are named after the fields; without one, fields whose
  // column the header lacks are simply not imported, with one every column must exist.
  std::optional<std::map<std::string, std::string>> mapping;
  bool dry_run = false;  // check only
};

// A request whose shape is checked: the file parsed, its columns mapped.
struct ImportRequest {
  CsvTable table;                               // rows[0] is the header
  std::map<std::string, std::size_t> columns;   // field -> column index
  char list_separator = '|';
  bool admitted = false;                        // the status to give: admitted, else pending
  bool dry_run = false;
  std::size_t rows() const { return table.rows.empty() ? 0 : table.rows.size() - 1; }
};

struct ImportValidation {
  std::vector<InitiativeInput> valid;
  std::vector<UnixSeconds> confirmed_at;  // per valid row
  std::vector<ImportRowError> errors;
};

class ImportService {
 public:
  explicit ImportService(const NodeContext& context) : context_(context) {}

  // Checks everything but the rows: kInvalid for a missing or unreadable csv, a bad
  // separator or status, an unknown mapping field or column, no data row, more rows than
  // import-rows-max; kUnavailable `no_referential` while none is loaded.
  Result<ImportRequest> Prepare(const ImportSettings& settings);
  // Validates every row against the referential; `on_checked(n)` runs after each of the n
  // rows checked so far (it may throw to abort).
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
  const NodeContext& context_;
};

}  // namespace ess::node
