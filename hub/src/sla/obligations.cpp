#include "sla/obligations.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/json.hpp>
#include <map>
#include <set>
#include <tuple>

#include "core/case_status.hpp"
#include "routing/routing_rules.hpp"
#include "store/case_reader.hpp"
#include "store/case_writer.hpp"

namespace yizhan::sla {
namespace json = boost::json;
using db::row_int;
using db::row_text;

namespace {

constexpr std::string_view kActor = "hub:sla";

// The instant at `fraction` of the time from start to due.
core::Instant at_fraction(core::Instant start, core::Instant due, double fraction) {
  return start + std::chrono::seconds(static_cast<int64_t>(static_cast<double>((due - start).count()) * fraction));
}

int64_t insert_obligation(soci::session& sql, int64_t case_id, const std::string& source_system,
                          const std::string& department, const std::string& level, const DutyRule& rule,
                          core::Instant start, core::Instant due, const SlaPolicy& policy,
                          std::optional<int64_t> escalated_from) {
  const long long cid = case_id;
  long long from = escalated_from.value_or(0);
  soci::indicator from_ind = escalated_from ? soci::i_ok : soci::i_null;
  const std::string started = core::format_utc(start), due_at = core::format_utc(due),
                    warn_at = core::format_utc(at_fraction(start, due, policy.warn_fraction(rule)));
  const std::string escalate_at = rule.escalate_at ? core::format_utc(at_fraction(start, due, *rule.escalate_at)) : "";
  soci::indicator escalate_ind = rule.escalate_at ? soci::i_ok : soci::i_null;
  const int extend_max = rule.extend_max, supervise_within = rule.supervise_within;
  soci::indicator supervise_ind = rule.supervise_within >= 0 ? soci::i_ok : soci::i_null;
  sql << "INSERT INTO obligations (case_id, source_system, department, level, duty, state, started_at, due_at, "
         "warn_at, escalated_from, unit, extend_max, escalate_at, supervise_within, supervise_unit) VALUES (:c, :sys, "
         ":d, :l, :duty, 'open', :s, :due, :warn, :from, :u, :x, :esc, :sw, :su)",
      soci::use(cid), soci::use(source_system), soci::use(department), soci::use(level), soci::use(rule.duty),
      soci::use(started), soci::use(due_at), soci::use(warn_at), soci::use(from, from_ind), soci::use(rule.unit),
      soci::use(extend_max), soci::use(escalate_at, escalate_ind), soci::use(supervise_within, supervise_ind),
      soci::use(rule.supervise_unit, supervise_ind);
  long long id = 0;
  sql << "SELECT MAX(id) FROM obligations WHERE case_id = :c", soci::use(cid), soci::into(id);
  return id;
}

// A deadline past the loaded calendars is said once per process, not per case: the fix
// is one file for county IT.
void say_calendar_short_once(const CalendarRangeError& e) {
  static std::atomic<bool> said{false};
  if (!said.exchange(true))
    spdlog::warn(
        "sla: a deadline falls past the loaded calendar years ({}); such duties are not opened but "
        "recorded as sla_unavailable events: add the next calendar-cn-YYYY.yaml once the State Council "
        "publishes it",
        e.what());
}

}  // namespace

void open_obligations(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, int64_t case_id,
                      const std::string& level, const std::vector<std::string>& departments, const std::string& actor,
                      core::Instant now, const std::set<std::string>& duties, const std::string& why) {
  if (const auto c = store::stored_case(sql, case_id))
    open_obligations(sql, events, sla, *c, level, departments, actor, now, duties, why);
}

void open_obligations(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, const core::Case& c,
                      const std::string& level, const std::vector<std::string>& departments, const std::string& actor,
                      core::Instant now, const std::set<std::string>& duties, const std::string& why) {
  const int64_t case_id = c.id;
  const std::string at = core::format_utc(now);
  const long long cid = case_id;
  long long open = 0;
  sql << "SELECT COUNT(*) FROM obligations WHERE case_id = :c AND state = 'open'", soci::use(cid), soci::into(open);
  if (open) {
    sql << "UPDATE obligations SET state = 'cancelled', closed_at = :at WHERE case_id = :c AND state = 'open'",
        soci::use(at), soci::use(cid);
    events.append(case_id, "obligations_cancelled", actor, {{"count", static_cast<int64_t>(open)}, {"reason", why}},
                  at);
  }
  if (!sla.policy || !sla.calendar || departments.empty()) return;
  const auto [rules, source] = sla.policy->rules_for(c.system, c.category);
  json::array opened;
  for (const auto& rule : *rules) {
    if (!duties.empty() && !duties.contains(rule.duty)) continue;
    core::Instant due;
    try {
      due = sla.policy->due_of(rule, now, *sla.calendar);
    } catch (const CalendarRangeError& e) {
      // The other duties still open; this one waits for the next year's calendar.
      events.append(case_id, "sla_unavailable", actor, {{"duty", rule.duty}, {"reason", e.what()}}, at);
      say_calendar_short_once(e);
      continue;
    }
    for (const auto& department : departments) {
      const int64_t oid =
          insert_obligation(sql, case_id, c.system, department, level, rule, now, due, *sla.policy, std::nullopt);
      opened.push_back(json::object{{"obligation", oid},
                                    {"department", department},
                                    {"duty", rule.duty},
                                    {"due_at", core::format_utc(due)},
                                    {"rule", source}});
    }
  }
  if (!opened.empty())
    events.append(case_id, "obligations_opened", actor, {{"obligations", std::move(opened)}, {"level", level}}, at);
}

namespace {

// A duty a case owes: whose list (system), which department, which duty.
using DutyKey = std::tuple<std::string, std::string, std::string>;

struct Owed {
  DutyRule rule;
  core::Instant start;
  std::string source;  // which list applied, for the event
};

// What the case owes by its routing: each source system's list, per department. A
// department's assigned duties for a source start when it had both the case and that
// source's matter: the later of the source's registration and when it was given the case
// (`given`, else `assigned`).
std::map<DutyKey, Owed> owed_duties(const SlaSettings& sla, const core::Case& c, const std::vector<DutySource>& sources,
                                    const std::vector<std::string>& departments, core::Instant assigned,
                                    const std::map<std::string, core::Instant>& given) {
  std::map<DutyKey, Owed> out;
  for (const auto& s : sources) {
    const auto [rules, list] = sla.policy->rules_for(s.system, c.category);
    const std::string answered_by = sla.policy->answered_by(s.system);
    const std::vector<std::string> owing = answered_by.empty() ? departments : std::vector<std::string>{answered_by};
    for (const auto& rule : *rules)
      for (const auto& d : owing) {
        const auto g = given.find(d);
        const core::Instant has_case = g == given.end() ? assigned : g->second;
        out.emplace(DutyKey{s.system, d, rule.duty},
                    Owed{rule, rule.starts == "registered" ? s.registered : std::max(s.registered, has_case), list});
      }
  }
  return out;
}

}  // namespace

namespace {

// The case's base duties on record (not cancelled; not supervise or review), and when
// each department was given the case (its earliest sign-for or handle clock).
struct OnRecord {
  std::vector<std::tuple<int64_t, DutyKey, std::string>> rows;  // id, key, state
  std::map<std::string, core::Instant> given;
  std::map<int64_t, std::string> due_at;  // per row id
};
OnRecord on_record(soci::session& sql, int64_t case_id) {
  OnRecord out;
  const long long cid = case_id;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT id, source_system, department, duty, state, started_at, due_at FROM obligations WHERE "
                      "case_id = :c AND escalated_from IS NULL AND duty IN ('sign_for', 'handle', 'reply', "
                      "'follow_up') AND state <> 'cancelled' ORDER BY id",
       soci::use(cid));
  for (const auto& r : rs) {
    out.rows.emplace_back(row_int(r, 0), DutyKey{row_text(r, 1), row_text(r, 2), row_text(r, 3)}, row_text(r, 4));
    out.due_at[row_int(r, 0)] = row_text(r, 6);
    const std::string duty = row_text(r, 3);
    if (duty != "sign_for" && duty != "handle") continue;
    if (auto t = core::parse_instant(row_text(r, 5))) {
      auto [it, fresh] = out.given.emplace(row_text(r, 2), *t);
      if (!fresh && *t < it->second) it->second = *t;
    }
  }
  return out;
}

// Opens each of `owed` (an obligations_opened event); a deadline past the calendars is
// an sla_unavailable event instead.
void open_owed(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, int64_t case_id,
               const std::string& level, const std::map<DutyKey, Owed>& owed, const std::string& actor,
               const std::string& at) {
  json::array opened;
  for (const auto& [key, o] : owed) {
    const auto& [system, department, duty] = key;
    core::Instant due;
    try {
      due = sla.policy->due_of(o.rule, o.start, *sla.calendar);
    } catch (const CalendarRangeError& e) {
      events.append(case_id, "sla_unavailable", actor, {{"duty", duty}, {"system", system}, {"reason", e.what()}}, at);
      say_calendar_short_once(e);
      continue;
    }
    const int64_t oid =
        insert_obligation(sql, case_id, system, department, level, o.rule, o.start, due, *sla.policy, std::nullopt);
    opened.push_back(json::object{{"obligation", oid},
                                  {"department", department},
                                  {"duty", duty},
                                  {"system", system},
                                  {"started_at", core::format_utc(o.start)},
                                  {"due_at", core::format_utc(due)},
                                  {"rule", o.source}});
  }
  if (!opened.empty())
    events.append(case_id, "obligations_opened", actor, {{"obligations", std::move(opened)}, {"level", level}}, at);
}

// The due instant of the case's running triage duty, if one runs.
std::optional<std::string> running_triage(soci::session& sql, int64_t case_id) {
  const long long cid = case_id;
  std::string due;
  soci::indicator ind = soci::i_null;
  sql << "SELECT MIN(due_at) FROM obligations WHERE case_id = :c AND duty = 'triage' AND state IN ('open', 'paused', "
         "'overdue')",
      soci::use(cid), soci::into(due, ind);
  if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  return due;
}

// The counter's triage duty (sla.yaml `triage`): owed while no department has the case,
// from `assigned` (when the case reached the triage queue); met once one does.
void reconcile_triage(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, const core::Case& c,
                      const std::string& level, bool to_departments, core::Instant assigned, const std::string& actor,
                      const std::string& at) {
  if (!sla.policy || !sla.calendar || !sla.policy->triage()) return;
  const long long cid = c.id;
  if (to_departments) {
    sql << "UPDATE obligations SET state = 'met', closed_at = :at WHERE case_id = :c AND duty = 'triage' AND state IN "
           "('open', 'paused')",
        soci::use(at), soci::use(cid);
    return;
  }
  if (running_triage(sql, c.id)) return;
  const auto& [rule, department] = *sla.policy->triage();
  core::Instant due;
  try {
    due = sla.policy->due_of(rule, assigned, *sla.calendar);
  } catch (const CalendarRangeError& e) {
    events.append(c.id, "sla_unavailable", actor, {{"duty", "triage"}, {"reason", e.what()}}, at);
    say_calendar_short_once(e);
    return;
  }
  const int64_t oid =
      insert_obligation(sql, c.id, "", department, level, rule, assigned, due, *sla.policy, std::nullopt);
  events.append(c.id, "obligations_opened", actor,
                {{"obligations", json::array{json::object{{"obligation", oid},
                                                          {"department", department},
                                                          {"duty", "triage"},
                                                          {"started_at", core::format_utc(assigned)},
                                                          {"due_at", core::format_utc(due)},
                                                          {"rule", "triage"}}}},
                 {"level", level}},
                at);
}

}  // namespace

