#include "workflow/problem_orders.hpp"

#include <spdlog/spdlog.h>

#include "core/case_status.hpp"
#include "core/time.hpp"
#include "routing/routing_rules.hpp"
#include "store/case_reader.hpp"
#include "store/case_writer.hpp"

namespace yizhan::workflow {
namespace {

// Flags the case (once), makes it 督办 and opens the supervising duty one level up.
bool raise(soci::session& sql, ledger::EventAppender& events, const sla::SlaSettings& sla, const core::Case& c,
           const std::string& rule, const std::string& reason, const std::string& actor, core::Instant now) {
  if (problem_order(sql, c.id) || core::is_closed(c.status)) return false;
  const auto& rules = *sla.policy->problem_orders();
  const std::string at = core::format_utc(now);
  const std::string to =
      routing::resolve_handler(rules.to.department, c.place.division_code).value_or(rules.to.department);
  std::optional<sla::OpenedObligation> opened;
  try {
    opened = sla::open_obligation(sql, sla, c.id, to, rules.to.level, rules.supervise, now);
  } catch (const sla::CalendarRangeError& e) {
    events.append(c.id, "sla_unavailable", actor, {{"duty", "supervise"}, {"reason", e.what()}}, at);
  }
  const long long cid = c.id, oid = opened ? opened->id : 0;
  soci::indicator oind = opened ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO problem_orders (case_id, rule, reason, raised_at, level, department, obligation) VALUES (:c, "
         ":r, :why, :at, :l, :d, :o)",
      soci::use(cid), soci::use(rule), soci::use(reason), soci::use(at), soci::use(rules.to.level), soci::use(to),
      soci::use(oid, oind);
  if (const auto s = core::parse_status(c.status);
      s && *s != core::CaseStatus::supervised && core::can_move(*s, core::CaseStatus::supervised)) {
    store::set_case_status(sql, c.id, "supervised");
    events.append(c.id, "status_changed", actor, {{"from", c.status}, {"to", "supervised"}, {"reason", reason}}, at);
  }
  boost::json::object data{{"rule", rule}, {"reason", reason}, {"to_level", rules.to.level}, {"to_department", to}};
  if (opened) {
    data["obligation"] = opened->id;
    data["due_at"] = core::format_utc(opened->due);
  }
  events.append(c.id, "problem_order_raised", actor, data, at);
  spdlog::warn("[case:{}] raised as a problem work order ({}): {}", c.id, rule, reason);
  return true;
}

}  // namespace

std::optional<ProblemOrder> problem_order(soci::session& sql, int64_t case_id) {
  const long long cid = case_id;
  ProblemOrder p;
  long long oid = 0;
  soci::indicator oind = soci::i_null;
  sql << "SELECT rule, reason, raised_at, level, department, obligation FROM problem_orders WHERE case_id = :c",
      soci::use(cid), soci::into(p.rule), soci::into(p.reason), soci::into(p.raised_at), soci::into(p.level),
      soci::into(p.department), soci::into(oid, oind);
  if (!sql.got_data()) return std::nullopt;
  p.case_id = case_id;
  if (oind == soci::i_ok) p.obligation = oid;
  return p;
}

bool check_problem_order(soci::session& sql, ledger::EventAppender& events, const sla::SlaSettings& sla,
                         const core::Case& c, const std::string& action, const std::string& actor, core::Instant now) {
  if (!sla.policy || !sla.calendar || !sla.policy->problem_orders()) return false;
  const auto& rules = *sla.policy->problem_orders();
  // The events of this case stored so far (the action's own is appended, not flushed:
  // the callers below add it).
  auto stored = [&](const char* type, int limit) {
    ledger::EventFilter f;
    f.types = {type};
    f.case_ids = {c.id};
    f.limit = limit;
    return static_cast<int>(ledger::find_events(sql, f).size());
  };
  if (rules.returned > 0) {
    const int returns = stored("returned", rules.returned) + (action == "return" ? 1 : 0);
    if (returns >= rules.returned)
      return raise(sql, events, sla, c, "returned", "returned " + std::to_string(returns) + " times", actor, now);
  }
  if (rules.passed_among > 0 && !sla::signed_for(sql, c.id)) {
    // The routing and each reassignment after it: one hand-off each (a joint dispatch
    // to several departments at once is one).
    const int handoffs = 1 + stored("reassigned", rules.passed_among) + (action == "reassign" ? 1 : 0);
    if (handoffs >= rules.passed_among)
      return raise(sql, events, sla, c, "passed_around",
                   "passed on " + std::to_string(handoffs) + " times, none signed for it", actor, now);
  }
  return false;
}

int sweep_problem_orders(soci::session& sql, db::Dialect dialect, const sla::SlaSettings& sla, core::Instant now) {
  if (!sla.policy || !sla.calendar || !sla.policy->problem_orders() || !sla.policy->problem_orders()->overdue_for)
    return 0;
  const auto& limit = *sla.policy->problem_orders()->overdue_for;
  db::WriteTransaction tx(sql, dialect);
  ledger::EventAppender events(sql, dialect);
  int raised = 0;
  for (const auto& o : sla::overdue_past(sql, sla, limit, now)) {
    const auto c = store::stored_case(sql, o.case_id);
    if (!c || c->merged_into) continue;
    const std::string reason = o.duty + " at " + o.department + " overdue since " + o.due_at + ", " +
                               std::to_string(limit.within) + " " + limit.unit + " or more";
    if (raise(sql, events, sla, *c, "overdue", reason, "hub:sla", now)) ++raised;
  }
  events.flush();
  tx.commit();
  return raised;
}

}  // namespace yizhan::workflow
