// The clocks and deliveries: obligations (the SLA clocks), the write-back outbox, and
// the hub clock of a training installation.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "core/time.hpp"
#include "http/api_internal.hpp"
#include "writeback/outbox.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_obligation_routes() {
  add("GET", "/api/v1/obligations", roles::kReaders,
      [this](const Request& r, const PathParams&) { return obligations(r); });
  add("GET", "/api/v1/outbox", {"admin", "auditor"}, [this](const Request& r, const PathParams&) { return outbox(r); });
  add("GET", "/api/v1/admin/clock", roles::kReaders, [this](const Request& r, const PathParams&) { return clock(r); });
  add("POST", "/api/v1/admin/clock", roles::kAdmin, [this](const Request& r, const PathParams&) { return clock(r); });
}

namespace {

json::object outbox_json(const writeback::OutboxRow& o) {
  boost::system::error_code ec;
  json::value payload = json::parse(o.payload, ec);
  return json::object{{"id", o.id},
                      {"delivery_id", writeback::delivery_id(o.id)},
                      {"instance", o.instance},
                      {"case_id", o.case_id},
                      {"kind", o.kind},
                      {"external_id", o.external_id},
                      {"state", o.state},
                      {"attempts", o.attempts},
                      {"next_attempt_at", o.next_attempt_at},
                      {"last_error", o.last_error.empty() ? json::value(nullptr) : json::value(o.last_error)},
                      {"created_at", o.created_at},
                      {"delivered_at", o.delivered_at.empty() ? json::value(nullptr) : json::value(o.delivered_at)},
                      {"payload", ec ? json::value(nullptr) : payload}};
}

}  // namespace

Response Api::obligations(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"due_before", "department", "state", "case_id", "limit"});
  std::string due_before, department, state = "open";
  if (auto d = params.get("due_before"); d && !d->empty()) due_before = parse_bound("due_before", *d, false);
  if (auto d = params.get("department")) department = *d;
  if (auto s = params.get("state"); s && !s->empty()) {
    if (*s != "open" && *s != "paused" && *s != "overdue" && *s != "cancelled" && *s != "met")
      throw bad_parameter("state", "expected open, paused, overdue, met or cancelled");
    state = *s;
  }
  std::optional<int64_t> case_id;
  if (auto c = params.get("case_id")) {
    case_id = parse_id(*c);
    if (!case_id) throw bad_parameter("case_id", "expected a positive integer case id");
  }
  const int limit = limit_param(params, 50, 500);
  const auto now = core::now();
  json::array items;
  {
    Lease sql(*this);
    if (case_id) {
      // One case: every obligation it has had, whatever its state, unless a state is asked for.
      for (const auto& o : sla::case_obligations(*sql, *case_id))
        if (!params.get("state") || o.state == state) items.push_back(obligation_json(o, settings_.sla, now));
    } else {
      for (const auto& o : sla::list_obligations(*sql, due_before, department, state, limit))
        items.push_back(obligation_json(o, settings_.sla, now));
    }
  }
  return Response::json(200, json::object{{"items", std::move(items)}});
}

Response Api::outbox(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"instance", "state", "limit"});
  std::string instance, state;
  if (auto i = params.get("instance")) instance = *i;
  if (auto s = params.get("state"); s && !s->empty()) {
    if (*s != "pending" && *s != "delivered" && *s != "refused")
      throw bad_parameter("state", "expected pending, delivered or refused");
    state = *s;
  }
  const int limit = limit_param(params, 50, 1000);
  json::array items;
  {
    Lease sql(*this);
    for (const auto& o : writeback::list_outbox(*sql, instance, state, limit)) items.push_back(outbox_json(o));
  }
  return Response::json(200, json::object{{"items", std::move(items)}});
}

Response Api::clock(const Request& request) {
  if (request.method == "POST") {
    if (!options_.clock_adjustable)
      throw HttpError(403, "forbidden",
                      "this hub's clock is not adjustable (clock.adjustable in its config is for training and "
                      "test installations only)");
    const ActionBody body = action_body(request, {"advance_seconds", "set"});
    std::chrono::seconds offset = core::clock_offset();
    if (const auto* a = body.fields.if_contains("advance_seconds")) {
      if (!a->is_int64() || a->as_int64() < 0)
        throw HttpError(400, "bad_body", "advance_seconds: expected a whole number of seconds >= 0", "advance_seconds");
      offset += std::chrono::seconds(a->as_int64());
    } else if (const auto* t = body.fields.if_contains("set")) {
      const auto to = t->is_string() ? core::parse_instant(t->as_string()) : std::nullopt;
      if (!to) throw HttpError(400, "bad_body", "set: expected an ISO 8601 instant with a zone", "set");
      if (*to < core::now())
        throw HttpError(409, "conflict",
                        "set: the hub clock only moves forward (it is " + core::format_utc(core::now()) + ")");
      offset += *to - core::now();
    } else {
      throw HttpError(400, "bad_body", "give advance_seconds or set");
    }
    core::set_clock_offset(offset);
    spdlog::warn("hub clock moved to {} (offset {} s from the system clock) by {}", core::format_utc(core::now()),
                 offset.count(), body.actor.empty() ? "api" : body.actor);
  }
  return Response::json(200, json::object{{"now", core::format_utc(core::now())},
                                          {"offset_seconds", core::clock_offset().count()},
                                          {"adjustable", options_.clock_adjustable}});
}

}  // namespace yizhan::http
