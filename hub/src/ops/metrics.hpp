// The hub's metrics registry, scraped by Prometheus at GET /metrics (docs/architecture.md §1:
// county IT monitors the hub). Counters, gauges and latency histograms, each series
// identified by a metric name and an ordered list of label pairs, rendered in the
// Prometheus text exposition format 0.0.4 with # HELP and # TYPE lines.
//
// Thread-safe: every call may come from any thread. One registry is made by
// `yizhan serve` and passed by reference to what records into it (no global).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yizhan::ops {

// Label pairs in the order they are rendered, e.g. {{"route", "/healthz"}, {"status", "200"}}.
// The same names in another order make another series: callers keep one order.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Metrics {
 public:
  enum class Type { counter, gauge, histogram };

  // Upper bounds (seconds) of every histogram's buckets, from 0.5 ms to 10 s; the
  // +Inf bucket is implied. Fixed so that series from several hubs aggregate.
  static constexpr std::array<double, 14> kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                             0.1,    0.25,  0.5,    1.0,   2.5,  5.0,   10.0};

  // Declares a metric's type and help text. Optional (an undeclared metric takes the
  // type of its first use and its name as help) but every metric the hub exports
  // should be declared. Declaring again with the same type replaces the help;
  // with another type throws std::invalid_argument, as does an invalid name.
  void describe(std::string_view name, Type type, std::string_view help);

  // Adds `by` (>= 0) to a counter, or to a gauge. Throws std::invalid_argument on a
  // histogram, a negative counter increment, or an invalid metric or label name.
  void inc(std::string_view name, const MetricLabels& labels, double by = 1);
  // Sets a gauge. Throws std::invalid_argument on a counter or histogram.
  void set(std::string_view name, const MetricLabels& labels, double value);
  // Records one observation (seconds) in a histogram. Labels must not use "le".
  void observe(std::string_view name, const MetricLabels& labels, double seconds);

  // The current value of a counter or gauge series, or the observation count of a
  // histogram series; 0 when the series does not exist. For tests and health pages.
  double value(std::string_view name, const MetricLabels& labels) const;

  // Every metric, sorted by name, series sorted by labels, in text format 0.0.4.
  std::string render() const;

 private:
  struct Series {
    double value = 0;                                             // counter, gauge
    std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};  // histogram, not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    Type type = Type::counter;
    std::string help;
    std::map<MetricLabels, Series> series;
  };
  Series& series(std::string_view name, Type type, const MetricLabels& labels);

  mutable std::mutex mutex_;
  std::map<std::string, Family, std::less<>> families_;
};

// The text of a metric type as written on its # TYPE line ("counter").
std::string_view to_string(Metrics::Type type);

}  // namespace yizhan::ops
