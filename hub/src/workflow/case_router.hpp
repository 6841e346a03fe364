// Routing a stored case (docs/architecture.md §5): reads what the rules look at — the case's resolved
// fields and every system that reported it (its merged cases too) — decides with the
// rule set, and records a decision that differs from the current one: cases.level, the
// case_routing row, and a "routed" event (rule, level, departments, why) or, with no
// match, a "triaged" event. A case still at intake (received) that a rule matched is
// dispatched to its departments (status_changed). Runs inside the caller's write
// transaction.
#pragma once

#include <boost/json/object.hpp>

#include "db/database.hpp"
#include "ledger/event_log.hpp"
#include "routing/routing_rules.hpp"
#include "sla/obligations.hpp"
#include "writeback/outbox.hpp"

namespace yizhan::workflow {

// What the rules see of a case (GroupError-free: nullopt when there is no such case).
std::optional<routing::RoutingFacts> load_routing_facts(soci::session& sql, int64_t case_id);

// A case's route as last recorded (nullopt: never routed). `rule` is "" for triage;
// `departments` is the JSON array as stored.
struct StoredRoute {
  std::string rule, level, departments;
};
std::optional<StoredRoute> stored_route(soci::session& sql, int64_t case_id);
// A reassignment by staff: the case's route now names `departments` (a JSON array) at
// `level`, from `at`; the rule that routed it stays on record.
void set_route_departments(soci::session& sql, int64_t case_id, const std::string& departments,
                           const std::string& level, const std::string& at);

// The decision and its trace as JSON, for explain (CLI and HTTP).
boost::json::object decision_json(const routing::RoutingDecision& d);

// Routes `case_id` and records the decision if it changed; returns the decision. With
// `sla`, a changed decision also replaces the case's obligations (sla/obligations.hpp);
// with `outbox`, a dispatch is queued for write-back to the systems that reported it.
// Whether `department` handles the case: it owes a running obligation on it, or the
// case's current routing names it (an operator of that department may act on it).
bool department_handles(soci::session& sql, int64_t case_id, const std::string& department);

routing::RoutingDecision route_case(soci::session& sql, ledger::EventAppender& events, const routing::RuleSet& rules,
                                    int64_t case_id, const std::string& actor, const std::string& now,
                                    const sla::SlaSettings* sla = nullptr, const writeback::Outbox* outbox = nullptr);
// The same for a case the caller holds as it is stored (ingest: one it just stored, alone
// in its group) and the sources of its group: nothing is read back. A department newly
// given the case starts its assigned duties at `assigned` (ingest: when the record was
// registered in its system; otherwise now).
routing::RoutingDecision route_case(soci::session& sql, ledger::EventAppender& events, const routing::RuleSet& rules,
                                    const core::Case& c, const std::vector<sla::DutySource>& sources,
                                    const std::string& actor, const std::string& now,
                                    const sla::SlaSettings* sla = nullptr, const writeback::Outbox* outbox = nullptr,
                                    std::optional<core::Instant> assigned = std::nullopt);
// The sources of a stored group's duties (store::group_sources, instants parsed).
std::vector<sla::DutySource> duty_sources(soci::session& sql, int64_t root);

}  // namespace yizhan::workflow
