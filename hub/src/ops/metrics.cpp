#include "ops/metrics.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace yizhan::ops {
namespace {

bool valid_metric_name(std::string_view name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) {
  if (name.empty() || name.starts_with("__")) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    if (!alpha && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void check_labels(std::string_view metric, const MetricLabels& labels, bool histogram) {
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const auto& key = labels[i].first;
    if (!valid_label_name(key))
      throw std::invalid_argument(fmt::format("metric {}: invalid label name '{}'", metric, key));
    if (histogram && key == "le")
      throw std::invalid_argument(fmt::format("metric {}: a histogram cannot have a label 'le'", metric));
    for (std::size_t j = 0; j < i; ++j)
      if (labels[j].first == key)
        throw std::invalid_argument(fmt::format("metric {}: label '{}' given twice", metric, key));
  }
}

// A sample value as Prometheus reads it (Go's ParseFloat): shortest round-trip digits.
std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

// Label values escape backslash, double quote and line feed.
void append_label_value(std::string& out, std::string_view value) {
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

// HELP text escapes backslash and line feed only.
void append_help(std::string& out, std::string_view help) {
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
}

// {a="x",b="y"} plus an optional extra pair (the histogram's le); nothing when empty.
void append_labels(std::string& out, const MetricLabels& labels, std::string_view extra_key = {},
                   std::string_view extra_value = {}) {
  if (labels.empty() && extra_key.empty()) return;
  out += '{';
  bool first = true;
  auto pair = [&](std::string_view k, std::string_view v) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    append_label_value(out, v);
    out += '"';
  };
  for (const auto& [k, v] : labels) pair(k, v);
  if (!extra_key.empty()) pair(extra_key, extra_value);
  out += '}';
}

}  // namespace

std::string_view to_string(Metrics::Type type) {
  switch (type) {
    case Metrics::Type::counter:
      return "counter";
    case Metrics::Type::gauge:
      return "gauge";
    case Metrics::Type::histogram:
      return "histogram";
  }
  return "untyped";
}

void Metrics::describe(std::string_view name, Type type, std::string_view help) {
  if (!valid_metric_name(name)) throw std::invalid_argument(fmt::format("invalid metric name '{}'", name));
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) {
    families_.emplace(std::string(name), Family{type, std::string(help), {}});
    return;
  }
  if (it->second.type != type)
    throw std::invalid_argument(
        fmt::format("metric {} is a {}, not a {}", name, to_string(it->second.type), to_string(type)));
  it->second.help = help;
}

// Called with mutex_ held.
Metrics::Series& Metrics::series(std::string_view name, Type type, const MetricLabels& labels) {
  auto it = families_.find(name);
  if (it == families_.end()) {
    if (!valid_metric_name(name)) throw std::invalid_argument(fmt::format("invalid metric name '{}'", name));
    it = families_.emplace(std::string(name), Family{type, std::string(name), {}}).first;
  }
  Family& f = it->second;
  const bool counter_like = (type == Type::counter && f.type == Type::gauge);  // inc() works on gauges too
  if (f.type != type && !counter_like)
    throw std::invalid_argument(fmt::format("metric {} is a {}, not a {}", name, to_string(f.type), to_string(type)));
  auto s = f.series.find(labels);
  if (s != f.series.end()) return s->second;
  check_labels(name, labels, f.type == Type::histogram);
  return f.series[labels];
}

void Metrics::inc(std::string_view name, const MetricLabels& labels, double by) {
  std::lock_guard lock(mutex_);
  Series& s = series(name, Type::counter, labels);
  if (by < 0 && families_.find(name)->second.type == Type::counter)
    throw std::invalid_argument(fmt::format("counter {} cannot decrease (inc by {})", name, by));
  s.value += by;
}

void Metrics::set(std::string_view name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mutex_);
  series(name, Type::gauge, labels).value = value;
}

void Metrics::observe(std::string_view name, const MetricLabels& labels, double seconds) {
  std::lock_guard lock(mutex_);
  Series& s = series(name, Type::histogram, labels);
  auto bucket = std::lower_bound(kLatencyBuckets.begin(), kLatencyBuckets.end(), seconds);
  if (bucket != kLatencyBuckets.end()) ++s.buckets[static_cast<std::size_t>(bucket - kLatencyBuckets.begin())];
  ++s.count;
  s.sum += seconds;
}

double Metrics::value(std::string_view name, const MetricLabels& labels) const {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto s = it->second.series.find(labels);
  if (s == it->second.series.end()) return 0;
  return it->second.type == Type::histogram ? static_cast<double>(s->second.count) : s->second.value;
}

std::string Metrics::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) {
    out += "# HELP ";
    out += name;
    out += ' ';
    append_help(out, f.help);
    out += "\n# TYPE ";
    out += name;
    out += ' ';
    out += to_string(f.type);
    out += '\n';
    for (const auto& [labels, s] : f.series) {
      if (f.type != Type::histogram) {
        out += name;
        append_labels(out, labels);
        out += ' ';
        out += number(s.value);
        out += '\n';
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i) {
        cumulative += s.buckets[i];
        out += name;
        out += "_bucket";
        append_labels(out, labels, "le", number(kLatencyBuckets[i]));
        out += ' ';
        out += std::to_string(cumulative);
        out += '\n';
      }
      out += name;
      out += "_bucket";
      append_labels(out, labels, "le", "+Inf");
      out += ' ';
      out += std::to_string(s.count);
      out += '\n';
      out += name;
      out += "_sum";
      append_labels(out, labels);
      out += ' ';
      out += number(s.sum);
      out += '\n';
      out += name;
      out += "_count";
      append_labels(out, labels);
      out += ' ';
      out += std::to_string(s.count);
      out += '\n';
    }
  }
  return out;
}

}  // namespace yizhan::ops
