#include "sla/department_ratings.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "ledger/event_log.hpp"
#include "sla/obligations.hpp"

namespace yizhan::sla {
namespace {

// Every event of `types` in the period, page by page.
std::vector<ledger::StoredEvent> events_in(soci::session& sql, const std::vector<std::string>& types, const Period& p) {
  std::vector<ledger::StoredEvent> out;
  ledger::EventFilter f;
  f.types = types;
  f.from = p.from;
  f.to = p.to;
  f.limit = 1000;
  for (;;) {
    auto page = ledger::find_events(sql, f);
    if (page.empty()) break;
    f.after_seq = page.back().seq;
    out.insert(out.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
  }
  return out;
}

std::string rating_of(const ledger::StoredEvent& e) {
  boost::system::error_code ec;
  const auto v = boost::json::parse(e.data, ec);
  if (ec || !v.is_object()) return "";
  const auto* r = v.as_object().if_contains("rating");
  return r && r->is_string() ? std::string(r->as_string()) : "";
}

std::vector<int64_t> case_ids_of(const std::vector<ledger::StoredEvent>& events) {
  std::set<int64_t> ids;
  for (const auto& e : events)
    if (e.case_id) ids.insert(*e.case_id);
  return {ids.begin(), ids.end()};
}

// The four rates of every department with counts in the period.
std::map<std::string, DepartmentRating> count(soci::session& sql, const RatingRules& rules, const Period& p) {
  std::map<std::string, DepartmentRating> by;
  std::map<std::string, std::set<int64_t>> finished, reopened;
  for (const char* duty : {"sign_for", "handle"})
    for (const auto& s : settled_duties(sql, duty, p.from, p.to)) {
      auto& r = by[s.department].rates[std::string(duty) + "_on_time"];
      ++r.denominator;
      if (s.on_time) ++r.numerator;
      if (std::string_view(duty) == "handle") finished[s.department].insert(s.case_id);
    }
  const auto rated = events_in(sql, {"rated", "followed_up"}, p);
  const auto handled_rated = owing_departments(sql, case_ids_of(rated), "handle");
  for (const auto& e : rated) {
    const std::string rating = rating_of(e);
    const auto it = e.case_id ? handled_rated.find(*e.case_id) : handled_rated.end();
    if (rating.empty() || it == handled_rated.end()) continue;
    const bool satisfied = std::find(rules.satisfied.begin(), rules.satisfied.end(), rating) != rules.satisfied.end();
    for (const auto& d : it->second) {
      auto& r = by[d].rates["satisfaction"];
      ++r.denominator;
      if (satisfied) ++r.numerator;
    }
  }
  const auto reopens = events_in(sql, {"reopened"}, p);
  for (const auto& [case_id, departments] : owing_departments(sql, case_ids_of(reopens), "handle"))
    for (const auto& d : departments) reopened[d].insert(case_id);
  for (const auto& [d, cases] : reopened) {
    auto all = finished[d];
    all.insert(cases.begin(), cases.end());
    by[d].rates["reopened"] = {static_cast<int64_t>(cases.size()), static_cast<int64_t>(all.size())};
  }
  for (const auto& [d, cases] : finished)
    if (!reopened.contains(d)) by[d].rates["reopened"] = {0, static_cast<int64_t>(cases.size())};
  return by;
}

std::optional<double> score_of(const RatingRules& rules, const DepartmentRating& d) {
  double sum = 0, weights = 0;
  for (const auto& [id, rate] : d.rates) {
    const auto v = rate.value();
    const auto w = rules.weights.find(id);
    if (!v || w == rules.weights.end() || w->second <= 0) continue;
    sum += w->second * (id == "reopened" ? 1 - *v : *v);
    weights += w->second;
  }
  return weights > 0 ? std::optional(sum / weights) : std::nullopt;
}

}  // namespace

RatingRules read_rating_rules(const YAML::Node& n, std::vector<std::string>& errors) {
  RatingRules r;
  if (!n.IsMap()) {
    errors.push_back("ratings: expected {satisfied: [...], weights: {...}}");
    return r;
  }
  try {
    for (const auto& kv : n)
      if (auto k = kv.first.as<std::string>(); k != "satisfied" && k != "weights")
        errors.push_back("ratings." + k + ": unknown key (known: satisfied, weights)");
    if (n["satisfied"]) r.satisfied = n["satisfied"].as<std::vector<std::string>>();
    if (const auto& w = n["weights"]) {
      r.weights.clear();
      for (const auto& kv : w) {
        const auto id = kv.first.as<std::string>();
        if (std::find(std::begin(kRatingIds), std::end(kRatingIds), id) == std::end(kRatingIds))
          errors.push_back("ratings.weights." + id +
                           ": not a rating (sign_for_on_time, handle_on_time, satisfaction, reopened)");
        r.weights[id] = kv.second.as<double>();
        if (r.weights[id] < 0) errors.push_back("ratings.weights." + id + ": must not be negative");
      }
    }
  } catch (const YAML::Exception& e) {
    errors.push_back("ratings: " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
  }
  return r;
}

std::vector<DepartmentRating> rate_departments(soci::session& sql, const RatingRules& rules, const Period& period,
                                               const Period& previous) {
  auto now = count(sql, rules, period);
  const auto before = count(sql, rules, previous);
  for (const auto& [d, r] : before) now[d].department = d;  // listed, with no counts now
  std::vector<DepartmentRating> out;
  for (auto& [d, r] : now) {
    r.department = d;
    r.score = score_of(rules, r);
    if (auto b = before.find(d); b != before.end()) r.previous_score = score_of(rules, b->second);
    out.push_back(std::move(r));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.score.has_value() != b.score.has_value()) return a.score.has_value();
    return a.score && *a.score > *b.score;
  });
  // Equal scores share a rank (1, 2, 2, 4).
  for (std::size_t i = 0; i < out.size() && out[i].score; ++i)
    out[i].rank = i > 0 && out[i - 1].score == out[i].score ? out[i - 1].rank : static_cast<int>(i) + 1;
  return out;
}

}  // namespace yizhan::sla
