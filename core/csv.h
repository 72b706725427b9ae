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
  // The line each row starts on, as a spreadsheet numbers them: the first line is 1, blank
  // lines and the line ends inside quoted fields count. Same size as rows.
  std::vector<std::size_t> lines;
  std::string error;  // set when the text is not CSV (unterminated quote...)
  std::size_t error_line = 0;
};

// Parses `text`; a UTF-8 byte order mark is skipped; blank lines are skipped.
CsvTable ParseCsv(std::string_view text, char separator = ',');

// The separator of a file as spreadsheets save it: the one of ';', ',' and tab found most
// often outside quotes on the first line (the header); ',' when none is (a single column)
// or on a tie.
char DetectCsvSeparator(std::string_view text);

// A file's bytes as UTF-8 text and the encoding they were read in: "utf-8" (valid UTF-8),
// "utf-8-bom" (the same after a byte order mark, which is dropped), else "windows-1252"
// (what French spreadsheet programs save as "CSV" on Windows; it is a superset of
// Latin-1, so ISO-8859-1 files read the same except for their rare C1 controls), each
// byte converted (0x80..0x9F by Windows' table; its five undefined bytes become U+FFFD).
struct DecodedText {
  std::string text;
  std::string encoding;
};
DecodedText DecodeSpreadsheetText(std::string_view bytes);
// Whether `text` is well-formed UTF-8 (no overlong form, surrogate or code point past
// U+10FFFF).
bool IsValidUtf8(std::string_view text);

// One field, quoted when it holds a quote, a line end, the separator, ',' or ';' (so that a
// spreadsheet guessing either separator reads it whole). A field starting with = + - @ (a
// formula for spreadsheet programs) that is not a plain number is prefixed with ' so that
// opening an export never runs anything; numbers such as "-5.30000" or
// "-5,30000" (a decimal comma) stay as they are.
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
