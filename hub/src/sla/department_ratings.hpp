// Department ratings (docs/configuration.md "Department ratings"): what supervisors read
// each week — per department and period, four rates with the counts behind them, a
// weighted score, the rank by it and the trend against the period before.
//
//   sign_for_on_time  按时签收率  sign-for duties met before their due instant / those
//                                settled in the period (met, or marked overdue)
//   handle_on_time    按时办结率  the same for handling duties
//   satisfaction      群众满意率  ratings in the period that count as satisfied
//                                (ratings.satisfied) / all ratings, on the cases the
//                                department handled
//   reopened          发回重办率  the department's cases reopened (重办) in the period / its
//                                cases finished (handling settled) or reopened then
//
// The score is the weighted mean of the rates a department has counts for (ratings.
// weights; reopened counts as 1 − its rate); departments are ranked by it, best first.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/database.hpp"

namespace YAML {
class Node;
}

namespace yizhan::sla {

inline constexpr const char* kRatingIds[] = {"sign_for_on_time", "handle_on_time", "satisfaction", "reopened"};

// The `ratings:` section of sla.yaml; these are the defaults.
struct RatingRules {
  std::vector<std::string> satisfied{"satisfied", "basically_satisfied"};
  std::map<std::string, double> weights{
      {"sign_for_on_time", 0.2}, {"handle_on_time", 0.4}, {"satisfaction", 0.3}, {"reopened", 0.1}};
};
// Reads it; each problem appended to `errors` with its path.
RatingRules read_rating_rules(const YAML::Node& n, std::vector<std::string>& errors);

struct Rate {
  int64_t numerator = 0, denominator = 0;
  std::optional<double> value() const {
    return denominator ? std::optional(static_cast<double>(numerator) / static_cast<double>(denominator))
                       : std::nullopt;
  }
};

struct DepartmentRating {
  std::string department;
  std::map<std::string, Rate> rates;  // by kRatingIds
  std::optional<double> score, previous_score;
  int rank = 0;  // 1 the best; 0: no counts, not ranked
};

// A period of instants, UTC ISO 8601, [from, to).
struct Period {
  std::string from, to;
};

// Every department with counts in `period` (or `previous`), ranked.
std::vector<DepartmentRating> rate_departments(soci::session& sql, const RatingRules& rules, const Period& period,
                                               const Period& previous);

}  // namespace yizhan::sla
