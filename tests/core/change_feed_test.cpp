// The change feed's cursor (core/change_feed.h): written and read back, advanced per region,
// and anything this API did not write refused.
#include <doctest/doctest.h>

#include <string>

#include "core/change_feed.h"

using ess::ChangeCursor;

TEST_CASE("a change cursor keeps one position per region and reads back what it wrote") {
  ChangeCursor cursor;
  CHECK(cursor.Encode().empty());
  cursor.Advance("93", 12);
  cursor.Advance("76", 3);
  cursor.Advance("93", 1051);
  cursor.Advance("93", 40);  // never goes back
  CHECK(cursor.Encode() == "76.3-93.1051");
  auto read = ChangeCursor::Decode(cursor.Encode());
  REQUIRE(read);
  CHECK(read->after == cursor.after);
  CHECK(ChangeCursor::Decode("")->after.empty());
  CHECK(ChangeCursor::Decode("011.0")->after.at("011") == 0);
}

TEST_CASE("a change cursor the API did not write is refused") {
  for (const char* text :
       {"93", "93.", ".12", "93.12-", "-93.12", "93.12--76.1", "9.1", "9311.1", "9a.1", "93.-1",
        "93.1x", "93.12-93.13", "93.99999999999999999999", "93.12 ", "93,12"}) {
    CAPTURE(text);
    CHECK_FALSE(ChangeCursor::Decode(text));
  }
  CHECK_FALSE(ChangeCursor::Decode(std::string(1025, '9')));
}
