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
  CHECK(CsvField("a,b") == "\"a,b\"");
  CHECK(CsvLine({"x", "y\"z"}) == "x,\"y\"\"z\"\r\n");
}

TEST_CASE("yes/no cells: oui, non, empty when not given") {
  CHECK(CsvYesNo(true) == "oui");
  CHECK(CsvYesNo(false) == "non");
  CHECK(CsvYesNo(std::nullopt) == "");
}
