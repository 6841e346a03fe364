// Obligations and their clocks (docs/architecture.md §5). A routed case owes, per department it was
// routed to, each duty of its SLA list (sla/sla_policy.hpp) by a due instant; the
// handler is warned at the policy's fraction of the time; an overdue obligation makes
// the case 督办 (supervised) and opens a supervising obligation one level up. Every step
// is a ledger event naming who and why. The clock state is rows, so it survives
// restarts exactly; the sweep reads only open rows that are due, by index.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/database.hpp"
#include "ledger/event_log.hpp"
#include "sla/sla_policy.hpp"

namespace yizhan::sla {

struct SlaSettings {
  std::shared_ptr<const SlaPolicy> policy;
  std::shared_ptr<const WorkCalendar> calendar;
};

// Cancels the case's open obligations (a new routing replaces them) and opens one per
// department and duty, clocks starting `now`. A deadline the calendars do not cover is
// an "sla_unavailable" event instead (the case still goes on; county IT adds the year).
// `duties` non-empty: only those duties of the list (a reopened case is not signed for
// again); `why` is the reason the cancelled ones were cancelled.
void open_obligations(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, int64_t case_id,
                      const std::string& level, const std::vector<std::string>& departments, const std::string& actor,
                      core::Instant now, const std::set<std::string>& duties = {},
                      const std::string& why = "routed again");

struct SweepOutcome {
  int warned = 0, overdue = 0, escalated = 0;
};

// One pass over the obligations whose warning or due instant has come by `now`, at most
// `limit` of each, in its own write transaction. Call it periodically.
SweepOutcome sweep_obligations(soci::session& sql, db::Dialect dialect, const SlaSettings& sla, core::Instant now,
                               int limit = 1000);

// One obligation of `rule` at `department`, its clock starting `now`. Throws
// CalendarRangeError when its deadline leaves the loaded calendar years.
struct OpenedObligation {
  int64_t id = 0;
  core::Instant due;
};
OpenedObligation open_obligation(soci::session& sql, const SlaSettings& sla, int64_t case_id,
                                 const std::string& department, const std::string& level, const DutyRule& rule,
                                 core::Instant now);

// 挂起: the case's open obligations pause (state 'paused' since now); returns how many.
int pause_obligations(soci::session& sql, int64_t case_id, core::Instant now);

// One clock moved: which obligation, and its due instant before and after.
struct ClockChange {
  int64_t obligation = 0;
  std::string department, duty, from, to;
};

// The paused obligations run on from `now`, their due instants moved by the time
// suspended (SlaPolicy::resumed_due, per each duty's unit).
std::vector<ClockChange> resume_obligations(soci::session& sql, const SlaSettings& sla, int64_t case_id,
                                            core::Instant now);

// 延期: the open obligations of `duty` move by `by` of their unit. Refused (nothing
// changed, `refusal` says why, with the message): "no_open_duty" (none is open),
// "extended_already" (one extension is the limit), "not_extendable" (the SLA rule sets
// no extend_max), "bad_request" (`by` beyond extend_max), "conflict" (no calendar).
struct ExtendOutcome {
  std::string refusal, message, unit;
  int limit = 0;
  std::vector<ClockChange> changes;
};
ExtendOutcome extend_obligations(soci::session& sql, const SlaSettings& sla, int64_t case_id, const std::string& duty,
                                 int by);

struct ObligationRow {
  int64_t id = 0, case_id = 0;
  std::string department, level, duty, state, started_at, due_at, warn_at, closed_at, unit, paused_at;
  int extend_max = 0;
  bool warned = false, extended = false;
  std::optional<int64_t> escalated_from;
};

// Obligations in `state` (open, paused, overdue, met, cancelled) due before `due_before` (UTC,
// "" for any), of `department` ("" for any), soonest first, keyset paged by (due, id).
std::vector<ObligationRow> list_obligations(soci::session& sql, const std::string& due_before,
                                            const std::string& department, const std::string& state, int limit);

// Every obligation of one case, any state, soonest due first.
std::vector<ObligationRow> case_obligations(soci::session& sql, int64_t case_id);
// The case was closed where it was handled (its system says so): its running
// obligations are met at `at` (late ones stay late: closed after their due instant).
void meet_running_obligations(soci::session& sql, int64_t case_id, const std::string& at);

// Whether `department` owes a running (open, paused, overdue) obligation on the case.
bool department_owes(soci::session& sql, int64_t case_id, const std::string& department);

// The running (open, paused, overdue) obligations of these cases, soonest due first.
std::vector<ObligationRow> running_obligations(soci::session& sql, const std::vector<int64_t>& case_ids);

// What is left of an obligation's time, as the counter reads it: whole working days
// until its due day (0: due today; negative: overdue by that many) for a duty counted
// in working days, whole hours otherwise; `seconds` to the due instant either way. A
// paused clock is read at its pause. Working days need the calendar to cover the days
// between; when it does not, the unit falls back to hours.
struct TimeLeft {
  std::string unit;  // "working_day" | "hour"
  int64_t value = 0;
  int64_t seconds = 0;
};
std::optional<TimeLeft> time_left(const ObligationRow& o, const SlaSettings& sla, core::Instant now);

}  // namespace yizhan::sla
