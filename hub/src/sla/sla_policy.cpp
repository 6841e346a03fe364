#include "sla/sla_policy.hpp"

#include <yaml-cpp/yaml.h>

#include <cstdio>
#include <set>

#include "routing/routing_rules.hpp"

namespace yizhan::sla {
namespace {

using std::chrono::days;
using std::chrono::sys_days;

const std::set<std::string> kDuties = {"sign_for", "handle", "reply", "follow_up"};
const std::set<std::string> kReviewDuties = {"review", "second_review"};  // 复查, 复核
const std::set<std::string> kUnits = {"workdays", "days", "hours"};
const std::set<std::string> kStarts = {"registered", "assigned", "accepted"};

std::optional<int> parse_offset(const std::string& s) {
  int h = 0, m = 0;
  char sign = 0;
  if (s.size() != 6 || std::sscanf(s.c_str(), "%c%2d:%2d", &sign, &h, &m) != 3 || (sign != '+' && sign != '-') ||
      h > 14 || m > 59)
    return std::nullopt;
  return (sign == '-' ? -1 : 1) * (h * 60 + m);
}

const std::set<std::string> kRuleKeys = {"duty",   "within",  "unit",        "extend_max",
                                         "starts", "warn_at", "escalate_at", "supervise"};

// {within, unit} of a duty named `duty`, or nullopt with the problem in `errors`.
std::optional<DutyRule> read_limit(const YAML::Node& n, const std::string& where, const std::string& duty,
                                   std::vector<std::string>& errors) {
  for (const auto& kv : n.IsMap() ? n : YAML::Node())
    if (auto k = kv.first.as<std::string>(); k != "within" && k != "unit")
      errors.push_back(where + "." + k + ": unknown key (known: unit, within)");
  DutyRule r{duty, -1, "", 0, "assigned"};
  if (n.IsMap() && n["within"]) r.within = n["within"].as<int>();
  if (n.IsMap() && n["unit"]) r.unit = n["unit"].as<std::string>();
  if (r.within < 0 || r.within > 3650 || !kUnits.contains(r.unit)) {
    errors.push_back(where + ": expected {within: 0..3650, unit: workdays|days|hours}");
    return std::nullopt;
  }
  return r;
}

// The per-rule timing of warning and 督办 (warn_at, escalate_at, supervise), checked.
void read_escalation_keys(const YAML::Node& n, const std::string& at, DutyRule& r, std::vector<std::string>& errors) {
  if (n["warn_at"]) r.warn_at = n["warn_at"].as<double>();
  if (n["escalate_at"]) r.escalate_at = n["escalate_at"].as<double>();
  if (const auto& s = n["supervise"])
    if (const auto limit = read_limit(s, at + ".supervise", "supervise", errors)) {
      r.supervise_within = limit->within;
      r.supervise_unit = limit->unit;
    }
  if (r.warn_at && !(*r.warn_at > 0 && *r.warn_at < 1)) errors.push_back(at + ".warn_at: must be between 0 and 1");
  if (r.escalate_at && !(*r.escalate_at > 0 && *r.escalate_at < 1))
    errors.push_back(at + ".escalate_at: must be between 0 and 1 (督办 before the deadline; omit it for when overdue)");
}

std::vector<DutyRule> read_list(const YAML::Node& n, const std::string& where, std::vector<std::string>& errors,
                                const std::set<std::string>& duties = kDuties) {
  std::vector<DutyRule> out;
  if (!n.IsSequence()) {
    errors.push_back(where + ": expected a list of {duty, within, unit}");
    return out;
  }
  std::set<std::string> seen;
  for (size_t i = 0; i < n.size(); ++i) {
    const std::string at = where + "[" + std::to_string(i) + "] (line " + std::to_string(n[i].Mark().line + 1) + ")";
    DutyRule r;
    try {
      for (const auto& kv : n[i])
        if (auto k = kv.first.as<std::string>(); !kRuleKeys.contains(k))
          errors.push_back(at + "." + k +
                           ": unknown key (known: duty, escalate_at, extend_max, starts, supervise, unit, warn_at, "
                           "within)");
      r.duty = n[i]["duty"] ? n[i]["duty"].as<std::string>() : "";
      r.within = n[i]["within"] ? n[i]["within"].as<int>() : -1;
      r.unit = n[i]["unit"] ? n[i]["unit"].as<std::string>() : "";
      r.extend_max = n[i]["extend_max"] ? n[i]["extend_max"].as<int>() : 0;
      r.starts = n[i]["starts"] ? n[i]["starts"].as<std::string>() : default_start(r.duty);
      read_escalation_keys(n[i], at, r, errors);
    } catch (const YAML::Exception& e) {
      errors.push_back(at + ": " + e.msg);
      continue;
    }
    if (!duties.contains(r.duty)) {
      std::string known;
      for (const auto& d : duties) known += (known.empty() ? "" : ", ") + d;
      errors.push_back(at + ".duty: '" + r.duty + "' is not one of " + known);
    }
    if (!seen.insert(r.duty).second) errors.push_back(at + ".duty: '" + r.duty + "' is listed twice");
    if (r.within < 0 || r.within > 3650) errors.push_back(at + ".within: a whole number 0..3650 is required");
    if (!kUnits.contains(r.unit)) errors.push_back(at + ".unit: '" + r.unit + "' is not one of workdays, days, hours");
    if (r.extend_max < 0) errors.push_back(at + ".extend_max: must not be negative");
    if (!kStarts.contains(r.starts))
      errors.push_back(at + ".starts: '" + r.starts + "' is not registered, assigned or accepted");
    out.push_back(r);
  }
  return out;
}

std::string format_local(core::Instant t, int offset_minutes) {
  const auto local = t + std::chrono::minutes(offset_minutes);
  const auto day = std::chrono::floor<days>(local);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{local - day};
  char buf[40];
  const int off = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), offset_minutes < 0 ? '-' : '+', off / 60, off % 60);
  return buf;
}

