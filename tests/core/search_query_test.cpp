// core's one builder of search tsqueries (core/search_query.h), for the node and the hub.
#include <doctest/doctest.h>

#include <string>

#include "core/search_query.h"

using ess::PrefixTsQuery;

TEST_CASE("prefix match on the last word only, unless a separator ends the text") {
  CHECK(PrefixTsQuery("épicerie sol") == "'épicerie' & 'sol':*");
  CHECK(PrefixTsQuery("épic") == "'épic':*");
  CHECK(PrefixTsQuery("jardin ") == "'jardin'");
  CHECK(PrefixTsQuery("  jardin  partagé") == "'jardin' & 'partagé':*");
}

TEST_CASE("only letters, digits and non-ASCII bytes make words: no tsquery syntax gets through") {
  CHECK(PrefixTsQuery("l'atelier") == "'l' & 'atelier':*");
  CHECK(PrefixTsQuery("a & b | !c:* (d)") == "'a' & 'b' & 'c' & 'd'");
  CHECK(PrefixTsQuery("vélo\\'; DROP") == "'vélo' & 'DROP':*");
  CHECK_FALSE(PrefixTsQuery("!!! ''"));
  CHECK_FALSE(PrefixTsQuery(""));
}

TEST_CASE("up to 16 words are kept; ten words keep all ten") {
  CHECK(PrefixTsQuery("w1 w2 w3 w4 w5 w6 w7 w8 w9 w10") ==
        "'w1' & 'w2' & 'w3' & 'w4' & 'w5' & 'w6' & 'w7' & 'w8' & 'w9' & 'w10':*");
  std::string sixteen, expected;
  for (int i = 1; i <= 16; ++i) {
    sixteen += "w" + std::to_string(i) + " ";
    expected += std::string(i > 1 ? " & " : "") + "'w" + std::to_string(i) + "'";
  }
  CHECK(PrefixTsQuery(sixteen) == expected);
  CHECK(PrefixTsQuery(sixteen + "w17") == expected);  // w17 dropped; w16 is whole
  CHECK(PrefixTsQuery(sixteen.substr(0, sixteen.size() - 1)) == expected + ":*");
}

TEST_CASE("a word is cut to 50 bytes, never inside a UTF-8 sequence") {
  CHECK(PrefixTsQuery(std::string(60, 'a')) == "'" + std::string(50, 'a') + "':*");
  // 49 ASCII bytes then "é" (2 bytes): the cut at 50 would split it, so it goes.
  CHECK(PrefixTsQuery(std::string(49, 'a') + "é") == "'" + std::string(49, 'a') + "':*");
  // 48 then "€" (3 bytes).
  CHECK(PrefixTsQuery(std::string(48, 'a') + "€b") == "'" + std::string(48, 'a') + "':*");
  CHECK(PrefixTsQuery(std::string(48, 'a') + "é") == "'" + std::string(48, 'a') + "é':*");
}
