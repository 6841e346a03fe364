#include "workflow/case_router.hpp"

#include <boost/json.hpp>
#include <set>

#include "core/case_status.hpp"
#include "core/time.hpp"
#include "store/case_reader.hpp"
#include "store/case_writer.hpp"

namespace yizhan::workflow {
namespace json = boost::json;

std::optional<routing::RoutingFacts> load_routing_facts(soci::session& sql, int64_t case_id) {
  const auto c = store::case_traits(sql, case_id);
  if (!c) return std::nullopt;
  routing::RoutingFacts f;
  f.category = c->category;
  f.division_code = c->division_code;
  f.channel = c->channel;
  f.urgency = c->urgency;
  f.title = c->title;
  f.description = c->description;
  std::set<std::string> systems;
  for (const auto& r : store::group_records(sql, case_id)) systems.insert(r.system);
  f.systems.assign(systems.begin(), systems.end());
  return f;
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
  auto facts = load_routing_facts(sql, case_id);
  if (!facts) return {};
  routing::RoutingDecision d = rules.route(*facts);
  json::array departments;
  for (const auto& dep : d.departments) departments.push_back(json::string(dep));
  const std::string rule = d.rule.value_or(""), deps = json::serialize(departments);
  long long id = case_id;
  const auto current = stored_route(sql, case_id);
  if (current && current->rule == rule && current->level == d.level && current->departments == deps)
    return d;  // nothing new
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
  const std::string status = store::case_status(sql, case_id).value_or("");
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
  // A case its system reports closed already owes nobody anything: no clocks.
  if (sla && !core::is_closed(status))
    if (auto t = core::parse_instant(now))
      sla::open_obligations(sql, events, *sla, case_id, d.level, d.departments, actor, *t);
  return d;
}

bool department_handles(soci::session& sql, int64_t case_id, const std::string& department) {
  if (sla::department_owes(sql, case_id, department)) return true;
  const auto route = stored_route(sql, case_id);
  return route && route->departments.find("\"" + department + "\"") != std::string::npos;
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