void reconcile_obligations(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla,
                           const core::Case& c, const std::vector<DutySource>& sources, const std::string& level,
                           const std::vector<std::string>& departments, const std::string& actor, core::Instant now,
                           core::Instant assigned, const std::string& why) {
  const std::string at = core::format_utc(now);
  const OnRecord have = on_record(sql, c.id);
  std::map<DutyKey, Owed> owed;
  if (sla.policy && sla.calendar && !departments.empty())
    owed = owed_duties(sla, c, sources, departments, assigned, have.given);
  // Running duties still owed are kept as they are, the others cancelled (open or
  // paused; an overdue or met one stays on record as it was, the statistics count it);
  // a duty met is not owed again.
  std::vector<int64_t> cancel;
  for (const auto& [id, key, state] : have.rows) {
    const bool still_owed = owed.erase(key) > 0;
    if (!still_owed && (state == "open" || state == "paused")) cancel.push_back(id);
  }
  if (!cancel.empty()) {
    for (int64_t id : cancel) {
      const long long oid = id;
      sql << "UPDATE obligations SET state = 'cancelled', closed_at = :at WHERE id = :id", soci::use(at),
          soci::use(oid);
    }
    events.append(c.id, "obligations_cancelled", actor,
                  {{"count", static_cast<int64_t>(cancel.size())}, {"reason", why}}, at);
  }
  // A duty that starts on an event (starts: accepted) opens when the event happens.
  std::erase_if(owed, [](const auto& kv) { return kv.second.rule.starts_on_event(); });
  open_owed(sql, events, sla, c.id, level, owed, actor, at);
  reconcile_triage(sql, events, sla, c, level, !departments.empty(), assigned, actor, at);
}

