#include "workflow/case_router.hpp"

#include <boost/json.hpp>
#include <set>

#include "core/case_status.hpp"
#include "core/time.hpp"

namespace yizhan::workflow {
namespace json = boost::json;
using db::row_text;

std::optional<routing::RoutingFacts> load_routing_facts(soci::session& sql, int64_t case_id) {
  long long id = case_id;
  soci::row r;
  sql << "SELECT category, division_code, channel, urgency, title, description FROM cases WHERE id = :id",
      soci::use(id), soci::into(r);
  if (!sql.got_data()) return std::nullopt;
  routing::RoutingFacts f;
  f.category = row_text(r, 0);
  f.division_code = row_text(r, 1);
  f.channel = row_text(r, 2);
  f.urgency = row_text(r, 3);
  f.title = row_text(r, 4);
  f.description = row_text(r, 5);
  std::set<std::string> systems;
  soci::rowset<soci::row> rs = (sql.prepare << "SELECT DISTINCT s.system FROM case_sources s JOIN cases c ON c.id = "
                                               "s.case_id WHERE c.id = :id OR c.merged_into = :id2",
                                soci::use(id), soci::use(id));
  for (const auto& row : rs) systems.insert(row_text(row, 0));
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
  std::string cur_rule, cur_level, cur_deps;
  sql << "SELECT rule, level, departments FROM case_routing WHERE case_id = :id", soci::use(id), soci::into(cur_rule),
      soci::into(cur_level), soci::into(cur_deps);
  const bool had = sql.got_data();
  if (had && cur_rule == rule && cur_level == d.level && cur_deps == deps) return d;  // nothing new
  sql << "INSERT INTO case_routing (case_id, rule, level, departments, routed_at) VALUES (:id, :r, :l, :d, :at) "
         "ON CONFLICT (case_id) DO UPDATE SET rule = excluded.rule, level = excluded.level, departments = "
         "excluded.departments, routed_at = excluded.routed_at",
      soci::use(id), soci::use(rule), soci::use(d.level), soci::use(deps), soci::use(now);
  sql << "UPDATE cases SET level = :l WHERE id = :id", soci::use(d.level), soci::use(id);
  json::array why;
  if (!d.trace.empty())
    for (const auto& r : d.trace.back().reasons) why.push_back(json::string(r));
  json::object data{{"rule", d.rule ? json::value(rule) : json::value(nullptr)},
                    {"level", d.level},
                    {"departments", std::move(departments)},
                    {"why", std::move(why)}};
  if (had)
    data["from"] = json::object{{"rule", cur_rule}, {"level", cur_level}, {"departments", json::parse(cur_deps)}};
  events.append(case_id, d.rule ? "routed" : "triaged", actor, data, now);
  std::string status;
  sql << "SELECT status FROM cases WHERE id = :id", soci::use(id), soci::into(status);
  // Routed to its departments is dispatched to them (分流 → 派单), when still at intake.
  if (d.rule) {
    if (status == "received" || status == "routed") {
      sql << "UPDATE cases SET status = 'dispatched' WHERE id = :id", soci::use(id);
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
  long long id = case_id;
  std::string departments;
  sql << "SELECT departments FROM case_routing WHERE case_id = :c", soci::use(id), soci::into(departments);
  return sql.got_data() && departments.find("\"" + department + "\"") != std::string::npos;
}

}  // namespace yizhan::workflow
