// SLA durations (docs/architecture.md §5): config/sla.yaml says, per system and category, how long
// each duty may take, and in which unit; due_instants() turns them into due instants
// on the official working-day calendar (sla/calendar.hpp).
//
//   version: 1
//   utc_offset: "+08:00"          # the county's civil time: where a day begins and ends
//   defaults:                     # any system, any category
//     - {duty: sign_for, within: 1, unit: workdays}
//   systems:
//     some_system:                # a system (plugin name)
//       answered_by: xfj          # optional: this department owes this system's duties
//                                 #   (else the departments the case is routed to)
//       default:                  # this system, any category
//         - {duty: sign_for, within: 15, unit: days}
//         - {duty: reply, within: 60, unit: days, starts: registered}
//         - {duty: handle, within: 60, unit: days, extend_max: 30}
//       categories:               # this system, these categories ("X/": a class and its subtypes)
//         "矛盾纠纷/土地": [...]
//       reviews:                  # rounds of review after the answer, in order (复查, 复核),
//         - {duty: review, within: 30, unit: days}         # each decided one level up
//         - {duty: second_review, within: 30, unit: days}
//
//   escalation:                   # optional; these are the defaults
//     warn_at: 0.8                # the handler is warned at this fraction of the time
//     within: 3                   # the supervising obligation opened one level up, in
//     unit: workdays              #   this time (duty "supervise")
//     to:                         # level -> the level above and who supervises there
//       village: {level: town, department: "{town}"}
//       town: {level: county, department: shgzb}
//
//   categories:                   # these categories, whatever system reported them
//     应急处置:                   # per rule: warned at 50 %, 督办 at 80 % (before the
//       - {duty: sign_for, within: 2, unit: hours,   # deadline), supervised in 1 hour
//          warn_at: 0.5, escalate_at: 0.8, supervise: {within: 1, unit: hours}}
//
//   ratings:                      # optional: how departments are rated (sla/department_ratings.hpp)
//     satisfied: [satisfied, basically_satisfied]
//     weights: {sign_for_on_time: 0.2, handle_on_time: 0.4, satisfaction: 0.3, reopened: 0.1}
//
//   problem_orders:               # optional: 问题工单, flagged and taken up one level up
//     returned: 3                 # returned this many times
//     passed_among: 3             # handed on this many times, none accepting
//     overdue_for: {within: 5, unit: workdays}   # overdue this long past a deadline
//     to: {level: county, department: shgzb}
//     supervise: {within: 3, unit: workdays}
//
//   triage: {within: 1, unit: workdays, department: window}
//                                 # optional: a case no rule routes waits in the counter's
//                                 # triage queue; `department` owes triaging it within this
//                                 # time (duty "triage"), met once it goes to a department
//
// The most specific list wins as a whole: system + category, then category (any
// system), then system, then defaults.
// Units:
//   workdays  the end of the N-th working day after the start's civil date (N = 0: the
//             end of the start day if it is a working day, else of the next one);
//   days      natural days: the end of the start date + N, moved to the end of the next
//             working day when it falls on a rest day (as administrative deadlines do);
//   hours     the start + N hours, whatever the calendar.
// "The end of a day" is the next civil midnight, shown as 23:59:59 of the day.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/time.hpp"
#include "sla/calendar.hpp"
#include "sla/department_ratings.hpp"

namespace yizhan::sla {

// The county's civil time when sla.yaml names no utc_offset: China Standard Time.
inline constexpr int kDefaultUtcOffsetMinutes = 480;

struct SlaFileError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DutyRule {
  std::string duty;  // sign_for | handle | reply | follow_up
  int within = 0;
  std::string unit;    // workdays | days | hours
  int extend_max = 0;  // the longest one extension may add, in the same unit (0: none)
  // When the clock starts: "registered" (when the matter was registered in the system
  // whose list this is: the citizen's deadline, which no reassignment moves),
  // "assigned" (when a department was given the case) or "accepted" (when the
  // department accepts it: handling that the law counts from the acceptance decision). Default:
  // assigned for sign_for and handle, registered for reply and follow_up.
  std::string starts;
  // The handler is warned at this fraction of the time (none: escalation.warn_at).
  std::optional<double> warn_at{};
  // 督办 before the deadline: at this fraction of the time the case is supervised and
  // the supervising duty opens one level up (none: only once the duty is overdue).
  std::optional<double> escalate_at{};
  // That supervising duty's own limit (supervise_within < 0: escalation.within/unit).
  int supervise_within = -1;
  std::string supervise_unit{};
  // Whether the clock starts on an event (the accept), not at registration or assignment.
  bool starts_on_event() const { return starts != "registered" && starts != "assigned"; }
};

// The default `starts` of a duty (above).
std::string default_start(const std::string& duty);

struct DutyDue {
  DutyRule rule;
  core::Instant due;      // exclusive: due before this instant
  std::string due_local;  // the last second still on time, civil time (…T23:59:59+08:00)
  std::string source;     // which list applied: "<system>/<category>", "<system>", "defaults"
};

struct EscalationStep {
  std::string level, department;  // department may be {town} / {village}
};

// 问题工单 (the `problem_orders:` section): when a case is flagged and who takes it up.
struct ProblemOrderRules {
  int returned = 3;                      // returned this many times (0: not a rule)
  int passed_among = 3;                  // handed on this many times, none accepting (0: not a rule)
  std::optional<DutyRule> overdue_for;   // still overdue this long past a deadline (none: not a rule)
  EscalationStep to{"county", "shgzb"};  // who takes it up (提级督办)
  DutyRule supervise{"supervise", 3, "workdays", 0, "assigned"};  // their duty's limit
};

class SlaPolicy {
 public:
  static SlaPolicy load(const std::filesystem::path& file);