std::vector<PlannedDuty> plan_obligations(soci::session& sql, const SlaSettings& sla, const core::Case& c,
                                          const std::vector<DutySource>& sources,
                                          const std::vector<std::string>& departments, core::Instant assigned) {
  std::vector<PlannedDuty> out;
  if (!sla.policy || !sla.calendar) return out;
  const OnRecord have = c.id ? on_record(sql, c.id) : OnRecord{};
  auto owed =
      departments.empty() ? std::map<DutyKey, Owed>{} : owed_duties(sla, c, sources, departments, assigned, have.given);
  auto planned = [&](const std::string& system, const std::string& department, const DutyRule& rule,
                     core::Instant start) {
    PlannedDuty p{system, department, rule.duty, rule.unit, rule.within};
    try {
      p.due_at = core::format_utc(sla.policy->due_of(rule, start, *sla.calendar));
    } catch (const CalendarRangeError& e) {
      p.unavailable = e.what();
    }
    return p;
  };
  for (const auto& [id, key, state] : have.rows) {
    auto it = owed.find(key);
    if (it == owed.end()) continue;
    if (state == "open" || state == "paused" || state == "overdue") {
      PlannedDuty p{std::get<0>(key),
                    std::get<1>(key),
                    std::get<2>(key),
                    it->second.rule.unit,
                    it->second.rule.within,
                    have.due_at.at(id),
                    true};
      out.push_back(std::move(p));
    }
    owed.erase(it);
  }
  for (const auto& [key, o] : owed)
    if (!o.rule.starts_on_event()) out.push_back(planned(std::get<0>(key), std::get<1>(key), o.rule, o.start));
  if (departments.empty() && sla.policy->triage()) {
    const auto& [rule, department] = *sla.policy->triage();
    if (auto running = c.id ? running_triage(sql, c.id) : std::nullopt)
      out.push_back({"", department, rule.duty, rule.unit, rule.within, *running, true});
    else
      out.push_back(planned("", department, rule, assigned));
  }
  return out;
}

