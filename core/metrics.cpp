#include "core/metrics.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

namespace ess {

namespace {

bool ValidName(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colon_allowed && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

std::string EscapeHelp(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

// {a="x",b="y"} plus an optional last label (le), or "" without any label.
std::string LabelSet(const std::vector<std::string>& names, const std::vector<std::string>& values,
                     std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return "";
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i];
    out += "=\"";
    out += EscapeLabelValue(values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;
    out += '"';
  }
  out += '}';
  return out;
}

void Header(std::string& out, const std::string& name, const std::string& help,
            std::string_view type) {
  out += "# HELP " + name + " " + EscapeHelp(help) + "\n";
  out += "# TYPE " + name + " " + std::string(type) + "\n";
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", value);
}

std::vector<double> DurationBuckets() {
  return {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(bounds_.size() + 1, 0) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) ||
      std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end()) {
    throw std::invalid_argument("Histogram: bounds must be strictly ascending");
  }
}

void Histogram::Observe(double value) {
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  std::lock_guard lock(mutex_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot out;
  std::lock_guard lock(mutex_);
  out.cumulative.reserve(counts_.size());
  std::uint64_t running = 0;
  for (std::uint64_t n : counts_) {
    running += n;
    out.cumulative.push_back(running);
  }
  out.sum = sum_;
  out.count = running;
  return out;
}

template <class Metric>
Metric& MetricFamily<Metric>::With(const std::vector<std::string>& label_values) {
  if (label_values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": " + std::to_string(label_names_.size()) +
                                " label value(s) expected, " + std::to_string(label_values.size()) +
                                " given");
  }
  std::lock_guard lock(mutex_);
  auto& slot = series_[label_values];
  if (!slot) slot = make_();
  return *slot;
}

template class MetricFamily<Counter>;
template class MetricFamily<Gauge>;
template class MetricFamily<Histogram>;

void MetricsRegistry::CheckNew(const std::string& name,
                               const std::vector<std::string>& label_names) const {
  if (!ValidName(name, true)) throw std::invalid_argument("bad metric name: " + name);
  for (const auto& label : label_names) {
    if (!ValidName(label, false) || label.starts_with("__") || label == "le") {
      throw std::invalid_argument("metric " + name + ": bad label name: " + label);
    }
  }
  auto taken = [&name](const auto& families) {
    return std::any_of(families.begin(), families.end(),
                       [&name](const auto& f) { return f->name_ == name; });
  };
  if (taken(counters_) || taken(gauges_) || taken(histograms_)) {
    throw std::invalid_argument("metric registered twice: " + name);
  }
}

CounterFamily& MetricsRegistry::AddCounter(std::string name, std::string help,
                                           std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  CheckNew(name, label_names);
  const bool plain = label_names.empty();
  counters_.push_back(std::unique_ptr<CounterFamily>(
      new CounterFamily(std::move(name), std::move(help), std::move(label_names),
                        [] { return std::make_unique<Counter>(); })));
  order_.push_back({Type::kCounter, counters_.size() - 1});
  if (plain) counters_.back()->With();
  return *counters_.back();
}

GaugeFamily& MetricsRegistry::AddGauge(std::string name, std::string help,
                                       std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  CheckNew(name, label_names);
  const bool plain = label_names.empty();
  gauges_.push_back(std::unique_ptr<GaugeFamily>(
      new GaugeFamily(std::move(name), std::move(help), std::move(label_names),
                      [] { return std::make_unique<Gauge>(); })));
  order_.push_back({Type::kGauge, gauges_.size() - 1});
  if (plain) gauges_.back()->With();
  return *gauges_.back();
}

HistogramFamily& MetricsRegistry::AddHistogram(std::string name, std::string help,
                                               std::vector<std::string> label_names,
                                               std::vector<double> bounds) {
  std::lock_guard lock(mutex_);
  CheckNew(name, label_names);
  Histogram check(bounds);  // throws for bad bounds now rather than at first use
  const bool plain = label_names.empty();
  histograms_.push_back(std::unique_ptr<HistogramFamily>(new HistogramFamily(
      std::move(name), std::move(help), std::move(label_names),
      [bounds = std::move(bounds)] { return std::make_unique<Histogram>(bounds); })));
  order_.push_back({Type::kHistogram, histograms_.size() - 1});
  if (plain) histograms_.back()->With();
  return *histograms_.back();
}

void MetricsRegistry::OnScrape(std::function<void()> collector) {
  std::lock_guard lock(mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::Render() const {
  std::lock_guard scrape(scrape_mutex_);
  std::vector<std::function<void()>> collectors;
  {
    std::lock_guard lock(mutex_);
    collectors = collectors_;
  }
  for (const auto& collect : collectors) {
    try {
      collect();
    } catch (const std::exception& e) {
      spdlog::warn("métriques : une collecte a échoué : {}", e.what());
    }
  }
  std::string out;
  std::lock_guard lock(mutex_);
  for (const Entry& entry : order_) {
    switch (entry.type) {
      case Type::kCounter: {
        const CounterFamily& f = *counters_[entry.index];
        Header(out, f.name_, f.help_, "counter");
        std::lock_guard series(f.mutex_);
        for (const auto& [values, counter] : f.series_) {
          out += f.name_ + LabelSet(f.label_names_, values) + " " +
                 FormatMetricValue(counter->value()) + "\n";
        }
        break;
      }
      case Type::kGauge: {
        const GaugeFamily& f = *gauges_[entry.index];
        Header(out, f.name_, f.help_, "gauge");
        std::lock_guard series(f.mutex_);
        for (const auto& [values, gauge] : f.series_) {
          out += f.name_ + LabelSet(f.label_names_, values) + " " +
                 FormatMetricValue(gauge->value()) + "\n";
        }
        break;
      }
      case Type::kHistogram: {
        const HistogramFamily& f = *histograms_[entry.index];
        Header(out, f.name_, f.help_, "histogram");
        std::lock_guard series(f.mutex_);
        for (const auto& [values, histogram] : f.series_) {
          const Histogram::Snapshot s = histogram->snapshot();
          const auto& bounds = histogram->bounds();
          for (std::size_t i = 0; i <= bounds.size(); ++i) {
            const std::string le =
                i < bounds.size() ? FormatMetricValue(bounds[i]) : std::string("+Inf");
            out += f.name_ + "_bucket" + LabelSet(f.label_names_, values, "le", le) + " " +
                   std::to_string(s.cumulative[i]) + "\n";
          }
          out += f.name_ + "_sum" + LabelSet(f.label_names_, values) + " " +
                 FormatMetricValue(s.sum) + "\n";
          out += f.name_ + "_count" + LabelSet(f.label_names_, values) + " " +
                 std::to_string(s.count) + "\n";
        }
        break;
      }
    }
  }
  return out;
}

}  // namespace ess