  // The duties for a case of `system` and `category` whose clock starts at `start`.
  // Throws CalendarRangeError when a deadline leaves the loaded calendar years.
  std::vector<DutyDue> due_instants(const std::string& system, const std::string& category, core::Instant start,
                                    const WorkCalendar& calendar) const;
  int utc_offset_minutes() const { return offset_minutes_; }
  // The list that applies and its name ("<system>/<category>", "<system>", "defaults").
  std::pair<const std::vector<DutyRule>*, std::string> rules_for(const std::string& system,
                                                                 const std::string& category) const;

  // The department that answers to `system` for its duties (systems.<name>.answered_by),
  // or "" when the departments the case is routed to do.
  std::string answered_by(const std::string& system) const;

  // The rounds of review a reporter may ask for after the answer (e.g. 复查, then
  // 复核), in order, each a duty decided one level up; empty for a system without.
  const std::vector<DutyRule>& reviews_for(const std::string& system) const;

  double warn_fraction() const { return warn_fraction_; }
  // The fraction of `rule`'s time at which its handler is warned.
  double warn_fraction(const DutyRule& rule) const { return rule.warn_at.value_or(warn_fraction_); }
  // The supervising obligation's duration (duty "supervise"): escalation.within/unit.
  const DutyRule& escalation_duty() const { return escalation_duty_; }
  // The supervising duty opened for an obligation whose rule gave its own limit
  // (supervise_within >= 0), else escalation_duty().
  DutyRule supervise_duty(int within, const std::string& unit) const;
  // 问题工单 rules (nullopt: the file has no problem_orders section, none are raised).
  const std::optional<ProblemOrderRules>& problem_orders() const { return problem_orders_; }
  // How departments are rated (the `ratings:` section; defaults when absent).
  const RatingRules& ratings() const { return ratings_; }
  // The triage duty and the department that owes it (nullopt: triage has no deadline).
  const std::optional<std::pair<DutyRule, std::string>>& triage() const { return triage_; }
  // Who supervises an overdue obligation of `level`; nullopt: nobody above (logged).
  std::optional<EscalationStep> escalate_from(const std::string& level) const;
  // The end instant of a duty started at `start` (the units above).
  core::Instant due_of(const DutyRule& rule, core::Instant start, const WorkCalendar& calendar) const;
  std::string local_text(core::Instant t) const;  // civil time with the offset

  // A clock paused at `paused` and resumed at `resumed`: its due instant once the time
  // suspended is not counted. hours: moved by the time paused; workdays: by the working
  // days from the pause's civil date up to (not including) the resume's; days: by the
  // natural days between the two dates, landing on a working day. Paused and resumed on
  // one day: unchanged (a day-unit clock counts whole days).
  core::Instant resumed_due(const std::string& unit, core::Instant due, core::Instant paused, core::Instant resumed,
                            const WorkCalendar& calendar) const;
  // A due instant extended by `by` of `unit` (the day units count from the due day on).
  core::Instant extended_due(const std::string& unit, core::Instant due, int by, const WorkCalendar& calendar) const;

 private:
  int offset_minutes_ = kDefaultUtcOffsetMinutes;
  double warn_fraction_ = 0.8;
  DutyRule escalation_duty_{"supervise", 3, "workdays", 0, "assigned"};
  std::optional<std::pair<DutyRule, std::string>> triage_;
  RatingRules ratings_;
  std::optional<ProblemOrderRules> problem_orders_;
  std::map<std::string, EscalationStep> escalation_;
  std::vector<DutyRule> defaults_;
  std::vector<std::pair<std::string, std::vector<DutyRule>>> categories_;  // any system
  std::map<std::string, std::vector<DutyRule>> system_default_;
  std::map<std::string, std::vector<DutyRule>> reviews_;
  std::map<std::string, std::string> answered_by_;
  std::map<std::string, std::vector<std::pair<std::string, std::vector<DutyRule>>>> system_categories_;
};

}  // namespace yizhan::sla
