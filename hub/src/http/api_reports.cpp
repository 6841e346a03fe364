// What supervisors read each week: the departments' ratings (sla/department_ratings.hpp).
#include <boost/json.hpp>

#include "core/time.hpp"
#include "http/api_internal.hpp"
#include "sla/department_ratings.hpp"
#include "sla/sla_policy.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_report_routes() {
  add("GET", "/api/v1/ratings", roles::kReaders, [this](const Request& r, const PathParams&) { return ratings(r); });
}

namespace {

// The period asked for (from and to dates, both inclusive, or instants), else the seven
// civil days ending today; and the period of the same length just before it.
std::pair<sla::Period, sla::Period> periods(const QueryParams& params, int offset_minutes) {
  const auto f = params.get("from"), t = params.get("to");
  sla::Period p;
  if (f && !f->empty() && t && !t->empty()) {
    p = {parse_bound("from", *f, false), parse_bound("to", *t, true)};
  } else if ((f && !f->empty()) || (t && !t->empty())) {
    throw bad_parameter(f && !f->empty() ? "to" : "from", "give both from and to, or neither (the last 7 days)");
  } else {
    const auto offset = std::chrono::minutes(offset_minutes);
    const auto today = std::chrono::floor<std::chrono::days>(core::now() + offset);
    p = {core::format_utc(core::Instant(std::chrono::duration_cast<std::chrono::seconds>(
             (today - std::chrono::days{6}).time_since_epoch() - offset))),
         core::format_utc(core::Instant(std::chrono::duration_cast<std::chrono::seconds>(
             (today + std::chrono::days{1}).time_since_epoch() - offset)))};
  }
  const auto from = *core::parse_instant(p.from), to = *core::parse_instant(p.to);
  if (to <= from) throw bad_parameter("to", "must be after from");
  return {p, {core::format_utc(from - (to - from)), p.from}};
}

json::value number_or_null(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

}  // namespace

Response Api::ratings(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"from", "to"});
  const int offset = settings_.sla.policy ? settings_.sla.policy->utc_offset_minutes() : sla::kDefaultUtcOffsetMinutes;
  const auto [period, previous] = periods(params, offset);
  const sla::RatingRules rules = settings_.sla.policy ? settings_.sla.policy->ratings() : sla::RatingRules{};
  std::vector<sla::DepartmentRating> rated;
  {
    Lease sql(*this);
    rated = sla::rate_departments(*sql, rules, period, previous);
  }
  json::array departments, definitions;
  for (const char* id : sla::kRatingIds) {
    const auto w = rules.weights.find(id);
    definitions.push_back(json::object{{"id", id}, {"weight", w == rules.weights.end() ? 0.0 : w->second}});
  }
  for (const auto& d : rated) {
    json::object rates;
    for (const char* id : sla::kRatingIds) {
      const auto it = d.rates.find(id);
      const sla::Rate r = it == d.rates.end() ? sla::Rate{} : it->second;
      rates[id] =
          json::object{{"rate", number_or_null(r.value())}, {"numerator", r.numerator}, {"denominator", r.denominator}};
    }
    const auto trend = d.score && d.previous_score ? std::optional(*d.score - *d.previous_score) : std::nullopt;
    departments.push_back(json::object{{"department", d.department},
                                       {"rank", d.rank ? json::value(d.rank) : json::value(nullptr)},
                                       {"score", number_or_null(d.score)},
                                       {"previous_score", number_or_null(d.previous_score)},
                                       {"trend", number_or_null(trend)},
                                       {"rates", std::move(rates)}});
  }
  return Response::json(200, json::object{{"period", json::object{{"from", period.from}, {"to", period.to}}},
                                          {"previous", json::object{{"from", previous.from}, {"to", previous.to}}},
                                          {"definitions", std::move(definitions)},
                                          {"satisfied", json::value_from(rules.satisfied)},
                                          {"departments", std::move(departments)}});
}

}  // namespace yizhan::http
