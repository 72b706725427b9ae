// core's one freshness rule (core/freshness.h), for the node and the hub.
#include <doctest/doctest.h>

#include "core/freshness.h"

using namespace ess;

TEST_CASE("at valid_until exactly the record is to confirm; at hide_after it is hidden") {
  const UnixMillis valid_until = 1'767'225'600'000, hide_after = valid_until + 60'000;
  CHECK(FreshnessAt(valid_until, hide_after, valid_until - 1) == Freshness::kFresh);
  CHECK(FreshnessAt(valid_until, hide_after, valid_until) == Freshness::kToConfirm);
  CHECK(FreshnessAt(valid_until, hide_after, hide_after - 1) == Freshness::kToConfirm);
  CHECK(FreshnessAt(valid_until, hide_after, hide_after) == Freshness::kHidden);
  // A record without those dates (the hub may hold one) stays fresh.
  CHECK(FreshnessAt(std::nullopt, std::nullopt, valid_until) == Freshness::kFresh);
  CHECK(FreshnessAt(valid_until, std::nullopt, valid_until) == Freshness::kToConfirm);
  CHECK(MillisFromSeconds(1'767'225'600) == valid_until);
}

TEST_CASE("names") {
  CHECK(FreshnessName(Freshness::kToConfirm) == "to_confirm");
  CHECK(FreshnessFromName("hidden") == Freshness::kHidden);
  CHECK_FALSE(FreshnessFromName("stale"));
}

TEST_CASE("the SQL conditions say the same: reached at the instant, on a bigint of milliseconds") {
  CHECK(SqlReached("valid_until", "$7") ==
        "(valid_until IS NOT NULL AND valid_until <= to_timestamp($7::bigint / 1000.0))");
  CHECK(SqlNotReached("hide_after", "$1") ==
        "(hide_after IS NULL OR hide_after > to_timestamp($1::bigint / 1000.0))");
  CHECK(SqlFresh("v", "$1") == SqlNotReached("v", "$1"));
  CHECK(SqlToConfirm("v", "h", "$1") ==
        "(" + SqlReached("v", "$1") + " AND " + SqlNotReached("h", "$1") + ")");
  CHECK(SqlHidden("h", "$1") == SqlReached("h", "$1"));
  CHECK(SqlVisible("h", "$1") == SqlNotReached("h", "$1"));
}
