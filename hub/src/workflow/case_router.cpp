#include "workflow/case_router.hpp"

#include <boost/json.hpp>
#include <set>

#include "core/case_status.hpp"
#include "core/time.hpp"
#include "store/case_reader.hpp"
#include "store/case_writer.hpp"

namespace yizhan::workflow {
namespace json = boost::json;

namespace {

routing::RoutingFacts facts_of(const core::Case& c, std::vector<std::string> systems) {
  routing::RoutingFacts f;
  f.category = c.category;
  f.division_code = c.place.division_code;
  f.channel = c.channel;
  f.urgency = c.urgency;
  f.title = c.title;
  f.description = c.description;
  f.systems = std::move(systems);
  return f;
}

// Every system that reported the case or a case merged into it, by name.
std::vector<std::string> group_systems(soci::session& sql, int64_t case_id) {
  std::set<std::string> systems;
  for (const auto& r : store::group_records(sql, case_id)) systems.insert(r.system);
  return {systems.begin(), systems.end()};
}

// Records a decision that differs from the case's current route: the case_routing row,
// the level, a routed/triaged event, and a case still at intake dispatched (write-back
// queued). Nothing when the decision is the current one.
void record_decision(soci::session& sql, ledger::EventAppender& events, const core::Case& c,
                     const routing::RoutingDecision& d, const std::string& actor, const std::string& now,
                     const writeback::Outbox* outbox) {
  const int64_t case_id = c.id;
  json::array departments;
  for (const auto& dep : d.departments) departments.push_back(json::string(dep));
  const std::string rule = d.rule.value_or(""), deps = json::serialize(departments);
  long long id = case_id;
  const auto current = stored_route(sql, case_id);
  if (current && current->rule == rule && current->level == d.level && current->departments == deps)
    return;  // nothing new
  sql << "INSERT INTO case_routing (case_id, rule, level, departments, routed_at) VALUES (:id, :r, :l, :d, :at) "
         "ON CONFLICT (case_id) DO UPDATE SET rule = excluded.rule, level = excluded.level, departments = "
         "excluded.departments, routed_at = excluded.routed_at",
      soci::use(id), soci::use(rule), soci::use(d.level), soci::use(deps), soci::use(now);
  store::set_case_level(sql, case_id, d.level);
  json::array why;
  if (!d.trace.empty())
    for (const auto& r : d.trace.back().reasons) why.push_back(json::string(r));
  json::object data{{"rule", d.rule ? json::value(rule) : json::value(nullptr)},
                    {"level", d.level},
                    {"departments", std::move(departments)},
                    {"why", std::move(why)}};
  if (current)
    data["from"] = json::object{
        {"rule", current->rule}, {"level", current->level}, {"departments", json::parse(current->departments)}};
  events.append(case_id, d.rule ? "routed" : "triaged", actor, data, now);
  const std::string& status = c.status;
  // Routed to its departments is dispatched to them (分流 → 派单), when still at intake.
  if (d.rule) {
    if (status == "received" || status == "routed") {
      store::set_case_status(sql, case_id, "dispatched");
      events.append(case_id, "status_changed", actor,
                    {{"from", status}, {"to", "dispatched"}, {"reason", "routed by rule " + rule}}, now);
      if (outbox)
        outbox->enqueue(sql, case_id, "dispatched",
                        {{"actor", actor},
                         {"reason", "routed by rule " + rule},
                         {"level", d.level},
                         {"departments", json::value_from(d.departments)}},
                        now);
    }
  }
}

}  // namespace

std::vector<sla::DutySource> duty_sources(soci::session& sql, int64_t root) {
  std::vector<sla::DutySource> out;
  for (const auto& s : store::group_sources(sql, root))
    if (auto t = core::parse_instant(s.received_at)) out.push_back({s.system, *t});
  return out;
}

std::optional<routing::RoutingFacts> load_routing_facts(soci::session& sql, int64_t case_id) {
  const auto c = store::stored_case(sql, case_id);
  if (!c) return std::nullopt;
  return facts_of(*c, group_systems(sql, case_id));
}

json::object decision_json(const routing::RoutingDecision& d) {
  json::array trace, departments;
  for (const auto& v : d.trace) {
    json::array reasons;
    for (const auto& r : v.reasons) reasons.push_back(json::string(r));
    trace.push_back(json::object{{"rule", v.rule}, {"matched", v.matched}, {"reasons", std::move(reasons)}});
  }
  for (const auto& dep : d.departments) departments.push_back(json::string(dep));
  return json::object{{"rule", d.rule ? json::value(*d.rule) : json::value(nullptr)},
                      {"level", d.level},
                      {"departments", std::move(departments)},
                      {"queue", d.rule ? "departments" : "triage"},
                      {"trace", std::move(trace)}};
}

routing::RoutingDecision route_case(soci::session& sql, ledger::EventAppender& events, const routing::RuleSet& rules,
                                    int64_t case_id, const std::string& actor, const std::string& now,
                                    const sla::SlaSettings* sla, const writeback::Outbox* outbox) {
  const auto c = store::stored_case(sql, case_id);
  if (!c) return {};
  // The cases merged into it owe nothing of their own while merged: the group does.
  if (sla)
    for (int64_t member : store::merged_members(sql, case_id))
      sla::cancel_running_obligations(sql, events, member, actor, now, "merged into case " + std::to_string(case_id));
  return route_case(sql, events, rules, *c, duty_sources(sql, case_id), actor, now, sla, outbox);
}

routing::RoutingDecision route_case(soci::session& sql, ledger::EventAppender& events, const routing::RuleSet& rules,
                                    const core::Case& c, const std::vector<sla::DutySource>& sources,
                                    const std::string& actor, const std::string& now, const sla::SlaSettings* sla,
                                    const writeback::Outbox* outbox, std::optional<core::Instant> assigned) {
  std::vector<std::string> systems;
  for (const auto& s : sources) systems.push_back(s.system);
  routing::RoutingDecision d = rules.route(facts_of(c, std::move(systems)));
  record_decision(sql, events, c, d, actor, now, outbox);
  // A case its system reports closed already owes nobody anything: no clocks.
  if (sla && !core::is_closed(c.status))
    if (auto t = core::parse_instant(now))
      sla::reconcile_obligations(sql, events, *sla, c, sources, d.level, d.departments, actor, *t,
                                 assigned.value_or(*t), d.rule ? "routed again" : "no rule matches now: triage");
  return d;
}

bool department_handles(soci::session& sql, int64_t case_id, const std::string& department) {
  if (sla::department_owes(sql, case_id, department)) return true;
  const auto route = stored_route(sql, case_id);
  return route && route->departments.find("\"" + department + "\"") != std::string::npos;
}

void set_route_departments(soci::session& sql, int64_t case_id, const std::string& departments,
                           const std::string& level, const std::string& at) {
  const long long id = case_id;
  sql << "UPDATE case_routing SET departments = :d, level = :l, routed_at = :at WHERE case_id = :c",
      soci::use(departments), soci::use(level), soci::use(at), soci::use(id);
}

std::optional<StoredRoute> stored_route(soci::session& sql, int64_t case_id) {
  long long id = case_id;
  StoredRoute r;
  sql << "SELECT rule, level, departments FROM case_routing WHERE case_id = :id", soci::use(id), soci::into(r.rule),
      soci::into(r.level), soci::into(r.departments);
  if (!sql.got_data()) return std::nullopt;
  return r;
}

}  // namespace yizhan::workflow