void open_duties_on(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, const core::Case& c,
                    const std::vector<DutySource>& sources, const std::string& level,
                    const std::vector<std::string>& departments, const std::string& event, const std::string& actor,
                    core::Instant now) {
  if (!sla.policy || !sla.calendar || departments.empty()) return;
  const OnRecord have = on_record(sql, c.id);
  auto owed = owed_duties(sla, c, sources, departments, now, have.given);
  std::erase_if(owed, [&](const auto& kv) { return kv.second.rule.starts != event; });
  for (auto& o : owed) o.second.start = now;  // from the event, whatever the source's registration
  for (const auto& [id, key, state] : have.rows) owed.erase(key);
  open_owed(sql, events, sla, c.id, level, owed, actor, core::format_utc(now));
}

void cancel_running_obligations(soci::session& sql, ledger::EventAppender& events, int64_t case_id,
                                const std::string& actor, const std::string& at, const std::string& why) {
  const long long cid = case_id;
  long long n = 0;
  sql << "SELECT COUNT(*) FROM obligations WHERE case_id = :c AND state IN ('open', 'paused')", soci::use(cid),
      soci::into(n);
  if (!n) return;
  sql << "UPDATE obligations SET state = 'cancelled', closed_at = :at WHERE case_id = :c AND state IN ('open', "
         "'paused')",
      soci::use(at), soci::use(cid);
  events.append(case_id, "obligations_cancelled", actor, {{"count", static_cast<int64_t>(n)}, {"reason", why}}, at);
}

