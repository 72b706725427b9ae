#pragma once
// CSV as RFC 4180 writes it (quoted fields, doubled quotes, CRLF or LF line ends), with a
// chosen separator (French spreadsheets use ';'): the node's import reads it, the node's and
// the hub's exports write it.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ess {

using CsvRow = std::vector<std::string>;

struct CsvTable {
  std::vector<CsvRow> rows;  // the header is rows[0] when the file has one
  std::string error;         // set when the text is not CSV (unterminated quote...)
  std::size_t error_line = 0;
};

// Parses `text`; a UTF-8 byte order mark is skipped; blank lines are skipped.
CsvTable ParseCsv(std::string_view text, char separator = ',');

// One field, quoted when it holds a quote, a line end, the separator, ',' or ';' (so that a
// spreadsheet guessing either separator reads it whole). A field starting with = + - @ (a
// formula for spreadsheet programs) that is not a plain number is prefixed with ' so that
// opening an export never runs anything; numbers such as "-5.30000" stay as they are.
std::string CsvField(std::string_view value, char separator = ',');
// A whole line ending with CRLF.
std::string CsvLine(std::span<const std::string> fields, char separator = ',');
inline std::string CsvLine(std::initializer_list<std::string> fields, char separator = ',') {
  return CsvLine(std::span<const std::string>(fields.begin(), fields.size()), separator);
}
// A list in one cell: "a|b|c" (the exports' activities).
std::string CsvList(std::span<const std::string> values, char separator = '|');
// A yes/no cell of both exports: "oui", "non", or empty when not given.
std::string CsvYesNo(std::optional<bool> value);

}  // namespace ess
