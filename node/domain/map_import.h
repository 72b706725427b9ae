#pragma once
// Imports from other maps (docs/interop.md, « Importer depuis une autre carte »): a GoGoCarto
// JSON export, a GeoJSON FeatureCollection of points, or a JSON-LD feed in this federation's
// vocabulary (another federation's /api/feeds/initiatives.jsonld) becomes the table the CSV
// import reads (import_service.h), so that it goes through the same mapping, dry run and
// all-or-nothing commit:
//   - each item is one row; its line is its position in the document (1 = the first item);
//   - the fields the format names are columns named by the import's field keys (GoGoCarto's
//     geo.latitude is "latitude", address.addressLocality "commune"...; see kFormatColumns in
//     map_import.cpp), every other value a column named by its path ("openHours.Mo"), nested
//     objects flattened with '.', lists of values joined with the list separator;
//   - GoGoCarto's categories (names, or objects with a name) are matched to the referential:
//     a family, a legal form or activities, by code or label as a CSV cell is, or through the
//     `categories` correspondence the admin gives (label -> code); a category matching none
//     goes to the activities column, where the row's check reports it;
//   - each item's id at its source (id, @id) is kept, for the record's history.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/csv.h"
#include "core/referential.h"
#include "node/domain/failure.h"

namespace ess::node {

enum class ImportFormat { kCsv, kGoGoCarto, kGeoJson, kJsonLd };

// "csv", "gogocarto", "geojson", "jsonld"; nullopt for anything else.
std::optional<ImportFormat> ParseImportFormat(std::string_view text);
std::string_view ImportFormatName(ImportFormat format);

struct MapDocumentTable {
  CsvTable table;                       // rows[0] is the header
  std::vector<std::string> source_ids;  // per data row: the item's id at its source, or ""
};

// The rows of `document` (UTF-8 JSON text) in `format` (not kCsv). kInvalid for a text that is
// not JSON or not that format's shape (field "document"), an item that is no object, more
// than `max_items` items, or a `categories` code that names no family, legal form or activity
// (field "categories.<label>").
Result<MapDocumentTable> MapDocumentToTable(std::string_view document, ImportFormat format,
                                            const Referential& referential,
                                            const std::map<std::string, std::string>& categories,
                                            char list_separator, std::size_t max_items);

}  // namespace ess::node
