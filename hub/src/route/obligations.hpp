// Obligations and their clocks (DESIGN §5). A routed case owes, per department it was
// routed to, each duty of its SLA list (route/sla_policy.hpp) by a due instant; the
// handler is warned at the policy's fraction of the time; an overdue obligation makes
// the case 督办 (supervised) and opens a supervising obligation one level up. Every step
// is a ledger event naming who and why. The clock state is rows, so it survives
// restarts exactly; the sweep reads only open rows that are due, by index.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "route/sla_policy.hpp"
#include "store/database.hpp"
#include "store/event_log.hpp"

namespace yizhan::route {

struct SlaSettings {
  std::shared_ptr<const SlaPolicy> policy;
  std::shared_ptr<const WorkCalendar> calendar;
};

// Cancels the case's open obligations (a new routing replaces them) and opens one per
// department and duty, clocks starting `now`. A deadline the calendars do not cover is
// an "sla_unavailable" event instead (the case still goes on; county IT adds the year).
void open_obligations(soci::session& sql, store::EventAppender& events, const SlaSettings& sla, int64_t case_id,
                      const std::string& level, const std::vector<std::string>& departments, const std::string& actor,
                      core::Instant now);

struct SweepOutcome {
  int warned = 0, overdue = 0, escalated = 0;
};

// One pass over the obligations whose warning or due instant has come by `now`, at most
// `limit` of each, in its own write transaction. Call it periodically.
SweepOutcome sweep_obligations(soci::session& sql, store::Dialect dialect, const SlaSettings& sla, core::Instant now,
                               int limit = 1000);

struct ObligationRow {
  int64_t id = 0, case_id = 0;
  std::string department, level, duty, state, started_at, due_at, warn_at, closed_at;
  bool warned = false;
  std::optional<int64_t> escalated_from;
};

// Open (and, with include_overdue, overdue) obligations due before `due_before` (UTC,
// "" for any), of `department` ("" for any), soonest first, keyset paged by (due, id).
std::vector<ObligationRow> list_obligations(soci::session& sql, const std::string& due_before,
                                            const std::string& department, const std::string& state, int limit);

}  // namespace yizhan::route