namespace {

// An obligation the sweep acts on.
struct Swept {
  int64_t id = 0, case_id = 0;
  std::string department{}, level{}, duty{}, due_at{};
  int supervise_within = -1;
  std::string supervise_unit{};
  bool escalated = false;
  std::string status{}, division{};  // of its case
};

// Open obligations to escalate early (their escalate_at has come) and overdue ones.
constexpr const char* kToEscalate =
    "SELECT id, case_id, department, level, duty, due_at, supervise_within, supervise_unit, escalated FROM obligations "
    "WHERE state = 'open' AND escalated = 0 AND escalate_at <= :at ORDER BY escalate_at LIMIT :n";
constexpr const char* kOverdue =
    "SELECT id, case_id, department, level, duty, due_at, supervise_within, supervise_unit, escalated FROM obligations "
    "WHERE state = 'open' AND due_at <= :at ORDER BY due_at LIMIT :n";

std::vector<Swept> swept_rows(soci::session& sql, const char* query, const std::string& at, long long lim) {
  std::vector<Swept> out;
  soci::rowset<soci::row> rs = (sql.prepare << query, soci::use(at), soci::use(lim));
  for (const auto& r : rs) {
    Swept o{row_int(r, 0), row_int(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4), row_text(r, 5)};
    if (r.get_indicator(6) == soci::i_ok) o.supervise_within = static_cast<int>(row_int(r, 6));
    o.supervise_unit = row_text(r, 7);
    o.escalated = row_int(r, 8) != 0;
    out.push_back(std::move(o));
  }
  // Each case's status and division, read once per case.
  std::map<int64_t, core::Case> cases;
  for (auto& o : out) {
    auto it = cases.find(o.case_id);
    if (it == cases.end())
      it = cases.emplace(o.case_id, store::stored_case(sql, o.case_id).value_or(core::Case{})).first;
    o.status = it->second.status;
    o.division = it->second.place.division_code;
  }
  return out;
}

// 督办: the case supervised (once per sweep) and a supervising obligation opened one
// level up, to be met within the rule's own limit or the file's. False when nobody is
// above (the case stays supervised on record) or no calendar covers the deadline.
bool escalate(soci::session& sql, ledger::EventAppender& events, const SlaSettings& sla, const Swept& o,
              core::Instant now, const std::string& reason, std::set<int64_t>& supervised) {
  const std::string at = core::format_utc(now), actor(kActor);
  const auto status = core::parse_status(o.status);
  if (status && *status != core::CaseStatus::supervised && !supervised.contains(o.case_id) &&
      core::can_move(*status, core::CaseStatus::supervised)) {
    store::set_case_status(sql, o.case_id, "supervised");
    events.append(o.case_id, "status_changed", actor, {{"from", o.status}, {"to", "supervised"}, {"reason", reason}},
                  at);
    supervised.insert(o.case_id);
  }
  const auto step = sla.policy->escalate_from(o.level);
  if (!step) return false;
  const std::string to = routing::resolve_handler(step->department, o.division).value_or(step->department);
  if (to == o.department && step->level == o.level) return false;  // nobody above
  const DutyRule duty = sla.policy->supervise_duty(o.supervise_within, o.supervise_unit);
  core::Instant due;
  try {
    due = sla.policy->due_of(duty, now, *sla.calendar);
  } catch (const CalendarRangeError& e) {
    events.append(o.case_id, "sla_unavailable", actor, {{"reason", e.what()}, {"obligation", o.id}}, at);
    return false;
  }
  const int64_t sid = insert_obligation(sql, o.case_id, "", to, step->level, duty, now, due, *sla.policy, o.id);
  events.append(o.case_id, "escalated", actor,
                {{"from_obligation", o.id},
                 {"from_department", o.department},
                 {"from_level", o.level},
                 {"to_department", to},
                 {"to_level", step->level},
                 {"obligation", sid},
                 {"due_at", core::format_utc(due)},
                 {"reason", reason}},
                at);
  return true;
}

int warn_due_soon(soci::session& sql, ledger::EventAppender& events, const std::string& at, long long lim) {
  std::vector<std::tuple<int64_t, int64_t, std::string, std::string, std::string>> due_soon;
  soci::rowset<soci::row> rs = (sql.prepare << "SELECT id, case_id, department, duty, due_at FROM obligations "
                                               "WHERE state = 'open' AND warned = 0 AND warn_at <= :at "
                                               "ORDER BY warn_at LIMIT :n",
                                soci::use(at), soci::use(lim));
  for (const auto& r : rs)
    due_soon.emplace_back(row_int(r, 0), row_int(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4));
  for (const auto& [oid, cid, department, duty, due] : due_soon) {
    const long long obligation = oid;
    sql << "UPDATE obligations SET warned = 1 WHERE id = :id", soci::use(obligation);
    events.append(cid, "sla_warning", std::string(kActor),
                  {{"obligation", oid}, {"department", department}, {"duty", duty}, {"due_at", due}}, at);
  }
  return static_cast<int>(due_soon.size());
}

}  // namespace

SweepOutcome sweep_obligations(soci::session& sql, db::Dialect dialect, const SlaSettings& sla, core::Instant now,
                               int limit) {
  SweepOutcome out;
  if (!sla.policy || !sla.calendar) return out;
  const std::string at = core::format_utc(now), actor(kActor);
  const long long lim = limit;
  db::WriteTransaction tx(sql, dialect);
  ledger::EventAppender events(sql, dialect);
  out.warned = warn_due_soon(sql, events, at, lim);
  std::set<int64_t> supervised;
  // 督办 before the deadline, where the rule says when (escalate_at).
  for (const auto& o : swept_rows(sql, kToEscalate, at, lim)) {
    const long long obligation = o.id;
    sql << "UPDATE obligations SET escalated = 1 WHERE id = :id", soci::use(obligation);
    if (core::is_closed(o.status)) continue;
    if (escalate(sql, events, sla, o, now, o.duty + " at " + o.department + " not done yet, due " + o.due_at,
                 supervised))
      ++out.escalated;
  }
  for (const auto& o : swept_rows(sql, kOverdue, at, lim)) {
    const long long obligation = o.id;
    if (core::is_closed(o.status)) {
      // Closed in time (by its system or at the counter): nothing is owed any more.
      sql << "UPDATE obligations SET state = 'met', closed_at = :at WHERE id = :id", soci::use(at),
          soci::use(obligation);
      continue;
    }
    sql << "UPDATE obligations SET state = 'overdue', closed_at = :at WHERE id = :id", soci::use(at),
        soci::use(obligation);
    events.append(o.case_id, "overdue", actor,
                  {{"obligation", o.id}, {"department", o.department}, {"duty", o.duty}, {"due_at", o.due_at}}, at);
    ++out.overdue;
    // Escalated before its deadline already: supervised, and one supervising duty is enough.
    if (o.escalated) continue;
    if (escalate(sql, events, sla, o, now, o.duty + " overdue at " + o.department + ", due " + o.due_at, supervised))
      ++out.escalated;
  }
  events.flush();
  tx.commit();
  return out;
}

