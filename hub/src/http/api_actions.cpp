// The actions resource: a staff action on a case (workflow/case_actions.hpp decides
// what is allowed, to whom, and what it does); this file reads the body and answers.
#include <boost/json.hpp>

#include "core/time.hpp"
#include "http/api_internal.hpp"
#include "workflow/case_actions.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_action_routes() {
  add("POST", "/api/v1/cases/{id}/actions/{action}", roles::kActors,
      [this](const Request& r, const PathParams& p) { return case_action(r, p); });
}

Response Api::case_action(const Request& request, const PathParams& params) {
  const int64_t id = path_id(params, "case");
  const ActionBody body =
      action_body(request, {"departments", "text", "rating", "duty", "by", "expected_status", "level"});
  std::string expected_status;
  if (const auto* v = body.fields.if_contains("expected_status")) {
    if (!v->is_string()) throw HttpError(400, "bad_body", "expected_status: expected a status id", "expected_status");
    expected_status = std::string(v->as_string());
  }
  workflow::ActionRequest a;
  a.action = std::string(params.get("action"));
  a.expected_status = expected_status;
  a.by_counter = is_counter(request.caller);
  if (!a.by_counter) a.department = request.caller.department;
  a.actor = body.actor;
  a.reason = body.reason;
  auto text_field = [&](const char* name, std::string& out) {
    if (const auto* v = body.fields.if_contains(name)) {
      if (!v->is_string()) throw HttpError(400, "bad_body", std::string(name) + ": expected a string", name);
      out = std::string(v->as_string());
    }
  };
  text_field("text", a.text);
  text_field("rating", a.rating);
  text_field("duty", a.duty);
  text_field("level", a.level);
  if (const auto* v = body.fields.if_contains("by")) {
    if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > 3650)
      throw HttpError(400, "bad_body", "by: expected a positive whole number of the duty's unit", "by");
    a.by = static_cast<int>(v->as_int64());
  }
  if (const auto* d = body.fields.if_contains("departments")) {
    if (!d->is_array())
      throw HttpError(400, "bad_body", "departments: expected a list of department ids", "departments");
    for (const auto& v : d->as_array()) {
      if (!v.is_string()) throw HttpError(400, "bad_body", "departments: expected strings", "departments");
      a.departments.emplace_back(v.as_string());
    }
  }
  try {
    json::object answer = in_write_transaction([&](soci::session& sql, store::CaseGroups&,
                                                   ledger::EventAppender& events, const std::string& now) {
      require_case_scope(sql, request.caller, id, a.action);
      const std::string status =
          workflow::apply_action(sql, events, settings_.sla, settings_.outbox.get(), id, a, *core::parse_instant(now));
      return json::object{
          {"case", id}, {"status", status}, {"allowed", json::value_from(workflow::allowed_actions(status))}};
    });
    return Response::json(200, answer);
  } catch (const workflow::ActionError& e) {
    const int code = e.code == "not_found" ? 404 : e.code == "bad_request" ? 400 : e.code == "forbidden" ? 403 : 409;
    json::object error{{"code", e.code}, {"message", e.what()}, {"allowed", json::value_from(e.allowed)}};
    if (e.code == "stale" || e.code == "conflict") {
      Lease sql(*this);
      if (auto row = sql.reader().get(id)) error["status"] = row->status;
    }
    return Response::json(code, json::object{{"error", std::move(error)}});
  }
}

}  // namespace yizhan::http
