// Fuzz target: the CSV reader of the node's import and the writer of both exports
// (core/csv.h). The input is one byte choosing the separator (',', ';' or a tab) then the
// text. Properties:
//   - a text that parses is read back to the same rows once written in the plainest RFC 4180
//     form (every field quoted, quotes doubled), so nothing is lost or merged between rows;
//   - a row written with CsvLine reads back as the same fields, except that a field a
//     spreadsheet would take as a formula comes back with its leading ';
//   - an error names a line of the text; each row's line is a line of the text, in order;
//   - any bytes decode (DecodeSpreadsheetText) to well-formed UTF-8, valid UTF-8 unchanged
//     (less a byte order mark), and the separator detected is one of the three.
#include <algorithm>
#include <cstddef>
#include <cstdint>

#include "core/csv.h"
#include "tests/fuzz/fuzz_support.h"

namespace {

using namespace ess;
using fuzz::Check;

std::string QuotedEverywhere(const std::vector<CsvRow>& rows, char separator) {
  std::string out;
  for (const CsvRow& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i) out.push_back(separator);
      out.push_back('"');
      for (char c : row[i]) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
      }
      out.push_back('"');
    }
    out.push_back('\n');
  }
  return out;
}

// What CsvField writes a field as, read back: the field itself, or ' and the field.
bool SameOrDefused(const std::string& read, const std::string& written) {
  if (read == written) return true;
  return !written.empty() && std::string("=+-@").find(written[0]) != std::string::npos &&
         read == "'" + written;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return -1;
  const char separator = data[0] % 3 == 0 ? ',' : data[0] % 3 == 1 ? ';' : '\t';
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const DecodedText decoded = DecodeSpreadsheetText(text);
  Check(IsValidUtf8(decoded.text), "decoded text is not UTF-8");
  if (decoded.encoding != "windows-1252") {
    Check(decoded.text == (decoded.encoding == "utf-8" ? text : text.substr(3)),
          "UTF-8 text changed by decoding");
  }
  const char detected = DetectCsvSeparator(text);
  Check(detected == ',' || detected == ';' || detected == '\t',
        "separator detected is none of three");
  CsvTable table = ParseCsv(text, separator);
  const auto text_lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  if (table.error.empty()) {
    Check(table.lines.size() == table.rows.size(), "a row without its line");
    for (std::size_t i = 0; i < table.lines.size(); ++i) {
      Check(table.lines[i] >= 1 && table.lines[i] <= text_lines &&
                (i == 0 || table.lines[i] > table.lines[i - 1]),
            "a row's line is not a line of the text, in order");
    }
  }
  if (!table.error.empty()) {
    Check(table.error_line >= 1 &&
              table.error_line <=
                  static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1,
          "the error names a line the text does not have");
    return 0;
  }
  CsvTable again = ParseCsv(QuotedEverywhere(table.rows, separator), separator);
  Check(again.error.empty() && again.rows == table.rows,
        "rows written back quoted do not read back the same");
  for (const CsvRow& row : table.rows) {
    if (row.size() == 1 && row[0].empty()) continue;  // CsvLine writes it as a blank line
    // After a header line, so that a leading byte order mark is not the file's.
    CsvTable line = ParseCsv("h\r\n" + CsvLine(row, separator), separator);
    Check(line.error.empty() && line.rows.size() == 2 && line.rows[1].size() == row.size(),
          "a row written by CsvLine does not read back as one row of the same width");
    for (std::size_t i = 0; i < row.size(); ++i) {
      Check(SameOrDefused(line.rows[1][i], row[i]),
            "a field written by CsvLine reads back changed");
    }
  }
  return 0;
}