OpenedObligation open_obligation(soci::session& sql, const SlaSettings& sla, int64_t case_id,
                                 const std::string& department, const std::string& level, const DutyRule& rule,
                                 core::Instant now, const std::string& source_system) {
  const auto due = sla.policy->due_of(rule, now, *sla.calendar);
  return {insert_obligation(sql, case_id, source_system, department, level, rule, now, due, *sla.policy, std::nullopt),
          due};
}

int pause_obligations(soci::session& sql, int64_t case_id, core::Instant now) {
  const long long cid = case_id;
  const std::string at = core::format_utc(now);
  long long n = 0;
  sql << "SELECT COUNT(*) FROM obligations WHERE case_id = :c AND state = 'open'", soci::use(cid), soci::into(n);
  sql << "UPDATE obligations SET state = 'paused', paused_at = :at WHERE case_id = :c AND state = 'open'",
      soci::use(at), soci::use(cid);
  return static_cast<int>(n);
}

namespace {

struct Clock {
  int64_t id;
  std::string department, duty, unit, due_at, warn_at, paused_at;
  int extend_max, extended;
  std::string escalate_at;
};

// A case's clocks in `state` (of `duty`, when given).
std::vector<Clock> clocks(soci::session& sql, int64_t case_id, const std::string& state, const std::string& duty = "") {
  std::vector<Clock> out;
  db::Query q(
      "SELECT id, department, duty, unit, due_at, warn_at, paused_at, extend_max, extended, escalate_at FROM "
      "obligations WHERE case_id = ");
  q << q.integer(case_id) << " AND state = " << q.text(state);
  if (!duty.empty()) q << " AND duty = " << q.text(duty);
  q << " ORDER BY id";
  soci::rowset<soci::row> rs = q.prepare(sql);
  for (const auto& r : rs)
    out.push_back({row_int(r, 0), row_text(r, 1), row_text(r, 2), row_text(r, 3), row_text(r, 4), row_text(r, 5),
                   row_text(r, 6), static_cast<int>(row_int(r, 7)), static_cast<int>(row_int(r, 8)), row_text(r, 9)});
  return out;
}

// Moves one clock's due instant to `due`, its warning and early 督办 keeping their
// distance before it.
ClockChange move_clock(soci::session& sql, const Clock& c, core::Instant due, const std::string& set) {
  const auto old_due = *core::parse_instant(c.due_at), old_warn = *core::parse_instant(c.warn_at);
  const auto warn = due - (old_due - old_warn);
  db::Query q("UPDATE obligations SET due_at = ");
  q << q.text(core::format_utc(due)) << ", warn_at = " << q.text(core::format_utc(warn));
  if (auto esc = core::parse_instant(c.escalate_at))
    q << ", escalate_at = " << q.text(core::format_utc(due - (old_due - *esc)));
  q << set << " WHERE id = " << q.integer(c.id);
  soci::statement(q.prepare(sql)).execute(true);
  return {c.id, c.department, c.duty, c.due_at, core::format_utc(due)};
}

}  // namespace

std::vector<ClockChange> resume_obligations(soci::session& sql, const SlaSettings& sla, int64_t case_id,
                                            core::Instant now) {
  std::vector<ClockChange> out;
  for (const auto& c : clocks(sql, case_id, "paused")) {
    core::Instant due = *core::parse_instant(c.due_at);
    if (sla.policy && sla.calendar)
      due = sla.policy->resumed_due(c.unit, due, *core::parse_instant(c.paused_at), now, *sla.calendar);
    else
      due += now - *core::parse_instant(c.paused_at);
    out.push_back(move_clock(sql, c, due, ", state = 'open', paused_at = NULL"));
  }
  return out;
}

