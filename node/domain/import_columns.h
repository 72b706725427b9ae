#pragma once
// How the CSV import reads a network's own spreadsheet: which field a column header names
// (by the field's code, the form's French label, its English label or a common synonym,
// folded as core/text_fold.h folds: case, accents, punctuation ignored), and the values of
// the cells that have a list of accepted values (families, legal forms and activities by
// code or label, communes by INSEE code or by name with a postcode or a department, yes/no
// in French or English). docs/node.md lists the names and values accepted.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/place_finder.h"
#include "core/referential.h"
#include "node/domain/failure.h"

namespace ess::node {

struct ImportField {
  // The field, as the API's mapping names it: "legal_form"; "department" is no field of the
  // record: it only tells homonymous communes apart.
  std::string_view key;
  std::string_view label_fr;  // the form's label: "Forme juridique" (the template's header)
  std::string_view label_en;
  std::vector<std::string_view> synonyms;  // other headers for it, already folded
};

// Every field an import reads, in the template's column order.
const std::vector<ImportField>& ImportFields();
const ImportField* FindImportField(std::string_view key);

// The field a header cell names, or nullptr.
const ImportField* ImportFieldOfHeader(std::string_view header);

// field -> header cell for every header cell that names a field (the first cell wins when
// two name the same field).
std::map<std::string, std::string> ProposeImportMapping(const std::vector<std::string>& header);

// What identifies a spreadsheet's layout: its header cells folded, joined by "|". A mapping
// chosen for one file is proposed again for the next file with the same signature.
std::string ImportHeaderSignature(const std::vector<std::string>& header);

// The code of the entry of `list` that `cell` names: its code, its label, its label without
// a part in parentheses ("SCOP" for "SCOP (société coopérative et participative)") or that
// part ("ESUS"), all folded. nullopt when none or several entries match.
std::optional<std::string> MatchReferentialCode(const std::vector<ReferentialEntry>& list,
                                                std::string_view cell);

// A yes/no cell: oui/non, o/n, vrai/faux, x (yes), 1/0, yes/no, y, true/false, folded;
// nullopt for anything else.
std::optional<bool> ReadYesNo(std::string_view cell);

// The INSEE code of the commune a cell names: a code of the referential as it is; else a
// name of the region's communes (`places`: PlaceFinder::Of the node's region), told apart by
// `postcode` (the row's, may be empty), by `department` (the row's department code, may be
// empty; "4" reads "04") or by a department in parentheses ("Saint-Rémy (13)").
// A blank cell with a postcode that one commune alone has gives that commune. A Failure
// (field "commune") when the name is unknown, matches none with that postcode or department,
// or several; nullopt for a blank cell with nothing to tell.
Result<std::optional<std::string>> MatchCommune(const PlaceFinder& places,
                                                const Referential& referential,
                                                std::string_view cell, std::string_view postcode,
                                                std::string_view department = {});

}  // namespace ess::node
