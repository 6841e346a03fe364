#include "route/case_actions.hpp"

#include <boost/json.hpp>

#include "core/case_status.hpp"

namespace yizhan::route {
namespace json = boost::json;
using store::literal;

namespace {

struct ActionSpec {
  const char* name;
  core::CaseStatus to;
  const char* event;
};

constexpr ActionSpec kActions[] = {{"accept", core::CaseStatus::in_progress, "accepted"},
                                   {"return", core::CaseStatus::returned, "returned"},
                                   {"reassign", core::CaseStatus::dispatched, "reassigned"},
                                   {"reply", core::CaseStatus::replied, "replied"},
                                   {"close", core::CaseStatus::closed, "closed"}};

const ActionSpec* find_action(const std::string& name) {
  for (const auto& a : kActions)
    if (name == a.name) return &a;
  return nullptr;
}

void settle(soci::session& sql, int64_t case_id, const std::string& state, const std::string& duties,
            const std::string& at) {
  sql << "UPDATE obligations SET state = " + literal(state) + ", closed_at = " + literal(at) +
             " WHERE case_id = " + std::to_string(case_id) + " AND state = 'open'" +
             (duties.empty() ? "" : " AND duty IN (" + duties + ")");
}

}  // namespace

std::vector<std::string> allowed_actions(const std::string& status) {
  std::vector<std::string> out;
  const auto from = core::parse_status(status);
  if (!from) return out;
  for (const auto& a : kActions)
    if (core::can_move(*from, a.to)) out.push_back(a.name);
  return out;
}

std::string apply_action(soci::session& sql, store::EventAppender& events, const SlaSettings& sla, int64_t case_id,
                         const ActionRequest& request, core::Instant now) {
  const ActionSpec* spec = find_action(request.action);
  if (!spec)
    throw ActionError("not_found", "no action '" + request.action + "' (accept, return, reassign, reply, close)");
  const std::string id = std::to_string(case_id), at = core::format_utc(now);
  std::string status, level;
  soci::indicator merged = soci::i_null;
  long long root = 0;
  sql << "SELECT status, level, merged_into FROM cases WHERE id = " + id, soci::into(status), soci::into(level),
      soci::into(root, merged);
  if (!sql.got_data()) throw ActionError("not_found", "case " + id + " does not exist");
  if (merged == soci::i_ok)
    throw ActionError("conflict", "case " + id + " is merged into case " + std::to_string(root) + ": act on that one");
  const auto from = core::parse_status(status);
  if (!from || !core::can_move(*from, spec->to))
    throw ActionError("conflict",
                      "cannot " + request.action + " a case that is " + status +
                          (from ? std::string(" (") + std::string(core::label_zh(*from)) + ")" : std::string()),
                      allowed_actions(status));
  if ((request.action == "return" || request.action == "reassign") && request.reason.empty())
    throw ActionError("bad_request", request.action + ": a reason is required");
  if (request.action == "reassign" && request.departments.empty())
    throw ActionError("bad_request", "reassign: the departments to pass the case to are required");

  sql << "UPDATE cases SET status = " + literal(std::string(core::to_string(spec->to))) + " WHERE id = " + id;
  json::array departments;
  for (const auto& d : request.departments) departments.push_back(json::string(d));
  events.append(case_id, spec->event, request.actor,
                {{"from", status},
                 {"to", std::string(core::to_string(spec->to))},
                 {"reason", request.reason},
                 {"departments", std::move(departments)}},
                at);
  if (request.action == "accept") settle(sql, case_id, "met", "'sign_for'", at);
  if (request.action == "reply") settle(sql, case_id, "met", "'handle', 'reply'", at);
  if (request.action == "close") settle(sql, case_id, "met", "", at);
  if (request.action == "return") settle(sql, case_id, "cancelled", "", at);
  if (request.action == "reassign") {
    sql << "UPDATE case_routing SET departments = " + literal(json::serialize(json::value_from(request.departments))) +
               ", routed_at = " + literal(at) + " WHERE case_id = " + id;
    open_obligations(sql, events, sla, case_id, level, request.departments, request.actor, now);
  }
  return std::string(core::to_string(spec->to));
}

}  // namespace yizhan::route