// triage: {within, unit, department}: the counter's time to send on a case no rule routes.
std::optional<std::pair<DutyRule, std::string>> read_triage(const YAML::Node& t, std::vector<std::string>& errors) {
  const std::string at = "triage (line " + std::to_string(t.Mark().line + 1) + ")";
  DutyRule r{"triage", -1, "", 0, "assigned"};
  std::string department;
  try {
    for (const auto& kv : t)
      if (auto k = kv.first.as<std::string>(); k != "within" && k != "unit" && k != "department" && k != "warn_at")
        errors.push_back("triage." + k + ": unknown key (known: department, unit, warn_at, within)");
    if (t["within"]) r.within = t["within"].as<int>();
    if (t["unit"]) r.unit = t["unit"].as<std::string>();
    if (t["department"]) department = t["department"].as<std::string>();
    if (t["warn_at"]) r.warn_at = t["warn_at"].as<double>();
  } catch (const YAML::Exception& e) {
    errors.push_back(at + ": " + e.msg);
    return std::nullopt;
  }
  if (r.within < 0 || r.within > 3650 || !kUnits.contains(r.unit) || department.empty()) {
    errors.push_back(at + ": expected {within: 0..3650, unit: workdays|days|hours, department: <the counter's id>}");
    return std::nullopt;
  }
  return std::pair{r, department};
}

ProblemOrderRules read_problem_orders(const YAML::Node& n, std::vector<std::string>& errors) {
  ProblemOrderRules r;
  try {
    for (const auto& kv : n)
      if (auto k = kv.first.as<std::string>();
          k != "returned" && k != "passed_among" && k != "overdue_for" && k != "to" && k != "supervise")
        errors.push_back("problem_orders." + k +
                         ": unknown key (known: overdue_for, passed_among, returned, supervise, to)");
    if (n["returned"]) r.returned = n["returned"].as<int>();
    if (n["passed_among"]) r.passed_among = n["passed_among"].as<int>();
    if (n["overdue_for"]) r.overdue_for = read_limit(n["overdue_for"], "problem_orders.overdue_for", "overdue", errors);
    if (n["supervise"])
      if (auto sv = read_limit(n["supervise"], "problem_orders.supervise", "supervise", errors)) r.supervise = *sv;
    if (const auto& to = n["to"]) {
      r.to = {to["level"] ? to["level"].as<std::string>() : "",
              to["department"] ? to["department"].as<std::string>() : ""};
      if (r.to.level.empty() || r.to.department.empty())
        errors.push_back("problem_orders.to: expected {level, department} (e.g. {level: county, department: shgzb})");
    }
  } catch (const YAML::Exception& e) {
    errors.push_back("problem_orders: " + e.msg + " (line " + std::to_string(e.mark.line + 1) + ")");
  }
  if (r.returned < 0 || r.passed_among < 0)
    errors.push_back("problem_orders: returned and passed_among must not be negative");
  return r;
}

}  // namespace

std::string default_start(const std::string& duty) {
  return duty == "reply" || duty == "follow_up" ? "registered" : "assigned";
}

