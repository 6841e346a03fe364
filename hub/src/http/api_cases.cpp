// The cases resource: search and queues, one case's page, the dashboard's statistics,
// a case's clear personal data (logged) and why it is routed where it is.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <set>

#include "auth/tokens.hpp"
#include "core/case_status.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/api_internal.hpp"
#include "workflow/case_actions.hpp"
#include "workflow/case_router.hpp"
#include "workflow/problem_orders.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_case_routes() {
  add("GET", "/api/v1/cases", roles::kReaders, [this](const Request& r, const PathParams&) { return list_cases(r); });
  add("GET", "/api/v1/cases/{id}", roles::kReaders,
      [this](const Request&, const PathParams& p) { return get_case(p); });
  add("GET", "/api/v1/cases/{id}/pii", roles::kActors,
      [this](const Request& r, const PathParams& p) { return case_pii(r, p); });
  add("GET", "/api/v1/stats", roles::kReaders, [this](const Request& r, const PathParams&) { return stats(r); });
  add("GET", "/api/v1/cases/{id}/route", roles::kReaders,
      [this](const Request&, const PathParams& p) { return explain_route(p); });
}

Response Api::list_cases(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"q", "status", "category", "system", "division", "received_from", "received_to", "limit", "cursor",
                     "queue", "department", "level", "sort"});
  store::CaseFilter f;
  if (auto q = params.get("q")) {
    if (core::decode_utf8(*q).size() > kMaxQueryChars)
      throw bad_parameter("q", "longer than " + std::to_string(kMaxQueryChars) + " characters");
    f.q = std::move(*q);
  }
  if (auto status = params.get("status"); status && !status->empty()) {
    if (!core::parse_status(*status)) throw bad_parameter("status", "unknown status '" + *status + "'");
    f.status = std::move(*status);
  }
  if (auto category = params.get("category")) f.category = std::move(*category);
  if (auto system = params.get("system")) f.system = std::move(*system);
  if (auto division = params.get("division"); division && !division->empty()) {
    if (division->size() > 12 || division->find_first_not_of("0123456789") != std::string::npos)
      throw bad_parameter("division", "expected a division code prefix of up to 12 digits");
    f.division = std::move(*division);
  }
  if (auto from = params.get("received_from"); from && !from->empty())
    f.received_from = parse_bound("received_from", *from, false);
  if (auto to = params.get("received_to"); to && !to->empty()) f.received_to = parse_bound("received_to", *to, true);
  if (auto level = params.get("level"); level && !level->empty()) {
    if (*level != "village" && *level != "town" && *level != "county" && *level != "joint")
      throw bad_parameter("level", "expected village, town, county or joint");
    f.level = std::move(*level);
  }
  if (auto queue = params.get("queue"); queue && !queue->empty()) {
    if (*queue != "triage" && *queue != "supervised" && *queue != "department" && *queue != "problem")
      throw bad_parameter("queue", "expected triage, supervised, problem or department");
    f.queue = std::move(*queue);
  }
  if (auto d = params.get("department"); d && !d->empty()) {
    if (f.queue.empty()) f.queue = "department";
    if (f.queue != "department") throw bad_parameter("department", "goes with queue=department");
    f.department = std::move(*d);
  }
  if (f.queue == "department" && f.department.empty())
    throw bad_parameter("department", "queue=department needs the department id");
  if (auto sort = params.get("sort"); sort && !sort->empty()) {
    if (*sort != "newest" && *sort != "due") throw bad_parameter("sort", "expected newest or due");
    if (*sort == "due" && f.queue != "department" && f.queue != "supervised")
      throw bad_parameter("sort", "due orders a queue of running clocks: queue=department or supervised");
    f.by_due = *sort == "due";
  }
  f.limit = limit_param(params, f.limit, 200);
  if (auto cursor = params.get("cursor"); cursor && !cursor->empty()) {
    if (f.by_due)
      f.after_due = decode_due_cursor(*cursor);
    else
      f.before_id = decode_cursor(*cursor);
  }

  store::CasePage page;
  std::vector<sla::ObligationRow> running;
  {
    Lease sql(*this);
    page = sql.reader().search(f);
    std::vector<int64_t> ids;
    for (const auto& c : page.items) ids.push_back(c.id);
    running = sla::running_obligations(*sql, ids);
  }
  const auto now = core::now();
  json::array items;
  items.reserve(page.items.size());
  for (const auto& c : page.items) {
    json::object item = case_json(c, pii_);
    json::array obligations;
    for (const auto& o : running)
      if (o.case_id == c.id) obligations.push_back(obligation_json(o, settings_.sla, now));
    item["obligations"] = std::move(obligations);
    items.emplace_back(std::move(item));
  }
  json::value next = nullptr;
  if (page.next_after_due)
    next = json::string(encode_due_cursor(page.next_after_due->first, page.next_after_due->second));
  else if (page.next_before_id)
    next = json::string(encode_cursor(*page.next_before_id));
  return Response::json(200, json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Response Api::get_case(const PathParams& params) {
  const int64_t id = path_id(params, "case");
  std::optional<store::CaseDetail> detail;
  std::optional<workflow::ProblemOrder> problem;
  std::vector<sla::ObligationRow> obligations;
  // The page is cached until the ledger moves; the clocks' time left moves with time,
  // so the obligations are read on every request and added to the cached page.
  auto with_obligations = [&](const std::string& page) {
    const auto now = core::now();
    json::array list;
    for (const auto& o : obligations) list.push_back(obligation_json(o, settings_.sla, now));
    std::string body = page.substr(0, page.size() - 1);
    body += ",\"obligations\":" + json::serialize(list) + "}";
    return Response::text(200, std::move(body), "application/json; charset=utf-8");
  };
  {
    Lease sql(*this);
    pages_.sync(sql.reader(), sql.reader().ledger_head());
    obligations = sla::case_obligations(*sql, id);
    if (auto page = pages_.find(id)) return with_obligations(*page);
    detail = sql.reader().detail(id);
    problem = workflow::problem_order(*sql, id);
  }
  if (!detail) throw HttpError(404, "not_found", "case " + std::to_string(id) + " does not exist");
  const auto& row = detail->row;
  const auto& sources = detail->sources;
  const auto& events = detail->events;
  json::object body = case_json(row, pii_);
  json::array source_list;
  for (const auto& s : sources)
    source_list.push_back(json::object{{"case_id", s.case_id},
                                       {"instance", s.instance},
                                       {"system", s.system},
                                       {"external_id", s.external_id},
                                       {"version", s.version},
                                       {"url", s.url},
                                       {"payload_hash", s.payload_hash},
                                       {"first_seen", s.first_seen},
                                       {"last_seen", s.last_seen}});
  json::array timeline;
  for (const auto& e : events) {
    json::value data;
    boost::system::error_code ec;
    data = json::parse(e.data, ec);
    if (ec) data = json::string(e.data);
    timeline.push_back(json::object{{"seq", e.seq},
                                    {"case_id", e.case_id ? json::value(*e.case_id) : json::value(nullptr)},
                                    {"type", e.type},
                                    {"actor", e.actor},
                                    {"at", e.at},
                                    {"data", std::move(data)}});
  }
  json::array members, duplicates;
  for (int64_t m : detail->members) members.push_back(m);
  for (const auto& p : detail->proposals) duplicates.push_back(proposal_json(p));
  body["sources"] = std::move(source_list);
  body["events"] = std::move(timeline);
  body["members"] = std::move(members);
  body["duplicates"] = std::move(duplicates);
  body["problem_order"] = problem ? json::value(json::object{{"rule", problem->rule},
                                                             {"reason", problem->reason},
                                                             {"raised_at", problem->raised_at},
                                                             {"level", problem->level},
                                                             {"department", problem->department}})
                                  : json::value(nullptr);
  body["allowed"] =
      json::value_from(row.merged_into ? std::vector<std::string>{} : workflow::allowed_actions(row.status));
  auto page = std::make_shared<const std::string>(json::serialize(body));
  pages_.put(id, detail->ledger_seq, page);
  return with_obligations(*page);
}

namespace {

// How matters ended, as the dashboard shows it: records per outcome id, and the share of
// them whose outcome the taxonomy marks settled (null when no record reports one).
json::object outcomes_json(const std::vector<std::pair<std::string, int64_t>>& counts,
                           const std::set<std::string>& settled_ids) {
  json::object by_id;
  int64_t reported = 0, settled = 0;
  for (const auto& [id, n] : counts) {
    by_id[id] = n;
    reported += n;
    if (settled_ids.contains(id)) settled += n;
  }
  return json::object{
      {"by_id", std::move(by_id)},
      {"reported", reported},
      {"settled", settled},
      {"settled_rate",
       reported ? json::value(static_cast<double>(settled) / static_cast<double>(reported)) : json::value(nullptr)}};
}

}  // namespace

Response Api::stats(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"from", "to"});
  store::StatsRange range;
  range.utc_offset_minutes =
      settings_.sla.policy ? settings_.sla.policy->utc_offset_minutes() : sla::kDefaultUtcOffsetMinutes;
  if (auto f = params.get("from"); f && !f->empty()) range.from = parse_bound("from", *f, false);
  if (auto t = params.get("to"); t && !t->empty()) range.to = parse_bound("to", *t, true);
  store::Stats s;
  {
    Lease sql(*this);
    s = sql.reader().stats(range);
  }
  json::array departments, monthly;
  for (const auto& d : s.departments)
    departments.push_back(json::object{
        {"department", d.department},
        {"obligations", d.obligations},
        {"overdue", d.overdue},
        {"overdue_rate", d.obligations ? static_cast<double>(d.overdue) / static_cast<double>(d.obligations) : 0.0},
        {"met", d.met},
        {"avg_handling_hours",
         d.met ? json::value(d.handling_hours / static_cast<double>(d.met)) : json::value(nullptr)}});
  for (const auto& m : s.monthly)
    monthly.push_back(json::object{{"month", m.month}, {"received", m.received}, {"closed", m.closed}});
  auto to_object = [](const std::vector<std::pair<std::string, int64_t>>& counts) {
    json::object o;
    for (const auto& [k, n] : counts) o[k] = n;
    return o;
  };
  return Response::json(200, json::object{{"cases_total", s.cases_total},
                                          {"merged_total", s.merged_total},
                                          {"proposals_pending", s.proposals_pending},
                                          {"problem_orders", s.problem_orders},
                                          {"by_system", to_object(s.by_system)},
                                          {"cases_by_system", to_object(s.cases_by_system)},
                                          {"by_status", to_object(s.by_status)},
                                          {"by_category", to_object(s.by_category)},
                                          {"by_level", to_object(s.by_level)},
                                          {"departments", std::move(departments)},
                                          {"outcomes", outcomes_json(s.outcomes, reference_settled_outcomes())},
                                          {"monthly", std::move(monthly)},
                                          {"from", range.from.empty() ? json::value(nullptr) : json::value(range.from)},
                                          {"to", range.to.empty() ? json::value(nullptr) : json::value(range.to)}});
}

