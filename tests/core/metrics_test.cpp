// The metrics registry (core/metrics.h): the Prometheus text format, exactly, and the JSON
// log lines (core/log_format.h).
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/log_format.h"
#include "core/metrics.h"

using namespace ess;

TEST_CASE("counters, gauges and histograms render in the text format 0.0.4") {
  MetricsRegistry registry;
  auto& requests = registry.AddCounter("ess_test_requests_total", "Requests\\served\nby route",
                                       {"route", "code"});
  auto& up = registry.AddGauge("ess_test_up", "Whether it is up");
  auto& duration =
      registry.AddHistogram("ess_test_duration_seconds", "Durations", {"route"}, {0.1, 0.5, 1});
  requests.With({"/api/{id}", "200"}).Inc();
  requests.With({"/api/{id}", "200"}).Inc(2);
  requests.With({"/a\"b\\c\nd", "404"}).Inc();
  up.With().Set(1);
  duration.With({"/x"}).Observe(0.1);  // on a bound: counted in that bucket (le is <=)
  duration.With({"/x"}).Observe(0.3);
  duration.With({"/x"}).Observe(7);
  CHECK(registry.Render() ==
        "# HELP ess_test_requests_total Requests\\\\served\\nby route\n"
        "# TYPE ess_test_requests_total counter\n"
        "ess_test_requests_total{route=\"/a\\\"b\\\\c\\nd\",code=\"404\"} 1\n"
        "ess_test_requests_total{route=\"/api/{id}\",code=\"200\"} 3\n"
        "# HELP ess_test_up Whether it is up\n"
        "# TYPE ess_test_up gauge\n"
        "ess_test_up 1\n"
        "# HELP ess_test_duration_seconds Durations\n"
        "# TYPE ess_test_duration_seconds histogram\n"
        "ess_test_duration_seconds_bucket{route=\"/x\",le=\"0.1\"} 1\n"
        "ess_test_duration_seconds_bucket{route=\"/x\",le=\"0.5\"} 2\n"
        "ess_test_duration_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"
        "ess_test_duration_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
        "ess_test_duration_seconds_sum{route=\"/x\"} 7.4\n"
        "ess_test_duration_seconds_count{route=\"/x\"} 3\n");
}

TEST_CASE("a family without labels has its series at 0; a labelled one none until used") {
  MetricsRegistry registry;
  registry.AddCounter("plain_total", "p");
  registry.AddGauge("labelled", "l", {"state"});
  registry.AddHistogram("h_seconds", "h", {}, {1});
  CHECK(registry.Render() ==
        "# HELP plain_total p\n# TYPE plain_total counter\nplain_total 0\n"
        "# HELP labelled l\n# TYPE labelled gauge\n"
        "# HELP h_seconds h\n# TYPE h_seconds histogram\n"
        "h_seconds_bucket{le=\"1\"} 0\nh_seconds_bucket{le=\"+Inf\"} 0\n"
        "h_seconds_sum 0\nh_seconds_count 0\n");
}

TEST_CASE("values in their shortest exact form") {
  CHECK(FormatMetricValue(0) == "0");
  CHECK(FormatMetricValue(42) == "42");
  CHECK(FormatMetricValue(0.25) == "0.25");
  CHECK(FormatMetricValue(-1.5) == "-1.5");
  CHECK(FormatMetricValue(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(FormatMetricValue(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(FormatMetricValue(std::nan("")) == "NaN");
  CHECK(EscapeLabelValue("plain") == "plain");
  CHECK(EscapeLabelValue("a\\b\"c\nd") == "a\\\\b\\\"c\\nd");
}

TEST_CASE("bad names, labels, bounds and label counts are refused") {
  MetricsRegistry registry;
  CHECK_THROWS_AS(registry.AddCounter("1bad", "x"), std::invalid_argument);
  CHECK_THROWS_AS(registry.AddCounter("bad-name", "x"), std::invalid_argument);
  CHECK_THROWS_AS(registry.AddCounter("ok_total", "x", {"le"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.AddCounter("ok_total", "x", {"__reserved"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.AddCounter("ok_total", "x", {"a:b"}), std::invalid_argument);
  CHECK_THROWS_AS(registry.AddHistogram("h", "x", {}, {1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(registry.AddHistogram("h", "x", {}, {2, 1}), std::invalid_argument);
  auto& family = registry.AddCounter("ok_total", "x", {"a"});
  CHECK_THROWS_AS(registry.AddGauge("ok_total", "again"), std::invalid_argument);
  CHECK_THROWS_AS(family.With({}), std::invalid_argument);
  CHECK_THROWS_AS(family.With({"1", "2"}), std::invalid_argument);
  CHECK_NOTHROW(registry.AddGauge("ns:ok", "colons are allowed in metric names"));
}

TEST_CASE("collectors run before each render; a failing one is skipped") {
  MetricsRegistry registry;
  auto& g = registry.AddGauge("g", "g").With();
  int runs = 0;
  registry.OnScrape([&] { g.Set(++runs); });
  registry.OnScrape([] { throw std::runtime_error("database away"); });
  CHECK(registry.Render().find("\ng 1\n") != std::string::npos);
  CHECK(registry.Render().find("\ng 2\n") != std::string::npos);
}

TEST_CASE("concurrent increments are all counted") {
  MetricsRegistry registry;
  auto& family = registry.AddCounter("c_total", "c", {"t"});
  auto& h = registry.AddHistogram("d", "d", {}, {1}).With();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10000; ++i) {
        family.With({t % 2 == 0 ? "even" : "odd"}).Inc();
        h.Observe(0.5);
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(family.With({"even"}).value() == 20000);
  CHECK(family.With({"odd"}).value() == 20000);
  CHECK(h.snapshot().count == 40000);
  CHECK(h.snapshot().cumulative == std::vector<std::uint64_t>{40000, 40000});
}

TEST_CASE("JSON log lines: one object, escaped, with the request id when there is one") {
  const std::string line =
      JsonLogLine(1767225600123, "info", "", "ligne \"citée\"\n\\ \x01 fin \xff", "");
  CHECK(line.find('\n') == std::string::npos);
  const auto j = nlohmann::json::parse(line);
  CHECK(j["time"] == "2026-01-01T00:00:00.123Z");
  CHECK(j["level"] == "info");
  CHECK(j["logger"] == "");
  CHECK(j["message"] == "ligne \"citée\"\n\\ \x01 fin \xef\xbf\xbd");  // bad UTF-8 replaced
  CHECK_FALSE(j.contains("request_id"));
  CHECK(nlohmann::json::parse(JsonLogLine(0, "warning", "ess", "m", "abc"))["request_id"] == "abc");
  CHECK(CurrentLogRequestId().empty());
  {
    LogRequestScope outer("one");
    CHECK(CurrentLogRequestId() == "one");
    {
      LogRequestScope inner("two");
      CHECK(CurrentLogRequestId() == "two");
    }
    CHECK(CurrentLogRequestId() == "one");
  }
  CHECK(CurrentLogRequestId().empty());
  CHECK(ParseLogFormat("json") == LogFormat::kJson);
  CHECK(ParseLogFormat("text") == LogFormat::kText);
  CHECK_THROWS_WITH(ParseLogFormat("xml"), "--log-format : « xml » inconnu (text ou json)");
}
