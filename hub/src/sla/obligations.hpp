// Obligations and their clocks (docs/architecture.md §5). A routed case owes, per department it was
// routed to, each duty of its SLA list (sla/sla_policy.hpp) by a due instant; the
// handler is warned at the policy's fraction of the time; an overdue obligation makes
// the case 督办 (supervised) and opens a supervising obligation one level up — or, where
// its rule says escalate_at, at that fraction of its time, before the deadline. Every step
// is a ledger event naming who and why. The clock state is rows, so it survives
// restarts exactly; the sweep reads only open rows that are due, by index.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/case.hpp"
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
// again); `why` is the reason the cancelled ones were cancelled. The SLA list is the
// one for the case's system and category (`c`: the case as the caller has it already).
void open_obligations(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, const core::Case& c,
                      const std::string& level, const std::vector<std::string>& departments, const std::string& actor,
                      core::Instant now, const std::set<std::string>& duties = {},
                      const std::string& why = "routed again");
// The same for a stored case read by id (nothing when there is no such case).
void open_obligations(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, int64_t case_id,
                      const std::string& level, const std::vector<std::string>& departments, const std::string& actor,
                      core::Instant now, const std::set<std::string>& duties = {},
                      const std::string& why = "routed again");

// One source of a case's duties: a system that reported the case (or a case merged
// into it) and when the matter was registered there (the record's received_at).
struct DutySource {
  std::string system;
  core::Instant registered;
};

// Brings a routed case's duties in line with its routing (docs/architecture.md §5):
// each source system's list (for the case's category) is owed by each department in
// `departments` — or by the department the SLA file says answers to that system — each
// clock starting when its source registered the matter (starts: registered) or at
// `assigned` (starts: assigned). A running duty still owed (same system, department and
// duty) is kept as it is: re-routing, merging and reassigning restart nothing. One not
// owed any more is cancelled if open or paused (overdue stays on record); a met one is
// not owed again; a missing one is opened. Supervising and review duties are left
// alone. No event when nothing changes. With a triage duty in the SLA file, a case routed
// to no department owes it (from `assigned`), and one routed to departments meets it.
void reconcile_obligations(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla,
                           const core::Case& c, const std::vector<DutySource>& sources, const std::string& level,
                           const std::vector<std::string>& departments, const std::string& actor, core::Instant now,
                           core::Instant assigned, const std::string& why);

// What reconcile_obligations would leave running, without writing (the intake preview
// shows exactly what saving opens): each duty owed with its due instant — kept as it
// runs (`running`) or new, counted from its start — and each one the calendars cannot
// count, with why (`unavailable`). Duties that start on an event are not listed (nothing
// runs before it); a triage duty is, when no department is given and the file has one.
// `c.id` 0: a case not stored yet.
struct PlannedDuty {
  std::string system{}, department{}, duty{}, unit{};
  int within = 0;
  std::string due_at{};       // UTC; "" when unavailable
  bool running = false;       // on record already: kept as it is
  std::string unavailable{};  // why no deadline can be counted
};
std::vector<PlannedDuty> plan_obligations(soci::session& sql, const SlaSettings& sla, const core::Case& c,
                                          const std::vector<DutySource>& sources,
                                          const std::vector<std::string>& departments, core::Instant assigned);

// Opens the duties that start on `event` (starts: accepted) for `departments`, from
// `now`: each source system's list, as reconcile_obligations owes them, but only those
// not on record yet.
void open_duties_on(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, const core::Case& c,
                    const std::vector<DutySource>& sources, const std::string& level,
                    const std::vector<std::string>& departments, const std::string& event, const std::string& actor,
                    core::Instant now);

// A case merged into another owes nothing of its own while merged: its open and paused
// duties are cancelled (its group's root owes them, by reconcile_obligations).
void cancel_running_obligations(soci::session& sql, ledger::EventAppender& events, int64_t case_id,
                                const std::string& actor, const std::string& at, const std::string& why);

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
                                 core::Instant now, const std::string& source_system = "");

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
  std::string source_system;  // whose rules count it ("" for triage and supervising duties)
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
// A staff action settles the case's open obligations as `state` (met, cancelled) at `at`:
// only those of `only_duty` when it is given, all but those of `except_duty` when that is
// given, else every open one.
// `department` given: only that department's (joint handling: each co-handler's duties
// are its own).
void settle_open_obligations(soci::session& sql, int64_t case_id, const std::string& state, const std::string& at,
                             const std::string& only_duty = "", const std::string& except_duty = "",
                             const std::string& department = "");

// Whether `department` owes a running (open, paused, overdue) obligation on the case.
bool department_owes(soci::session& sql, int64_t case_id, const std::string& department);

// The running (open, paused, overdue) obligations of these cases, soonest due first.
std::vector<ObligationRow> running_obligations(soci::session& sql, const std::vector<int64_t>& case_ids);

// An obligation of one duty settled in a period (met, or marked overdue, with closed_at
// in [from, to), UTC): who owed it, on which case, and whether it was met before its due
// instant. The counts behind the departments' ratings (sla/department_ratings.hpp).
struct SettledDuty {
  std::string department;
  int64_t case_id = 0;
  bool on_time = false;
};
std::vector<SettledDuty> settled_duties(soci::session& sql, const std::string& duty, const std::string& from,
                                        const std::string& to);
// Per case, the departments that owe or owed it `duty` (any state but cancelled).
std::map<int64_t, std::set<std::string>> owing_departments(soci::session& sql, const std::vector<int64_t>& case_ids,
                                                           const std::string& duty);

// Whether any department has signed for the case (a sign-for duty of it met).
bool signed_for(soci::session& sql, int64_t case_id);

// Overdue obligations whose due instant is `limit` (a duration in its unit, on the
// calendar) or more in the past at `now`, not returned before: each is marked so the
// next call skips it. At most `max_rows` looked at per call, oldest due first.
std::vector<ObligationRow> overdue_past(soci::session& sql, const SlaSettings& sla, const DutyRule& limit,
                                        core::Instant now, int max_rows = 1000);

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
