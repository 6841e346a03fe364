#include "workflow/case_actions.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <set>

#include "core/case_status.hpp"
#include "routing/routing_rules.hpp"
#include "store/case_reader.hpp"
#include "store/case_writer.hpp"
#include "workflow/case_router.hpp"
#include "workflow/problem_orders.hpp"

namespace yizhan::workflow {
namespace json = boost::json;

namespace {

enum class Kind { move, resume, extend, reopen, review };

struct ActionSpec {
  const char* name;
  core::CaseStatus to;  // for resume and extend: unused
  const char* event;
  Kind kind = Kind::move;
};

constexpr ActionSpec kActions[] = {{"accept", core::CaseStatus::in_progress, "accepted"},
                                   {"return", core::CaseStatus::returned, "returned"},
                                   {"reassign", core::CaseStatus::dispatched, "reassigned"},
                                   {"reply", core::CaseStatus::replied, "replied"},
                                   {"close", core::CaseStatus::closed, "closed"},
                                   {"suspend", core::CaseStatus::suspended, "suspended"},
                                   {"resume", core::CaseStatus::suspended, "resumed", Kind::resume},
                                   {"extend", core::CaseStatus::in_progress, "extended", Kind::extend},
                                   {"follow_up", core::CaseStatus::followed_up, "followed_up"},
                                   {"rate", core::CaseStatus::rated, "rated"},
                                   {"reopen", core::CaseStatus::in_progress, "reopened", Kind::reopen},
                                   {"review", core::CaseStatus::supervised, "review_requested", Kind::review}};

constexpr const char* kNames =
    "accept, return, reassign, reply, close, suspend, resume, extend, follow_up, rate, reopen, review";

const ActionSpec* find_action(const std::string& name) {
  for (const auto& a : kActions)
    if (name == a.name) return &a;
  return nullptr;
}

// Statuses whose clocks run and may be extended.
bool clocks_run(core::CaseStatus s) {
  return s == core::CaseStatus::dispatched || s == core::CaseStatus::in_progress || s == core::CaseStatus::supervised;
}

bool allows(core::CaseStatus from, const ActionSpec& a) {
  switch (a.kind) {
    case Kind::resume:
      return from == core::CaseStatus::suspended;
    case Kind::extend:
      return clocks_run(from);
    case Kind::review:  // 复查 / 复核: the answer is not accepted
      return from == core::CaseStatus::replied;
    case Kind::reopen:  // 重办: handled, but not to the citizen's satisfaction
      return (from == core::CaseStatus::replied || core::is_closed(core::to_string(from))) &&
             core::can_move(from, core::CaseStatus::in_progress);
    case Kind::move:
      // 改派 before 签收: a dispatched case no one has signed for yet may be passed on.
      if (std::string_view(a.name) == "reassign" && from == core::CaseStatus::dispatched) return true;
      // 签收 is of what was dispatched (or sent back under supervision): a replied or
      // closed case goes back to work only by reopen, with its reason.
      if (std::string_view(a.name) == "accept")
        return from == core::CaseStatus::dispatched || from == core::CaseStatus::supervised;
      return core::can_move(from, a.to);
  }
  return false;
}

json::array changes_json(const std::vector<sla::ClockChange>& changes) {
  json::array out;
  for (const auto& c : changes)
    out.push_back(json::object{
        {"obligation", c.obligation}, {"department", c.department}, {"duty", c.duty}, {"from", c.from}, {"to", c.to}});
  return out;
}

// The status a suspended case had: the "from" of its last suspension.
std::string status_before_suspension(soci::session& sql, int64_t case_id) {
  const auto suspended = ledger::last_case_event(sql, case_id, "suspended");
  if (!suspended) return "in_progress";
  boost::system::error_code ec;
  auto v = json::parse(suspended->data, ec);
  if (ec || !v.is_object()) return "in_progress";
  const auto* from = v.as_object().if_contains("from");
  if (!from || !from->is_string()) return "in_progress";
  const auto s = core::parse_status(from->as_string());
  return s && core::can_move(core::CaseStatus::suspended, *s) ? std::string(from->as_string()) : "in_progress";
}

// Everything one action works with: the call's arguments, the case as it was, and the
// event's data as built so far.
struct Action {
  soci::session& sql;
  ledger::EventAppender& events;
  const sla::SlaSettings& sla;
  const writeback::Outbox* outbox;
  int64_t case_id;
  const ActionRequest& request;
  core::Instant now;
  const ActionSpec& spec;
  std::string id, at;         // the case id and now, as text
  core::Case c{};             // the case, before the action
  json::array departments{};  // request.departments
  json::object data{};        // the ledger event's
};

// The case's status and level; refused when it does not exist, is merged into
// another case or its status does not allow the action.
void read_case(Action& x) {
  auto stored = store::stored_case(x.sql, x.case_id);
  if (!stored) throw ActionError("not_found", "case " + x.id + " does not exist");
  if (stored->merged_into)
    throw ActionError("conflict", "case " + x.id + " is merged into case " + std::to_string(*stored->merged_into) +
                                      ": act on that one");
  x.c = std::move(*stored);
  const std::string& expected = x.request.expected_status;
  if (!expected.empty() && expected != x.c.status)
    throw ActionError("stale", "the case is " + x.c.status + " now, not " + expected + ": reload it and decide again",
                      allowed_actions(x.c.status));
  if (!x.request.by_counter && !department_may(x.request.action))
    throw ActionError("forbidden", x.request.action +
                                       " is the counter's: a department may accept, return, reply, suspend, "
                                       "resume and extend");
  const auto from = core::parse_status(x.c.status);
  if (!from || !allows(*from, x.spec))
    throw ActionError("conflict",
                      "cannot " + x.request.action + " a case that is " + x.c.status +
                          (from ? std::string(" (") + std::string(core::label_zh(*from)) + ")" : std::string()),
                      allowed_actions(x.c.status));
}

// Refuses a request missing what its action needs, or with what it may not have.
void check_request(const ActionRequest& request) {
  const std::string& a = request.action;
  if ((a == "return" || a == "reassign" || a == "suspend" || a == "extend" || a == "reopen" || a == "review") &&
      request.reason.empty())
    throw ActionError("bad_request", a + ": a reason is required");
  if (a == "reassign" && request.departments.empty())
    throw ActionError("bad_request", "reassign: the departments to pass the case to are required");
  if (!request.level.empty() && a != "reassign")
    throw ActionError("bad_request", "level: only a reassignment sets the level the case is handled at");
  if (!request.level.empty() && request.level != "village" && request.level != "town" && request.level != "county" &&
      request.level != "joint")
    throw ActionError("bad_request", "level: '" + request.level + "' is not village, town, county or joint");
  if (a == "rate" && request.rating.empty())
    throw ActionError("bad_request", "rate: a rating is required (satisfied, basically_satisfied, dissatisfied)");
  if (!request.rating.empty() && !is_rating(request.rating))
    throw ActionError("bad_request",
                      "rating: '" + request.rating + "' is not satisfied, basically_satisfied or dissatisfied");
}

// The event's data every action records: from, reason and what the request gave.
void start_event_data(Action& x) {
  const ActionRequest& request = x.request;
  for (const auto& d : request.departments) x.departments.push_back(json::string(d));
  x.data = json::object{{"from", x.c.status}, {"reason", request.reason}};
  if (!request.departments.empty()) x.data["departments"] = x.departments;
  if (!request.level.empty()) {
    x.data["level"] = request.level;
    x.data["from_level"] = x.c.level;
  }
  if (!request.text.empty()) x.data["text"] = request.text;
  if (!request.rating.empty()) x.data["rating"] = request.rating;
}

// extend: more time on the duty's open obligations; the status stays.
std::string apply_extend(Action& x) {
  auto outcome = sla::extend_obligations(x.sql, x.sla, x.case_id, x.request.duty, x.request.by);
  if (!outcome.refusal.empty()) throw ActionError(outcome.refusal, "extend: " + outcome.message);
  x.data["to"] = x.c.status;
  x.data["duty"] = x.request.duty;
  x.data["by"] = x.request.by;
  x.data["unit"] = outcome.unit;
  x.data["limit"] = outcome.limit;
  x.data["obligations"] = changes_json(outcome.changes);
  x.events.append(x.case_id, x.spec.event, x.request.actor, x.data, x.at);
  return x.c.status;
}

// The first system (by name) that reported the case, or a case merged into it, and has
// a review procedure: its name and its rounds of review.
std::pair<std::string, const std::vector<sla::DutyRule>*> review_procedure(const Action& x) {
  const std::vector<sla::DutyRule>* reviews = nullptr;
  std::string system;
  std::set<std::string> systems;
  for (const auto& r : store::group_records(x.sql, x.case_id)) systems.insert(r.system);
  for (const auto& s : systems)
    if (!reviews && x.sla.policy && !x.sla.policy->reviews_for(s).empty())
      system = s, reviews = &x.sla.policy->reviews_for(system);
  if (!reviews)
    throw ActionError("conflict", "review: no system that reported case " + x.id +
                                      " has a review procedure (reviews in the SLA file)");
  return {system, reviews};
}

// Who decides review round `done` + 1: the level one up per round from the level the
// case is handled at, and the department handling the case's division there.
std::pair<std::string, std::string> review_level_and_department(const Action& x, long long done) {
  std::string at_level = x.c.level, department;
  for (long long round = 0; round <= done; ++round)
    if (auto step = x.sla.policy->escalate_from(at_level)) {
      at_level = step->level;
      department = routing::resolve_handler(step->department, x.c.place.division_code).value_or(step->department);
    }
  if (department.empty()) throw ActionError("conflict", "review: no level above " + x.c.level + " (escalation.to)");
  return {at_level, department};
}

// review: the next round (复查 first, then 复核, as the reporting systems' SLA lists
// say), decided one level up per round, on its own obligation.
std::string apply_review(Action& x) {
  const auto [system, reviews] = review_procedure(x);
  // The rounds asked for already (reading one more than there are rounds is enough).
  ledger::EventFilter asked;
  asked.types = {"review_requested"};
  asked.case_ids = {x.case_id};
  asked.limit = static_cast<int>(reviews->size()) + 1;
  const auto done = static_cast<long long>(ledger::find_events(x.sql, asked).size());
  if (done >= static_cast<long long>(reviews->size()))
    throw ActionError("conflict", "review: all " + std::to_string(reviews->size()) +
                                      " rounds of review were asked for already; the last decision is final");
  const auto [at_level, department] = review_level_and_department(x, done);
  const sla::DutyRule& rule = (*reviews)[static_cast<size_t>(done)];
  sla::OpenedObligation opened;
  try {
    opened = sla::open_obligation(x.sql, x.sla, x.case_id, department, at_level, rule, x.now, system);
  } catch (const sla::CalendarRangeError& e) {
    throw ActionError("conflict", std::string("review: ") + e.what());
  }
  store::set_case_status(x.sql, x.case_id, "supervised");
  x.data["to"] = "supervised";
  x.data["round"] = done + 1;
  x.data["duty"] = rule.duty;
  x.data["system"] = system;
  x.data["department"] = department;
  x.data["level"] = at_level;
  x.data["obligation"] = opened.id;
  x.data["due_at"] = core::format_utc(opened.due);
  x.events.append(x.case_id, x.spec.event, x.request.actor, x.data, x.at);
  return "supervised";
}

// What a move does to the case's open obligations before its event is appended.
void settle_obligations(Action& x) {
  const std::string& a = x.request.action;
  const std::string& by = x.request.department;  // "": every department's
  if (a == "accept") sla::settle_open_obligations(x.sql, x.case_id, "met", x.at, "sign_for", "", by);
  // The answer meets every duty but the follow-up visit (a review's decision included).
  if (a == "reply") sla::settle_open_obligations(x.sql, x.case_id, "met", x.at, "", "follow_up", by);
  if (a == "close") sla::settle_open_obligations(x.sql, x.case_id, "met", x.at);
  if (a == "follow_up") sla::settle_open_obligations(x.sql, x.case_id, "met", x.at, "follow_up");
  if (a == "return") sla::settle_open_obligations(x.sql, x.case_id, "cancelled", x.at, "", "", by);
  if (a == "suspend") x.data["paused"] = sla::pause_obligations(x.sql, x.case_id, x.now);
  if (a == "resume") {
    auto changes = sla::resume_obligations(x.sql, x.sla, x.case_id, x.now);
    x.data["obligations"] = changes_json(changes);
  }
}

// The departments the case is routed to now.
std::vector<std::string> routed_departments(Action& x) {
  const auto route = stored_route(x.sql, x.case_id);
  std::vector<std::string> out;
  boost::system::error_code ec;
  if (auto v = json::parse(route ? route->departments : std::string("[]"), ec); !ec && v.is_array())
    for (const auto& d : v.as_array())
      if (d.is_string()) out.emplace_back(d.as_string());
  return out;
}

// accept: the duties that run from the acceptance decision (starts: accepted)
// start now, for the accepting department (the counter's accept: every routed one).
void start_accepted_duties(Action& x) {
  const auto departments =
      x.request.department.empty() ? routed_departments(x) : std::vector<std::string>{x.request.department};
  sla::open_duties_on(x.sql, x.events, x.sla, x.c, duty_sources(x.sql, x.case_id), x.c.level, departments, "accepted",
                      x.request.actor, x.now);
}

// reopen: handled again by the departments it is routed to, on new handle and reply clocks.
void reopen_at_routed_departments(Action& x) {
  const auto to_departments = routed_departments(x);
  sla::open_obligations(x.sql, x.events, x.sla, x.c, x.c.level, to_departments, x.request.actor, x.now,
                        {"handle", "reply", "follow_up"}, "reopened");
}

// reassign: routed to the departments given, at the level given (会商: several
// departments at the joint level, handled together), on new obligations.
void route_to_departments(Action& x) {
  std::string level = x.c.level;
  if (!x.request.level.empty() && x.request.level != level) {
    level = x.request.level;
    store::set_case_level(x.sql, x.case_id, level);
  }
  set_route_departments(x.sql, x.case_id, json::serialize(x.departments), level, x.at);
  sla::reconcile_obligations(x.sql, x.events, x.sla, x.c, duty_sources(x.sql, x.case_id), level, x.request.departments,
                             x.request.actor, x.now, x.now, "reassigned");
}

// Queues for write-back what the reporting systems must know of the action, if anything.
void queue_write_back(Action& x) {
  const std::string& a = x.request.action;
  const char* write_back = a == "reassign"    ? "dispatched"
                           : a == "reply"     ? "replied"
                           : a == "close"     ? "closed"
                           : a == "follow_up" ? "followed_up"
                           : a == "rate"      ? "followed_up"
                                              : nullptr;
  if (!x.outbox || !write_back) return;
  json::object details{{"actor", x.request.actor},
                       {"reason", x.request.reason},
                       {"departments", x.departments},
                       {"text", x.request.text},
                       {"rating", x.request.rating}};
  x.outbox->enqueue(x.sql, x.case_id, write_back, details, x.at);
}

// Every action but extend and review: the case moves to the action's status (resume: the
// one before the suspension), its obligations follow, and write-back is queued.
std::string apply_move(Action& x) {
  const std::string& a = x.request.action;
  std::string to = std::string(core::to_string(x.spec.to));
  if (x.spec.kind == Kind::resume) to = status_before_suspension(x.sql, x.case_id);
  if (a == "follow_up" && !x.request.rating.empty()) to = "rated";  // visited and rated in one step
  store::set_case_status(x.sql, x.case_id, to);
  x.data["to"] = to;
  settle_obligations(x);
  x.events.append(x.case_id, x.spec.event, x.request.actor, x.data, x.at);
  if (a == "accept") start_accepted_duties(x);
  if (a == "reopen") reopen_at_routed_departments(x);
  if (a == "reassign") route_to_departments(x);
  queue_write_back(x);
  // Passed on again: a 问题工单 when it has been returned or passed around too often.
  if ((a == "return" || a == "reassign") && check_problem_order(x.sql, x.events, x.sla, x.c, a, x.request.actor, x.now))
    to = "supervised";
  return to;
}

}  // namespace

std::vector<std::string> allowed_actions(const std::string& status) {
  std::vector<std::string> out;
  const auto from = core::parse_status(status);
  if (!from) return out;
  for (const auto& a : kActions)
    if (allows(*from, a)) out.push_back(a.name);
  return out;
}

bool department_may(const std::string& action) {
  static constexpr std::string_view kDepartmentActions[] = {"accept", "return", "reply", "suspend", "resume", "extend"};
  return std::find(std::begin(kDepartmentActions), std::end(kDepartmentActions), action) !=
         std::end(kDepartmentActions);
}

bool is_rating(const std::string& r) { return r == "satisfied" || r == "basically_satisfied" || r == "dissatisfied"; }

std::string apply_action(soci::session& sql, ledger::EventAppender& events, const sla::SlaSettings& sla,
                         const writeback::Outbox* outbox, int64_t case_id, const ActionRequest& request,
                         core::Instant now) {
  const ActionSpec* spec = find_action(request.action);
  if (!spec) throw ActionError("not_found", "no action '" + request.action + "' (" + kNames + ")");
  Action x{sql, events, sla, outbox, case_id, request, now, *spec, std::to_string(case_id), core::format_utc(now)};
  read_case(x);
  check_request(request);
  start_event_data(x);
  if (spec->kind == Kind::extend) return apply_extend(x);
  if (spec->kind == Kind::review) return apply_review(x);
  return apply_move(x);
}

}  // namespace yizhan::workflow