Response Api::explain_route(const PathParams& params) {
  const int64_t id = path_id(params, "case");
  if (!settings_.rules)
    throw HttpError(404, "not_found", "this hub has no routing rules (routing.rules in its config)");
  std::optional<routing::RoutingFacts> facts;
  {
    Lease sql(*this);
    facts = workflow::load_routing_facts(*sql, id);
  }
  if (!facts) throw HttpError(404, "not_found", "case " + std::to_string(id) + " does not exist");
  return Response::json(200, workflow::decision_json(settings_.rules->route(*facts)));
}

Response Api::case_pii(const Request& request, const PathParams& params) {
  const int64_t id = path_id(params, "case");
  const QueryParams q = QueryParams::parse(request.query);
  q.allow_only({"reason"});
  const std::string reason = q.get("reason").value_or("");
  json::object out{{"case", id}};
  {
    Lease sql(*this);
    auto row = sql.reader().get(id);
    if (!row) throw HttpError(404, "not_found", "case " + std::to_string(id) + " does not exist");
    require_case_scope(*sql, request.caller, id, "clear personal data");
    auto clear = [&](const std::string& sealed, std::string_view context) -> json::value {
      if (sealed.empty()) return json::string();
      try {
        return json::string(pii_.decrypt(sealed, context));
      } catch (const crypto::CryptoError&) {
        return nullptr;
      }
    };
    // Logged before it is shown: a view that cannot be logged is not given.
    auth::Principal who{request.caller.name.empty() ? "local" : request.caller.name,
                        auth::parse_role(request.caller.role).value_or(auth::Role::admin), request.caller.department};
    auth::log_pii_view(*sql, id, who, "reporter.name,reporter.phone,reporter.id_number", reason, request.remote,
                       core::format_utc(core::now()));
    spdlog::info("[case:{}] clear personal data viewed by {} ({}{}){}", id, who.name, request.caller.role,
                 who.department.empty() ? "" : " of " + who.department, reason.empty() ? "" : ": " + reason);
    out["reporter"] = json::object{{"name", clear(row->reporter_name_enc, "reporter.name")},
                                   {"phone", clear(row->reporter_phone_enc, "reporter.phone")},
                                   {"id_number", clear(row->reporter_id_enc, "reporter.id_number")}};
  }
  return Response::json(200, out);
}

}  // namespace yizhan::http
