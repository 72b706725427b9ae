#pragma once
// CSV as RFC 4180 writes it (quoted fields, doubled quotes, CRLF or LF line ends), with a
// chosen separator (French spreadsheets use ';').

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ess::node {

using CsvRow = std::vector<std::string>;

struct CsvTable {
  std::vector<CsvRow> rows;  // the header is rows[0] when the file has one
  std::string error;         // set when the text is not CSV (unterminated quote...)
  std::size_t error_line = 0;
};

// Parses `text`; a UTF-8 byte order mark is skipped; blank lines are skipped.
CsvTable ParseCsv(std::string_view text, char separator = ',');

// One field, quoted when needed. A field starting with = + - @ (a formula for spreadsheet
// programs) is prefixed with ' so that opening an export never runs anything.
std::string CsvField(std::string_view value, char separator = ',');
// A whole line ending with CRLF.
std::string CsvLine(const std::vector<std::string>& fields, char separator = ',');

}  // namespace ess::node
