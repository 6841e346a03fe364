#include "workflow/case_actions.hpp"

#include <boost/json.hpp>

#include "core/case_status.hpp"
#include "routing/routing_rules.hpp"

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

// Settles the case's open obligations as `state` (met, cancelled): every duty, or only
// `duty` when given.
void settle(soci::session& sql, int64_t case_id, const std::string& state, const std::string& duty,
            const std::string& at) {
  long long id = case_id;
  sql << "UPDATE obligations SET state = :s, closed_at = :at WHERE case_id = :c AND state = 'open' "
         "AND (:d = '' OR duty = :d2)",
      soci::use(state), soci::use(at), soci::use(id), soci::use(duty), soci::use(duty);
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
  std::string data;
  soci::indicator ind = soci::i_null;
  long long id = case_id;
  sql << "SELECT data FROM events WHERE case_id = :c AND type = 'suspended' ORDER BY seq DESC LIMIT 1", soci::use(id),
      soci::into(data, ind);
  if (!sql.got_data() || ind != soci::i_ok) return "in_progress";
  boost::system::error_code ec;
  auto v = json::parse(data, ec);
  if (ec || !v.is_object()) return "in_progress";
  const auto* from = v.as_object().if_contains("from");
  if (!from || !from->is_string()) return "in_progress";
  const auto s = core::parse_status(from->as_string());
  return s && core::can_move(core::CaseStatus::suspended, *s) ? std::string(from->as_string()) : "in_progress";
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

bool is_rating(const std::string& r) { return r == "satisfied" || r == "basically_satisfied" || r == "dissatisfied"; }

std::string apply_action(soci::session& sql, ledger::EventAppender& events, const sla::SlaSettings& sla,
                         const writeback::Outbox* outbox, int64_t case_id, const ActionRequest& request,
                         core::Instant now) {
  const ActionSpec* spec = find_action(request.action);
  if (!spec) throw ActionError("not_found", "no action '" + request.action + "' (" + kNames + ")");
  const std::string id = std::to_string(case_id), at = core::format_utc(now);
  const long long cid = case_id;
  std::string status, level;
  soci::indicator merged = soci::i_null;
  long long root = 0;
  sql << "SELECT status, level, merged_into FROM cases WHERE id = :id", soci::use(cid), soci::into(status),
      soci::into(level), soci::into(root, merged);
  if (!sql.got_data()) throw ActionError("not_found", "case " + id + " does not exist");
  if (merged == soci::i_ok)
    throw ActionError("conflict", "case " + id + " is merged into case " + std::to_string(root) + ": act on that one");
  const auto from = core::parse_status(status);
  if (!from || !allows(*from, *spec))
    throw ActionError("conflict",
                      "cannot " + request.action + " a case that is " + status +
                          (from ? std::string(" (") + std::string(core::label_zh(*from)) + ")" : std::string()),
                      allowed_actions(status));
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

  json::array departments;
  for (const auto& d : request.departments) departments.push_back(json::string(d));
  json::object data{{"from", status}, {"reason", request.reason}};
  if (!request.departments.empty()) data["departments"] = departments;
  if (!request.level.empty()) {
    data["level"] = request.level;
    data["from_level"] = level;
  }
  if (!request.text.empty()) data["text"] = request.text;
  if (!request.rating.empty()) data["rating"] = request.rating;

  if (spec->kind == Kind::extend) {
    auto outcome = sla::extend_obligations(sql, sla, case_id, request.duty, request.by);
    if (!outcome.refusal.empty()) throw ActionError(outcome.refusal, "extend: " + outcome.message);
    data["to"] = status;
    data["duty"] = request.duty;
    data["by"] = request.by;
    data["unit"] = outcome.unit;
    data["limit"] = outcome.limit;
    data["obligations"] = changes_json(outcome.changes);
    events.append(case_id, spec->event, request.actor, data, at);
    return status;
  }

  if (spec->kind == Kind::review) {
    // The round: 复查 first, then 复核, as the reporting systems' SLA lists say.
    const std::vector<sla::DutyRule>* reviews = nullptr;
    std::string system;
    soci::rowset<soci::row> systems =
        (sql.prepare << "SELECT DISTINCT s.system FROM case_sources s JOIN cases c ON c.id = s.case_id WHERE c.id = " +
                            id + " OR c.merged_into = " + id + " ORDER BY s.system");
    for (const auto& r : systems)
      if (!reviews && sla.policy && !sla.policy->reviews_for(db::row_text(r, 0)).empty())
        system = db::row_text(r, 0), reviews = &sla.policy->reviews_for(system);
    if (!reviews)
      throw ActionError("conflict", "review: no system that reported case " + id +
                                        " has a review procedure (reviews in the SLA file)");
    long long done = 0;
    sql << "SELECT COUNT(*) FROM events WHERE case_id = " + id + " AND type = 'review_requested'", soci::into(done);
    if (done >= static_cast<long long>(reviews->size()))
      throw ActionError("conflict", "review: all " + std::to_string(reviews->size()) +
                                        " rounds of review were asked for already; the last decision is final");
    // Decided one level up per round, from the level the case is handled at.
    std::string at_level = level, department;
    std::string division;
    sql << "SELECT division_code FROM cases WHERE id = " + id, soci::into(division);
    for (long long round = 0; round <= done; ++round)
      if (auto step = sla.policy->escalate_from(at_level)) {
        at_level = step->level;
        department = routing::resolve_handler(step->department, division).value_or(step->department);
      }
    if (department.empty()) throw ActionError("conflict", "review: no level above " + level + " (escalation.to)");
    const sla::DutyRule& rule = (*reviews)[static_cast<size_t>(done)];
    sla::OpenedObligation opened;
    try {
      opened = sla::open_obligation(sql, sla, case_id, department, at_level, rule, now);
    } catch (const sla::CalendarRangeError& e) {
      throw ActionError("conflict", std::string("review: ") + e.what());
    }
    sql << "UPDATE cases SET status = 'supervised' WHERE id = " + id;
    data["to"] = "supervised";
    data["round"] = done + 1;
    data["duty"] = rule.duty;
    data["system"] = system;
    data["department"] = department;
    data["level"] = at_level;
    data["obligation"] = opened.id;
    data["due_at"] = core::format_utc(opened.due);
    events.append(case_id, spec->event, request.actor, data, at);
    return "supervised";
  }

  std::string to = std::string(core::to_string(spec->to));
  if (spec->kind == Kind::resume) to = status_before_suspension(sql, case_id);
  if (a == "follow_up" && !request.rating.empty()) to = "rated";  // visited and rated in one step
  sql << "UPDATE cases SET status = :s WHERE id = :id", soci::use(to), soci::use(cid);
  data["to"] = to;

  if (a == "accept") settle(sql, case_id, "met", "sign_for", at);
  // The answer meets every duty but the follow-up visit (a review's decision included).
  if (a == "reply")
    sql << "UPDATE obligations SET state = 'met', closed_at = :at WHERE case_id = :c AND state = 'open' "
           "AND duty <> 'follow_up'",
        soci::use(at), soci::use(cid);
  if (a == "close") settle(sql, case_id, "met", "", at);
  if (a == "follow_up") settle(sql, case_id, "met", "follow_up", at);
  if (a == "return") settle(sql, case_id, "cancelled", "", at);
  if (a == "suspend") data["paused"] = sla::pause_obligations(sql, case_id, now);
  if (a == "resume") {
    auto changes = sla::resume_obligations(sql, sla, case_id, now);
    data["obligations"] = changes_json(changes);
  }
  events.append(case_id, spec->event, request.actor, data, at);
  if (a == "reopen") {
    // Handled again by the departments it is routed to, on new handle and reply clocks.
    std::string routed;
    sql << "SELECT departments FROM case_routing WHERE case_id = :c", soci::use(cid), soci::into(routed);
    std::vector<std::string> to_departments;
    boost::system::error_code ec;
    if (auto v = json::parse(routed, ec); !ec && v.is_array())
      for (const auto& d : v.as_array())
        if (d.is_string()) to_departments.emplace_back(d.as_string());
    sla::open_obligations(sql, events, sla, case_id, level, to_departments, request.actor, now,
                          {"handle", "reply", "follow_up"}, "reopened");
  }
  if (a == "reassign") {
    // 会商: passed to several departments at the joint level, handled together.
    if (!request.level.empty() && request.level != level) {
      level = request.level;
      sql << "UPDATE cases SET level = :l WHERE id = :id", soci::use(level), soci::use(cid);
    }
    const std::string departments_json = json::serialize(departments);
    sql << "UPDATE case_routing SET departments = :d, level = :l, routed_at = :at WHERE case_id = :c",
        soci::use(departments_json), soci::use(level), soci::use(at), soci::use(cid);
    sla::open_obligations(sql, events, sla, case_id, level, request.departments, request.actor, now);
  }

  // What the reporting systems must know.
  const char* write_back = a == "reassign"    ? "dispatched"
                           : a == "reply"     ? "replied"
                           : a == "close"     ? "closed"
                           : a == "follow_up" ? "followed_up"
                           : a == "rate"      ? "followed_up"
                                              : nullptr;
  if (outbox && write_back) {
    json::object details{{"actor", request.actor},
                         {"reason", request.reason},
                         {"departments", departments},
                         {"text", request.text},
                         {"rating", request.rating}};
    outbox->enqueue(sql, case_id, write_back, details, at);
  }
  return to;
}

}  // namespace yizhan::workflow
