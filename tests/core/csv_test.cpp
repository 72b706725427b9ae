// core's CSV (core/csv.h): the node's import reads it, the node's and the hub's exports write
// it.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/csv.h"

using namespace ess;

TEST_CASE("CSV fields: quoted when needed, formulas defused, numbers kept") {
  CHECK(CsvField("plain") == "plain");
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvField("a;b") == "\"a;b\"");  // either separator a spreadsheet may guess
  CHECK(CsvField("y\"z") == "\"y\"\"z\"");
  CHECK(CsvField("two\nlines") == "\"two\nlines\"");
  CHECK(CsvField("a\tb", '\t') == "\"a\tb\"");
  CHECK(CsvField("=SUM(A1)") == "'=SUM(A1)");
  CHECK(CsvField("+33 4 91") == "'+33 4 91");
  CHECK(CsvField("@cmd") == "'@cmd");
  CHECK(CsvField("-x") == "'-x");
  // A negative coordinate is a number, not a formula: no column needs to be skipped by index.
  CHECK(CsvField("-5.30000") == "-5.30000");
  CHECK(CsvField("-5,30000", ';') == "\"-5,30000\"");  // with a decimal comma (dialect=fr)
  CHECK(CsvField("-1-2") == "'-1-2");
}

TEST_CASE("CSV lines and lists") {
  CHECK(CsvLine({"x", "y\"z"}) == "x,\"y\"\"z\"\r\n");
  const std::vector<std::string> cells = {"a", "b;c"};
  CHECK(CsvLine(cells, ';') == "a;\"b;c\"\r\n");
  const std::vector<std::string> activities = {"alimentation", "energie"};
  CHECK(CsvList(activities) == "alimentation|energie");
  CHECK(CsvList(std::vector<std::string>{}).empty());
}

TEST_CASE("CSV parsing: what the writer writes reads back") {
  const std::vector<std::string> row = {"Épicerie \"du\" Panier", "a;b\nc", "-5.30000", ""};
  auto t = ParseCsv(CsvLine({"nom", "texte", "lon", "vide"}, ';') + CsvLine(row, ';'), ';');
  REQUIRE(t.error.empty());
  REQUIRE(t.rows.size() == 2);
  CHECK(t.rows[1] == CsvRow(row.begin(), row.end()));
  CHECK_FALSE(ParseCsv("\"open\n").error.empty());
}

TEST_CASE("CSV: quotes, separators, line ends, formula guard") {
  auto t = ParseCsv(
      "\xEF\xBB\xBFnom;ville\r\n\"Épicerie \"\"du\"\" Panier\";Marseille\n\n\"a;b\nc\";x\n", ';');
  REQUIRE(t.error.empty());
  REQUIRE(t.rows.size() == 3);
  CHECK(t.rows[0] == CsvRow{"nom", "ville"});
  CHECK(t.rows[1] == CsvRow{"Épicerie \"du\" Panier", "Marseille"});
  CHECK(t.rows[2] == CsvRow{"a;b\nc", "x"});
  CHECK_FALSE(ParseCsv("\"open\n").error.empty());
  CHECK(CsvField("=SUM(A1)") == "'=SUM(A1)");
  CHECK(CsvField("-5.30000") == "-5.30000");
  CHECK(CsvField("-5,30000", ';') == "\"-5,30000\"");  // with a decimal comma (dialect=fr)
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvLine({"x", "y\"z"}) == "x,\"y\"\"z\"\r\n");
}

TEST_CASE("yes/no cells: oui, non, empty when not given") {
  CHECK(CsvYesNo(true) == "oui");
  CHECK(CsvYesNo(false) == "non");
  CHECK(CsvYesNo(std::nullopt) == "");
}

TEST_CASE("CSV rows know the line a spreadsheet shows them on") {
  // Header on line 1, a blank line 3, a quoted field spanning lines 4-5, then line 6.
  CsvTable t = ParseCsv("a;b\r\nx;1\r\n\r\n\"deux\nlignes\";2\r\ny;3\r\n", ';');
  REQUIRE(t.error.empty());
  REQUIRE(t.rows.size() == 4);
  CHECK(t.lines == std::vector<std::size_t>{1, 2, 4, 6});
  CHECK(t.rows[2][0] == "deux\nlignes");
  // An unterminated quote names the line it opens on.
  CsvTable broken = ParseCsv("a\nb\n\"c\nd\n");
  CHECK(broken.error_line == 3);
}

TEST_CASE("CSV separator from the header line, quotes respected") {
  CHECK(DetectCsvSeparator("Nom;Famille;Commune\r\nA,B;c;d\r\n") == ';');
  CHECK(DetectCsvSeparator("name,family,commune\n") == ',');
  CHECK(DetectCsvSeparator("name\tfamily\tcommune\n") == '\t');
  // Commas inside a quoted header do not count; only the first line is read.
  CHECK(DetectCsvSeparator("\"Nom, raison sociale\";Famille\n1,2,3,4,5\n") == ';');
  CHECK(DetectCsvSeparator("\xEF\xBB\xBFNom;Famille\n") == ';');
  CHECK(DetectCsvSeparator("Nom\n") == ',');  // one column: nothing to tell, RFC 4180's
  CHECK(DetectCsvSeparator("") == ',');
}

TEST_CASE("CSV encoding: UTF-8 with or without BOM, else Windows-1252") {
  DecodedText plain = DecodeSpreadsheetText("Activit\xC3\xA9s;T\xC3\xA9l\xC3\xA9phone");
  CHECK(plain.encoding == "utf-8");
  CHECK(plain.text == "Activit\xC3\xA9s;T\xC3\xA9l\xC3\xA9phone");
  DecodedText bom = DecodeSpreadsheetText("\xEF\xBB\xBFNom;\xC3\x89tat");
  CHECK(bom.encoding == "utf-8-bom");
  CHECK(bom.text == "Nom;\xC3\x89tat");
  // Excel's "CSV (séparateur : point-virgule)" on Windows: é = E9, œ = 9C, € = 80, ’ = 92.
  DecodedText ansi = DecodeSpreadsheetText(
      "Activit\xE9s;\x9C"
      "uvre;10 \x80;l\x92"
      "AMAP");
  CHECK(ansi.encoding == "windows-1252");
  CHECK(ansi.text ==
        "Activit\xC3\xA9s;\xC5\x93uvre;10 \xE2\x82\xAC;l\xE2\x80\x99"
        "AMAP");
  CHECK(DecodeSpreadsheetText("\x81").text == "\xEF\xBF\xBD");  // undefined in Windows-1252
  CHECK(DecodeSpreadsheetText("").encoding == "utf-8");
}

TEST_CASE("UTF-8 well-formedness") {
  CHECK(IsValidUtf8("plain"));
  CHECK(IsValidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"));
  CHECK_FALSE(IsValidUtf8("\xE9t\xE9"));         // Latin-1
  CHECK_FALSE(IsValidUtf8("\xC0\xAF"));          // overlong
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));      // surrogate
  CHECK_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
  CHECK_FALSE(IsValidUtf8("\xE2\x82"));          // cut short
}