SlaPolicy SlaPolicy::load(const std::filesystem::path& file) {
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    throw SlaFileError(file.string() + ": cannot read the file");
  } catch (const YAML::Exception& e) {
    throw SlaFileError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root.IsMap()) throw SlaFileError(file.string() + ": expected a mapping");
  std::vector<std::string> errors;
  SlaPolicy p;
  static const std::set<std::string> kTopKeys = {"categories", "defaults", "escalation", "problem_orders", "ratings",
                                                 "systems",    "triage",   "utc_offset", "version"};
  for (const auto& kv : root)
    if (auto k = kv.first.as<std::string>(); !kTopKeys.contains(k)) {
      std::string known;
      for (const auto& x : kTopKeys) known += (known.empty() ? "" : ", ") + x;
      errors.push_back(k + ": unknown key (known: " + known + ")");
    }
  p.escalation_ = {{"village", {"town", "{town}"}}, {"town", {"county", "shgzb"}}};
  if (const auto& e = root["escalation"]) {
    try {
      for (const auto& kv : e)
        if (auto k = kv.first.as<std::string>(); k != "warn_at" && k != "within" && k != "unit" && k != "to")
          errors.push_back("escalation." + k + ": unknown key (known: to, unit, warn_at, within)");
      if (e["warn_at"]) p.warn_fraction_ = e["warn_at"].as<double>();
      if (e["within"]) p.escalation_duty_.within = e["within"].as<int>();
      if (e["unit"]) p.escalation_duty_.unit = e["unit"].as<std::string>();
      if (e["to"]) {
        p.escalation_.clear();
        for (const auto& kv : e["to"])
          p.escalation_[kv.first.as<std::string>()] = {kv.second["level"].as<std::string>(),
                                                       kv.second["department"].as<std::string>()};
      }
    } catch (const YAML::Exception& ex) {
      errors.push_back("escalation: " + ex.msg + " (line " + std::to_string(ex.mark.line + 1) + ")");
    }
    if (!(p.warn_fraction_ > 0 && p.warn_fraction_ < 1))
      errors.push_back("escalation.warn_at: must be between 0 and 1");
    if (!kUnits.contains(p.escalation_duty_.unit))
      errors.push_back("escalation.unit: '" + p.escalation_duty_.unit + "' is not one of workdays, days, hours");
  }
  if (root["utc_offset"]) {
    auto o = parse_offset(root["utc_offset"].as<std::string>());
    if (!o) errors.push_back("utc_offset: expected ±HH:MM, e.g. \"+08:00\"");
    p.offset_minutes_ = o.value_or(kDefaultUtcOffsetMinutes);
  }
  if (root["defaults"]) p.defaults_ = read_list(root["defaults"], "defaults", errors);
  if (const auto& cats = root["categories"]) {
    if (!cats.IsMap()) errors.push_back("categories: expected a mapping of category -> list of duties");
    for (const auto& c : cats) {
      const auto cat = c.first.as<std::string>();
      p.categories_.emplace_back(cat, read_list(c.second, "categories." + cat, errors));
    }
  }
  if (const auto& systems = root["systems"]) {
    for (const auto& s : systems) {
      const auto name = s.first.as<std::string>();
      const std::string where = "systems." + name;
      for (const auto& kv : s.second)
        if (auto k = kv.first.as<std::string>();
            k != "default" && k != "categories" && k != "reviews" && k != "answered_by")
          errors.push_back(where + "." + k + ": unknown key (known: answered_by, categories, default, reviews)");
      if (s.second["answered_by"]) p.answered_by_[name] = s.second["answered_by"].as<std::string>();
      if (s.second["default"]) p.system_default_[name] = read_list(s.second["default"], where + ".default", errors);
      if (s.second["reviews"])
        p.reviews_[name] = read_list(s.second["reviews"], where + ".reviews", errors, kReviewDuties);
      if (const auto& cats = s.second["categories"])
        for (const auto& c : cats) {
          const auto cat = c.first.as<std::string>();
          p.system_categories_[name].emplace_back(cat, read_list(c.second, where + ".categories." + cat, errors));
        }
    }
  }
  if (const auto& t = root["triage"]) p.triage_ = read_triage(t, errors);
  if (const auto& r = root["ratings"]) p.ratings_ = read_rating_rules(r, errors);
  if (const auto& po = root["problem_orders"]) p.problem_orders_ = read_problem_orders(po, errors);
  if (p.defaults_.empty()) errors.push_back("defaults: required, with at least one duty (what applies elsewhere)");
  if (!errors.empty()) {
    std::string all = file.string() + ": invalid SLA file:";
    for (const auto& e : errors) all += "\n  " + e;
    throw SlaFileError(all);
  }
  return p;
}

