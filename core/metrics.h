#pragma once
// A small registry of metrics (counters, gauges, histograms, each a family with fixed label
// names) rendered in the Prometheus text exposition format 0.0.4 (docs/operations.md,
// "Metrics, readiness and logs"; docs/decisions/0017-observability.md). No dependency: what a
// scrape needs is a few lines of text.
//
// - A family is registered once, under a name matching [a-zA-Z_:][a-zA-Z0-9_:]* (checked:
//   std::invalid_argument), with its help text and its label names. With(values) gives the
//   series of those label values, made on first use; the caller keeps label values bounded
//   (route patterns, status codes, region codes, reasons), never raw input.
// - Every operation is thread-safe; Inc/Set/Observe take no registry-wide lock once the
//   series exists (a series' reference stays valid as long as the registry).
// - Collectors (OnScrape) run at the start of each Render(), in registration order, to set
//   the gauges that are read rather than counted (pool occupancy, replication lag from the
//   database). A collector that throws is logged and skipped: the rest of the scrape goes on.
// - Render() writes families in registration order, series sorted by label values, label
//   values escaped (\\, \", \n), help escaped (\\, \n), numbers in their shortest exact form
//   ("1", "0.25", "+Inf"); histograms as cumulative _bucket{le="..."}, _sum and _count.
//   A family without labels always has its one series (0 until touched).

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace ess {

class Counter {
 public:
  void Inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Gauge {
 public:
  void Set(double value) { value_.store(value, std::memory_order_relaxed); }
  void Inc(double by = 1) { value_.fetch_add(by, std::memory_order_relaxed); }
  void Dec(double by = 1) { value_.fetch_sub(by, std::memory_order_relaxed); }
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

class Histogram {
 public:
  // `bounds`: the buckets' upper bounds, ascending, without +Inf (added when rendered).
  explicit Histogram(std::vector<double> bounds);
  void Observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative;  // per bound, then +Inf
    double sum = 0;
    std::uint64_t count = 0;
  };
  const std::vector<double>& bounds() const { return bounds_; }
  Snapshot snapshot() const;

 private:
  const std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> counts_;  // per bucket (not cumulative), then +Inf
  double sum_ = 0;
};

// Seconds, for request and batch durations: 5 ms to 10 s.
std::vector<double> DurationBuckets();

template <class Metric>
class MetricFamily {
 public:
  // The series of `label_values` (as many as the family has label names, else
  // std::invalid_argument), made on first use.
  Metric& With(const std::vector<std::string>& label_values);
  Metric& With() { return With(std::vector<std::string>{}); }

 private:
  friend class MetricsRegistry;
  MetricFamily(std::string name, std::string help, std::vector<std::string> label_names,
               std::function<std::unique_ptr<Metric>()> make)
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        make_(std::move(make)) {}

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mutex_;
  std::map<std::vector<std::string>, std::unique_ptr<Metric>> series_;
};

using CounterFamily = MetricFamily<Counter>;
using GaugeFamily = MetricFamily<Gauge>;
using HistogramFamily = MetricFamily<Histogram>;

class MetricsRegistry {
 public:
  MetricsRegistry() = default;
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  // Throws std::invalid_argument for a bad or already registered name, or a bad label name.
  CounterFamily& AddCounter(std::string name, std::string help,
                            std::vector<std::string> label_names = {});
  GaugeFamily& AddGauge(std::string name, std::string help,
                        std::vector<std::string> label_names = {});
  HistogramFamily& AddHistogram(std::string name, std::string help,
                                std::vector<std::string> label_names, std::vector<double> bounds);

  // Runs before each Render(); must outlive nothing but the registry.
  void OnScrape(std::function<void()> collector);

  // The text exposition format 0.0.4.
  std::string Render() const;
  // Its Content-Type.
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";

 private:
  enum class Type { kCounter, kGauge, kHistogram };
  struct Entry {
    Type type;
    std::size_t index;  // in counters_, gauges_ or histograms_
  };
  void CheckNew(const std::string& name, const std::vector<std::string>& label_names) const;

  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<CounterFamily>> counters_;
  std::vector<std::unique_ptr<GaugeFamily>> gauges_;
  std::vector<std::unique_ptr<HistogramFamily>> histograms_;
  std::vector<Entry> order_;
  std::vector<std::function<void()>> collectors_;
  mutable std::mutex scrape_mutex_;  // one Render() at a time: collectors set shared gauges
};

// The label value escaped as the text format wants it: \ -> \\, " -> \", newline -> \n.
std::string EscapeLabelValue(std::string_view value);
// A sample value: shortest exact decimal form, "+Inf", "-Inf", "NaN".
std::string FormatMetricValue(double value);

}  // namespace ess
