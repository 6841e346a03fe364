// Routing a stored case (DESIGN §5): reads what the rules look at — the case's resolved
// fields and every system that reported it (its merged cases too) — decides with the
// rule set, and records a decision that differs from the current one: cases.level, the
// case_routing row, and a "routed" event (rule, level, departments, why) or, with no
// match, a "triaged" event. A case still at intake (received) that a rule matched is
// dispatched to its departments (status_changed). Runs inside the caller's write
// transaction.
#pragma once

#include <boost/json/object.hpp>

#include "route/obligations.hpp"
#include "route/routing_rules.hpp"
#include "writeback/outbox.hpp"
#include "store/database.hpp"
#include "store/event_log.hpp"

namespace yizhan::route {

// What the rules see of a case (GroupError-free: nullopt when there is no such case).
std::optional<RoutingFacts> load_routing_facts(soci::session& sql, int64_t case_id);

// The decision and its trace as JSON, for explain (CLI and HTTP).
boost::json::object decision_json(const RoutingDecision& d);

// Routes `case_id` and records the decision if it changed; returns the decision. With
// `sla`, a changed decision also replaces the case's obligations (route/obligations.hpp);
// with `outbox`, a dispatch is queued for write-back to the systems that reported it.
RoutingDecision route_case(soci::session& sql, store::EventAppender& events, const RuleSet& rules, int64_t case_id,
                           const std::string& actor, const std::string& now, const SlaSettings* sla = nullptr,
                           const writeback::Outbox* outbox = nullptr);

}  // namespace yizhan::route
