// 问题工单 (problem work orders, docs/configuration.md "Problem work orders"): a case that
// was returned too often, passed among too many departments with none accepting, or left
// overdue too long past a deadline is flagged once (table problem_orders, this file's),
// made 督办 and taken up at the level and department the SLA file names (提级督办), on a
// supervising duty of its own. The rules are the `problem_orders:` section of sla.yaml;
// without it nothing is raised.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/case.hpp"
#include "ledger/event_log.hpp"
#include "sla/obligations.hpp"

namespace yizhan::workflow {

struct ProblemOrder {
  int64_t case_id = 0;
  std::string rule;    // returned | passed_around | overdue
  std::string reason;  // what the rule saw, for people
  std::string raised_at, level, department;
  std::optional<int64_t> obligation;  // the supervising duty opened for it
};

// The case's problem order, if it was raised as one.
std::optional<ProblemOrder> problem_order(soci::session& sql, int64_t case_id);

// After a staff action that passes the case on (`action`: return or reassign, its event
// appended but not flushed yet): raises it when it has been returned `returned` times, or
// handed on `passed_among` times (its routing and each reassignment; a joint dispatch is
// one) with no department signing for it. Returns whether it raised one.
bool check_problem_order(soci::session& sql, ledger::EventAppender& events, const sla::SlaSettings& sla,
                         const core::Case& c, const std::string& action, const std::string& actor, core::Instant now);

// The sweep's part: cases with a duty overdue `overdue_for` past its deadline. Returns
// how many it raised; runs in its own write transaction.
int sweep_problem_orders(soci::session& sql, db::Dialect dialect, const sla::SlaSettings& sla, core::Instant now);

}  // namespace yizhan::workflow