std::pair<const std::vector<DutyRule>*, std::string> SlaPolicy::rules_for(const std::string& system,
                                                                          const std::string& category) const {
  const std::vector<DutyRule>* rules = &defaults_;
  std::string source = "defaults";
  if (auto it = system_default_.find(system); it != system_default_.end()) rules = &it->second, source = system;
  if (auto it = system_categories_.find(system); it != system_categories_.end())
    for (const auto& [pattern, list] : it->second)
      if (routing::category_matches(pattern, category)) return {&list, system + "/" + pattern};
  for (const auto& [pattern, list] : categories_)
    if (routing::category_matches(pattern, category)) return {&list, "categories/" + pattern};
  return {rules, source};
}

std::string SlaPolicy::answered_by(const std::string& system) const {
  auto it = answered_by_.find(system);
  return it == answered_by_.end() ? std::string() : it->second;
}

const std::vector<DutyRule>& SlaPolicy::reviews_for(const std::string& system) const {
  static const std::vector<DutyRule> none;
  auto it = reviews_.find(system);
  return it == reviews_.end() ? none : it->second;
}

std::vector<DutyDue> SlaPolicy::due_instants(const std::string& system, const std::string& category,
                                             core::Instant start, const WorkCalendar& calendar) const {
  const auto [rules, source] = rules_for(system, category);
  std::vector<DutyDue> out;
  for (const auto& r : *rules) {
    DutyDue d;
    d.rule = r;
    d.source = source;
    d.due = due_of(r, start, calendar);
    d.due_local = local_text(d.due - std::chrono::seconds(1));
    out.push_back(std::move(d));
  }
  return out;
}

core::Instant SlaPolicy::due_of(const DutyRule& r, core::Instant start, const WorkCalendar& calendar) const {
  const auto offset = std::chrono::minutes(offset_minutes_);
  const sys_days start_date = std::chrono::floor<days>(start + offset);
  auto end_of = [&](std::chrono::year_month_day d) {
    return core::Instant(
        std::chrono::duration_cast<std::chrono::seconds>((sys_days(d) + days{1}).time_since_epoch() - offset));
  };
  if (r.unit == "hours") return start + std::chrono::hours(r.within);
  if (r.unit == "workdays") return end_of(calendar.add_workdays(std::chrono::year_month_day{start_date}, r.within));
  return end_of(calendar.next_workday_on_or_after(std::chrono::year_month_day{start_date + days{r.within}}));
}

core::Instant SlaPolicy::resumed_due(const std::string& unit, core::Instant due, core::Instant paused,
                                     core::Instant resumed, const WorkCalendar& calendar) const {
  if (resumed <= paused) return due;
  if (unit != "workdays" && unit != "days") return due + (resumed - paused);
  const auto offset = std::chrono::minutes(offset_minutes_);
  const sys_days from = std::chrono::floor<days>(paused + offset), to = std::chrono::floor<days>(resumed + offset);
  const int lost = unit == "workdays" ? calendar.workdays_between(std::chrono::year_month_day{from - days{1}},
                                                                  std::chrono::year_month_day{to - days{1}})
                                      : static_cast<int>((to - from).count());
  return lost > 0 ? extended_due(unit, due, lost, calendar) : due;
}

core::Instant SlaPolicy::extended_due(const std::string& unit, core::Instant due, int by,
                                      const WorkCalendar& calendar) const {
  if (unit != "workdays" && unit != "days") return due + std::chrono::hours(by);
  // A day-unit due instant is the end of its last day: count on from that day.
  return due_of(DutyRule{"", by, unit, 0, "assigned"}, due - std::chrono::seconds(1), calendar);
}

DutyRule SlaPolicy::supervise_duty(int within, const std::string& unit) const {
  if (within < 0 || unit.empty()) return escalation_duty_;
  return DutyRule{"supervise", within, unit, 0, "assigned"};
}

std::string SlaPolicy::local_text(core::Instant t) const { return format_local(t, offset_minutes_); }

std::optional<EscalationStep> SlaPolicy::escalate_from(const std::string& level) const {
  auto it = escalation_.find(level);
  if (it == escalation_.end()) return std::nullopt;
  return it->second;
}

}  // namespace yizhan::sla