ExtendOutcome extend_obligations(soci::session& sql, const SlaSettings& sla, int64_t case_id, const std::string& duty,
                                 int by) {
  ExtendOutcome out;
  const auto open = clocks(sql, case_id, "open", duty);
  if (open.empty()) {
    out.refusal = "no_open_duty";
    out.message = "no open " + duty + " obligation to extend";
    return out;
  }
  for (const auto& c : open) {
    out.unit = c.unit;
    out.limit = c.extend_max;
    if (c.extended) {
      out.refusal = "extended_already";
      out.message = duty + " at " + c.department + " was extended already: one extension is the limit";
      return out;
    }
    if (c.extend_max <= 0) {
      out.refusal = "not_extendable";
      out.message = duty + " at " + c.department + " may not be extended (its SLA rule sets no extend_max)";
      return out;
    }
    if (by < 1 || by > c.extend_max) {
      out.refusal = "bad_request";
      out.message = "by: " + duty + " may be extended by 1 to " + std::to_string(c.extend_max) + " " + c.unit +
                    ", not " + std::to_string(by);
      return out;
    }
  }
  if (!sla.policy || !sla.calendar) {
    out.refusal = "conflict";
    out.message = "this hub has no SLA calendar loaded to extend against";
    return out;
  }
  for (const auto& c : open)
    out.changes.push_back(move_clock(
        sql, c, sla.policy->extended_due(c.unit, *core::parse_instant(c.due_at), by, *sla.calendar), ", extended = 1"));
  return out;
}

