#pragma once
// CSV import of an existing regional database (admin): a column mapping, a dry run that
// reports every row's first error, and an all-or-nothing commit in one transaction in which
// every imported initiative is journalled (one initiative record each).
//
// Input JSON:
//   "csv":            the file's text (UTF-8), header row first
//   "separator":      "," (default) or ";"
//   "list_separator": separator of codes inside the activities column, default "|"
//   "mapping":        {field: column header}; fields: name, family, legal_form, activities,
//                     description, address, postcode, commune, latitude, longitude, email,
//                     phone, website, siret, employer, contact_name, contact_email,
//                     contact_phone. Without a mapping, columns are named after the fields.
//   "status":         "pending" (default: the committee reviews each one) or "admitted"
//                     (the regional database was already vetted)
//   "dry_run":        true to check only
// Imported initiatives adhere to no charter version yet: they are asked to re-adhere.

#include <nlohmann/json.hpp>

#include "node/domain/failure.h"
#include "node/service/account_service.h"
#include "node/service/node_context.h"

namespace ess::node {

class ImportService {
 public:
  explicit ImportService(const NodeContext& context) : context_(context) {}

  // {"dry_run", "rows", "valid", "errors": [{"row", "field", "code", "message"}],
  //  "imported", "ids"}. A commit with errors imports nothing and answers kInvalid
  // `import_rejected` (the report goes with it in `report`).
  struct Outcome {
    nlohmann::json report;
    bool rejected = false;
  };
  Result<Outcome> Import(const Principal& admin, const nlohmann::json& input);

 private:
  const NodeContext& context_;
};

}  // namespace ess::node
