// core's one builder of search tsqueries (core/search_query.h), for the node and the hub.
#include <doctest/doctest.h>

#include <string>
#include <vector>

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

TEST_CASE("synonyms: a word or phrase of a group becomes an OR of the group, phrases with <->") {
  const std::vector<ess::SynonymGroup> groups = {
      {"ressourcerie", "recyclerie"},
      {"repair café", "réparation", "atelier de réparation"},
      {"vélo", "cycle", "bicyclette"},
      {"tiers-lieu", "tiers lieu", "tiers-lieux"},
      {"épicerie solidaire", "épicerie sociale"}};
  // The typed word keeps its prefix; the group's other phrases are whole.
  CHECK(PrefixTsQuery("recyclerie", groups) == "('recyclerie':* | 'ressourcerie')");
  CHECK(PrefixTsQuery("repair café ", groups) ==
        "('repair' <-> 'café' | 'réparation' | 'atelier' <-> 'de' <-> 'réparation')");
  // Folded as the places are: accents and case do not matter, the phrase as typed stays.
  CHECK(PrefixTsQuery("Velo", groups) == "('Velo':* | 'cycle' | 'bicyclette')");
  CHECK(PrefixTsQuery("atelier vélo marseille", groups) ==
        "'atelier' & ('vélo' | 'cycle' | 'bicyclette') & 'marseille':*");
  // One phrase, typed with a hyphen or a space: "tiers lieu" and "tiers-lieu" fold alike.
  CHECK(PrefixTsQuery("tiers-lieu", groups) == "('tiers' <-> 'lieu':* | 'tiers' <-> 'lieux')");
  // The longest phrase wins; a word still being typed matches no phrase.
  CHECK(PrefixTsQuery("epicerie solidaire", groups) ==
        "('epicerie' <-> 'solidaire':* | 'épicerie' <-> 'sociale')");
  CHECK(PrefixTsQuery("épicerie sol", groups) == "'épicerie' & 'sol':*");
  CHECK(PrefixTsQuery("jardin", groups) == "'jardin':*");
  // Without groups, as before.
  CHECK(PrefixTsQuery("recyclerie") == "'recyclerie':*");
}

TEST_CASE("synonyms cannot bring tsquery syntax, and a word in two groups takes both") {
  const std::vector<ess::SynonymGroup> groups = {{"a&b", "c|d"}, {"a", "e"}};
  // "a&b" is the phrase 'a' <-> 'b'; the text "a b" is that phrase.
  CHECK(PrefixTsQuery("a b ", groups) == "('a' <-> 'b' | 'c' <-> 'd')");
  CHECK(PrefixTsQuery("a ", groups) == "('a' | 'e')");
  const std::vector<ess::SynonymGroup> twice = {{"vélo", "cycle"}, {"velo", "bicyclette"}};
  CHECK(PrefixTsQuery("vélo ", twice) == "('vélo' | 'cycle' | 'bicyclette')");
}