namespace {

// The columns of an ObligationRow, up to the conditions (read_obligations()).
constexpr const char* kObligations =
    "SELECT id, case_id, department, level, duty, state, started_at, due_at, warn_at, closed_at, warned, "
    "escalated_from, unit, paused_at, extend_max, extended, source_system FROM obligations WHERE ";

// `q` is kObligations and its conditions; this adds the order and the limit.
std::vector<ObligationRow> read_obligations(soci::session& sql, db::Query& q, int limit) {
  std::vector<ObligationRow> out;
  q << " ORDER BY due_at, id LIMIT " << q.integer(limit);
  soci::rowset<soci::row> rs = q.prepare(sql);
  for (const auto& r : rs) {
    ObligationRow o;
    o.id = row_int(r, 0);
    o.case_id = row_int(r, 1);
    o.department = row_text(r, 2);
    o.level = row_text(r, 3);
    o.duty = row_text(r, 4);
    o.state = row_text(r, 5);
    o.started_at = row_text(r, 6);
    o.due_at = row_text(r, 7);
    o.warn_at = row_text(r, 8);
    o.closed_at = row_text(r, 9);
    o.warned = row_int(r, 10) != 0;
    if (r.get_indicator(11) == soci::i_ok) o.escalated_from = row_int(r, 11);
    o.unit = row_text(r, 12);
    o.paused_at = row_text(r, 13);
    o.extend_max = static_cast<int>(row_int(r, 14));
    o.extended = row_int(r, 15) != 0;
    o.source_system = row_text(r, 16);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

std::vector<ObligationRow> list_obligations(soci::session& sql, const std::string& due_before,
                                            const std::string& department, const std::string& state, int limit) {
  db::Query q(kObligations);
  q << "state = " << q.text(state.empty() ? "open" : state);
  if (!due_before.empty()) q << " AND due_at < " << q.text(due_before);
  if (!department.empty()) q << " AND department = " << q.text(department);
  return read_obligations(sql, q, limit);
}

std::vector<ObligationRow> case_obligations(soci::session& sql, int64_t case_id) {
  db::Query q(kObligations);
  q << "case_id = " << q.integer(case_id);
  return read_obligations(sql, q, 1000);
}

void meet_running_obligations(soci::session& sql, int64_t case_id, const std::string& at) {
  const long long cid = case_id;
  sql << "UPDATE obligations SET state = 'met', closed_at = :at WHERE case_id = :c "
         "AND state IN ('open', 'paused', 'overdue')",
      soci::use(at), soci::use(cid);
}

void settle_open_obligations(soci::session& sql, int64_t case_id, const std::string& state, const std::string& at,
                             const std::string& only_duty, const std::string& except_duty,
                             const std::string& department) {
  const long long cid = case_id;
  sql << "UPDATE obligations SET state = :s, closed_at = :at WHERE case_id = :c AND state = 'open' "
         "AND (:o = '' OR duty = :o2) AND (:e = '' OR duty <> :e2) AND (:d = '' OR department = :d2)",
      soci::use(state), soci::use(at), soci::use(cid), soci::use(only_duty), soci::use(only_duty),
      soci::use(except_duty), soci::use(except_duty), soci::use(department), soci::use(department);
}

std::vector<ObligationRow> running_obligations(soci::session& sql, const std::vector<int64_t>& case_ids) {
  if (case_ids.empty()) return {};
  // One placeholder per id: a page of cases (at most 200).
  db::Query q(kObligations);
  q << "case_id IN (";
  for (std::size_t i = 0; i < case_ids.size(); ++i) q << (i ? ", " : "") << q.integer(case_ids[i]);
  q << ") AND state IN ('open', 'paused', 'overdue')";
  return read_obligations(sql, q, static_cast<int>(case_ids.size()) * 20);
}

std::optional<TimeLeft> time_left(const ObligationRow& o, const SlaSettings& sla, core::Instant now) {
  const auto due = core::parse_instant(o.due_at);
  if (!due) return std::nullopt;
  core::Instant at = now;
  if (o.state == "paused")
    if (auto p = core::parse_instant(o.paused_at)) at = *p;
  TimeLeft t;
  t.seconds = (*due - at).count();
  if (o.unit == "workdays" && sla.calendar) {
    const auto offset = std::chrono::minutes(sla.policy ? sla.policy->utc_offset_minutes() : kDefaultUtcOffsetMinutes);
    // The due instant is exclusive: its last second on time falls on the due day.
    const auto local_day = [&](core::Instant i) {
      return std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(i + offset));
    };
    try {
      t.value = sla.calendar->workdays_between(local_day(at), local_day(*due - std::chrono::seconds(1)));
      t.unit = "working_day";
      return t;
    } catch (const CalendarRangeError&) {
      // Outside the loaded years: hours still say it.
    }
  }
  t.unit = "hour";
  t.value = t.seconds >= 0 ? t.seconds / 3600 : -((-t.seconds + 3599) / 3600);
  return t;
}

bool department_owes(soci::session& sql, int64_t case_id, const std::string& department) {
  long long id = case_id, n = 0;
  sql << "SELECT COUNT(*) FROM obligations WHERE case_id = :c AND department = :d "
         "AND state IN ('open', 'paused', 'overdue')",
      soci::use(id), soci::use(department), soci::into(n);
  return n > 0;
}

}  // namespace yizhan::sla

namespace yizhan::sla {

std::vector<SettledDuty> settled_duties(soci::session& sql, const std::string& duty, const std::string& from,
                                        const std::string& to) {
  std::vector<SettledDuty> out;
  soci::rowset<soci::row> rs =
      (sql.prepare << "SELECT department, case_id, state, closed_at, due_at FROM obligations WHERE duty = :d AND "
                      "state IN ('met', 'overdue') AND closed_at >= :f AND closed_at < :t",
       soci::use(duty), soci::use(from), soci::use(to));
  for (const auto& r : rs)
    out.push_back({row_text(r, 0), row_int(r, 1), row_text(r, 2) == "met" && row_text(r, 3) < row_text(r, 4)});
  return out;
}

std::map<int64_t, std::set<std::string>> owing_departments(soci::session& sql, const std::vector<int64_t>& case_ids,
                                                           const std::string& duty) {
  std::map<int64_t, std::set<std::string>> out;
  // In slices, one placeholder per id.
  for (std::size_t at = 0; at < case_ids.size(); at += 200) {
    db::Query q("SELECT case_id, department FROM obligations WHERE state <> 'cancelled' AND duty = ");
    q << q.text(duty) << " AND case_id IN (";
    for (std::size_t i = at; i < case_ids.size() && i < at + 200; ++i)
      q << (i > at ? ", " : "") << q.integer(case_ids[i]);
    q << ")";
    soci::rowset<soci::row> rs = q.prepare(sql);
    for (const auto& r : rs) out[row_int(r, 0)].insert(row_text(r, 1));
  }
  return out;
}

}  // namespace yizhan::sla

namespace yizhan::sla {

bool signed_for(soci::session& sql, int64_t case_id) {
  const long long cid = case_id;
  long long met = 0;
  sql << "SELECT COUNT(*) FROM obligations WHERE case_id = :c AND duty = 'sign_for' AND escalated_from IS NULL AND "
         "state = 'met'",
      soci::use(cid), soci::into(met);
  return met > 0;
}

std::vector<ObligationRow> overdue_past(soci::session& sql, const SlaSettings& sla, const DutyRule& limit,
                                        core::Instant now, int max_rows) {
  std::vector<ObligationRow> out;
  if (!sla.policy || !sla.calendar) return out;
  // Any due instant later than this cannot be `limit` past yet (a working day is at
  // least a day); the exact test is per row, on the calendar.
  const auto span = limit.unit == "hours" ? std::chrono::hours(limit.within) : std::chrono::hours(24 * limit.within);
  db::Query q(kObligations);
  q << "state = 'overdue' AND problem_checked = 0 AND due_at <= " << q.text(core::format_utc(now - span));
  for (auto& o : read_obligations(sql, q, max_rows)) {
    try {
      // Counted on from the deadline's own day, as an extension is.
      if (sla.policy->extended_due(limit.unit, *core::parse_instant(o.due_at), limit.within, *sla.calendar) > now)
        continue;
    } catch (const CalendarRangeError&) {
      continue;  // past the loaded calendars: said once by the sweep already
    }
    const long long oid = o.id;
    sql << "UPDATE obligations SET problem_checked = 1 WHERE id = :id", soci::use(oid);
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace yizhan::sla
