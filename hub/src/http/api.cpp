#include "http/api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <exception>

#include "auth/tokens.hpp"
#include "core/case_status.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/api_internal.hpp"
#include "http/query.hpp"
#include "link/linker.hpp"
#include "store/case_groups.hpp"
#include "store/case_reader.hpp"
#include "store/dead_letter_store.hpp"
#include "workflow/case_actions.hpp"
#include "workflow/case_router.hpp"

namespace yizhan::http {
namespace json = boost::json;

namespace api_detail {

constexpr std::string_view kRequestsTotal = "yizhan_http_requests_total";
constexpr std::string_view kRequestSeconds = "yizhan_http_request_duration_seconds";

HttpError bad_parameter(std::string_view name, const std::string& message) {
  return HttpError(400, "bad_parameter", std::string(name) + ": " + message, std::string(name));
}

// A positive decimal int64 with nothing around it, or nullopt.
std::optional<int64_t> parse_id(std::string_view text) {
  int64_t v = 0;
  if (text.empty() || text.size() > 19 || text.front() == '0') return std::nullopt;
  for (char c : text)
    if (c < '0' || c > '9') return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

bool is_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

// received_from / received_to as a stored UTC instant. A bare date is Beijing
// midnight; as an upper bound it means the whole day, i.e. the next midnight.
// ?limit=: 1..max, `fallback` when absent.
int limit_param(const QueryParams& params, int fallback, int max) {
  auto l = params.get("limit");
  if (!l) return fallback;
  auto n = parse_id(*l);
  if (!n || *n > max) throw bad_parameter("limit", "expected an integer from 1 to " + std::to_string(max));
  return static_cast<int>(*n);
}

std::string parse_bound(std::string_view name, const std::string& text, bool upper) {
  auto t = core::parse_instant(text);
  if (!t)
    throw bad_parameter(name,
                        "expected a date YYYY-MM-DD or an ISO 8601 time with an offset "
                        "(2026-02-26T14:30:00+08:00)");
  if (upper && is_date(text)) *t += std::chrono::days{1};
  return core::format_utc(*t);
}

// Masked display of a sealed reporter field: "" stays "", a value that does not
// decrypt (another PII key, say) is null and logged by case id, never shown.
json::value masked(const crypto::PiiProtector& pii, const std::string& sealed, std::string_view context,
                   std::string (*mask)(std::string_view), int64_t case_id) {
  if (sealed.empty()) return json::string();
  try {
    return json::string(mask(pii.decrypt(sealed, context)));
  } catch (const crypto::CryptoError&) {
    spdlog::warn("api: case {}: {} cannot be decrypted with the configured PII key", case_id, context);
    return nullptr;
  }
}

json::value optional_number(const std::optional<double>& d) { return d ? json::value(*d) : json::value(nullptr); }

json::object case_json(const store::CaseRow& c, const crypto::PiiProtector& pii) {
  const auto status = core::parse_status(c.status);
  return json::object{
      {"id", c.id},
      {"title", c.title},
      {"description", c.description},
      {"category", c.category},
      {"channel", c.channel},
      {"urgency", c.urgency},
      {"level", c.level},
      {"status", c.status},
      {"status_label", status ? std::string(core::label_zh(*status)) : c.status},
      {"source_system", c.source_system},
      {"place", json::object{{"division_code", c.division_code},
                             {"division_year", c.division_year},
                             {"address", c.address},
                             {"grid_id", c.grid_id},
                             {"lat", optional_number(c.lat)},
                             {"lon", optional_number(c.lon)}}},
      {"reporter",
       json::object{
           {"name", masked(pii, c.reporter_name_enc, "reporter.name", &crypto::PiiProtector::mask_name, c.id)},
           {"phone", masked(pii, c.reporter_phone_enc, "reporter.phone", &crypto::PiiProtector::mask_phone, c.id)},
           {"id_number",
            masked(pii, c.reporter_id_enc, "reporter.id_number", &crypto::PiiProtector::mask_id_number, c.id)}}},
      {"received_at", c.received_at},
      {"updated_at", c.updated_at},
      {"merged_into", c.merged_into ? json::value(*c.merged_into) : json::value(nullptr)},
  };
}

json::object proposal_json(const store::ProposalRow& p) {
  boost::system::error_code ec;
  json::value reasons = json::parse(p.reasons, ec);
  if (ec) reasons = json::object();
  return json::object{{"id", p.id},
                      {"case_id", p.case_id},
                      {"candidate_id", p.candidate_id},
                      {"score", p.score},
                      {"reasons", std::move(reasons)},
                      {"status", p.status},
                      {"created_at", p.created_at},
                      {"decided_at", p.decided_at.empty() ? json::value(nullptr) : json::value(p.decided_at)},
                      {"decided_by", p.decided_by.empty() ? json::value(nullptr) : json::value(p.decided_by)}};
}

ActionBody action_body(const Request& request, std::initializer_list<std::string_view> extra) {
  ActionBody b;
  if (!request.caller.name.empty()) b.actor = "user:" + request.caller.name;
  if (request.body.find_first_not_of(" \t\r\n") == std::string::npos) return b;
  boost::system::error_code ec;
  json::value v = json::parse(request.body, ec);
  if (ec || !v.is_object()) throw HttpError(400, "bad_body", "the body must be a JSON object (or empty)");
  b.fields = std::move(v.as_object());
  for (const auto& kv : b.fields) {
    const std::string_view k = kv.key();
    if (k != "actor" && k != "reason" && std::find(extra.begin(), extra.end(), k) == extra.end())
      throw HttpError(400, "bad_body", "unknown field '" + std::string(k) + "' in the body", std::string(k));
    if ((k == "actor" || k == "reason") && !kv.value().is_string())
      throw HttpError(400, "bad_body", std::string(k) + ": expected a string", std::string(k));
  }
  if (!request.caller.name.empty())
    b.actor = "user:" + request.caller.name;  // an authenticated caller is who the token says
  else if (auto* a = b.fields.if_contains("actor"); a && !a->as_string().empty())
    b.actor = "api:" + std::string(a->as_string());
  if (auto* r = b.fields.if_contains("reason")) b.reason = std::string(r->as_string());
  return b;
}

HttpError group_error(const store::GroupError& e) {
  return HttpError(e.code == "not_found" ? 404 : 409, e.code, e.what());
}

json::object obligation_json(const sla::ObligationRow& o, const sla::SlaSettings& sla, core::Instant now) {
  json::value left = nullptr;
  if (o.state == "open" || o.state == "paused" || o.state == "overdue")
    if (auto t = sla::time_left(o, sla, now))
      left = json::object{{"unit", t->unit}, {"value", t->value}, {"seconds", t->seconds}};
  // The last second still on time, in the county's civil time (due_at is exclusive).
  json::value due_local = nullptr;
  if (auto due = core::parse_instant(o.due_at))
    due_local = sla.policy ? sla.policy->local_text(*due - std::chrono::seconds(1))
                           : core::format_utc(*due - std::chrono::seconds(1));
  return json::object{{"time_left", std::move(left)},
                      {"due_local", std::move(due_local)},
                      {"id", o.id},
                      {"case_id", o.case_id},
                      {"department", o.department},
                      {"level", o.level},
                      {"duty", o.duty},
                      {"state", o.state},
                      {"unit", o.unit},
                      {"started_at", o.started_at},
                      {"due_at", o.due_at},
                      {"warn_at", o.warn_at},
                      {"warned", o.warned},
                      {"paused_at", o.paused_at.empty() ? json::value(nullptr) : json::value(o.paused_at)},
                      {"closed_at", o.closed_at.empty() ? json::value(nullptr) : json::value(o.closed_at)},
                      {"extend_max", o.extend_max},
                      {"extended", o.extended},
                      {"escalated_from", o.escalated_from ? json::value(*o.escalated_from) : json::value(nullptr)}};
}

// A paging cursor: base64url of a small JSON object. Decoding checks that re-encoding
// gives the same text, so only what this API gave out is taken.
std::string encode_cursor_object(const json::object& o) {
  const std::string text = json::serialize(o);
  return crypto::base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

template <class T>
T decode_cursor_object(std::string_view cursor, T (*from)(const json::object&), std::string (*to)(const T&)) {
  const HttpError bad(400, "bad_cursor", "cursor: not a cursor this API gave out (pass next_cursor unchanged)",
                      "cursor");
  if (cursor.size() > 128) throw bad;
  try {
    const crypto::Bytes bytes = crypto::base64url_decode(cursor);
    const json::value v = json::parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    T decoded = from(v.as_object());
    if (to(decoded) != cursor) throw bad;
    return decoded;
  } catch (const std::exception&) {
    throw bad;
  }
}

// The cursor of a by-due queue page: {"d": due instant, "b": case id}.
std::string encode_due_cursor(const std::string& due, int64_t id) {
  return encode_cursor_object(json::object{{"d", due}, {"b", id}});
}

std::pair<std::string, int64_t> decode_due_cursor(std::string_view cursor) {
  using Due = std::pair<std::string, int64_t>;
  return decode_cursor_object<Due>(
      cursor,
      [](const json::object& o) -> Due {
        std::string due(o.at("d").as_string());
        if (o.size() != 2 || !core::parse_instant(due)) throw std::invalid_argument("cursor");
        return {due, o.at("b").as_int64()};
      },
      [](const Due& d) { return encode_due_cursor(d.first, d.second); });
}

}  // namespace api_detail
using namespace api_detail;

Api::Api(db::Database database, const crypto::PiiProtector& pii, ops::Metrics& metrics, PluginHealth plugin_health,
         HookHandler hooks, ingest::IngestSettings settings, ApiOptions options)
    : database_(std::move(database)),
      pii_(pii),
      metrics_(metrics),
      plugin_health_(std::move(plugin_health)),
      hooks_(std::move(hooks)),
      settings_(std::move(settings)),
      options_(std::move(options)),
      web_(options_.web_root) {
  metrics_.describe(kRequestsTotal, ops::Metrics::Type::counter,
                    "HTTP requests answered by the API, by method, route pattern and status code.");
  metrics_.describe(kRequestSeconds, ops::Metrics::Type::histogram,
                    "Time to answer an HTTP request (handler only), by method and route pattern.");
  // Roles per route (auth/tokens.hpp). Health and metrics stay open for monitoring;
  // /hooks are authenticated by their plugins (signatures).
  const std::initializer_list<std::string_view> kReaders = {"admin", "operator", "auditor"};
  const std::initializer_list<std::string_view> kActors = {"admin", "operator"};
  const std::initializer_list<std::string_view> kAdmin = {"admin"};
  const std::initializer_list<std::string_view> kAudit = {"admin", "auditor", "security_admin"};
  const std::initializer_list<std::string_view> kSecurity = {"security_admin"};
  const std::initializer_list<std::string_view> kAnyone = {};
  add("GET", "/healthz", kAnyone, [this](const Request&, const PathParams&) { return healthz(); });
  add("GET", "/metrics", kAnyone, [this](const Request&, const PathParams&) { return metrics_page(); });
  add("POST", "/hooks/{instance}", kAnyone, [this](const Request& r, const PathParams& p) { return hook(r, p); });
  add("GET", "/api/v1/whoami", {"admin", "operator", "auditor", "security_admin"},
      [this](const Request& r, const PathParams&) { return whoami(r); });
  add("GET", "/api/v1/cases", kReaders, [this](const Request& r, const PathParams&) { return list_cases(r); });
  add("GET", "/api/v1/cases/{id}", kReaders, [this](const Request&, const PathParams& p) { return get_case(p); });
  add("GET", "/api/v1/cases/{id}/pii", kActors,
      [this](const Request& r, const PathParams& p) { return case_pii(r, p); });
  add("GET", "/api/v1/stats", kReaders, [this](const Request& r, const PathParams&) { return stats(r); });
  add("GET", "/api/v1/plugins", {"admin", "auditor"}, [this](const Request&, const PathParams&) { return plugins(); });
  add("GET", "/api/v1/duplicates", kReaders,
      [this](const Request& r, const PathParams&) { return list_duplicates(r); });
  add("POST", "/api/v1/duplicates/{id}/accept", kActors,
      [this](const Request& r, const PathParams& p) { return decide_duplicate(r, p, true); });
  add("POST", "/api/v1/duplicates/{id}/reject", kActors,
      [this](const Request& r, const PathParams& p) { return decide_duplicate(r, p, false); });
  add("POST", "/api/v1/cases/{id}/merge", kActors,
      [this](const Request& r, const PathParams& p) { return merge_case(r, p); });
  add("POST", "/api/v1/cases/{id}/unmerge", kActors,
      [this](const Request& r, const PathParams& p) { return unmerge_case(r, p); });
  add("POST", "/api/v1/cases/{id}/actions/{action}", kActors,
      [this](const Request& r, const PathParams& p) { return case_action(r, p); });
  add("GET", "/api/v1/obligations", kReaders, [this](const Request& r, const PathParams&) { return obligations(r); });
  add("GET", "/api/v1/cases/{id}/route", kReaders,
      [this](const Request&, const PathParams& p) { return explain_route(p); });
  add("GET", "/api/v1/outbox", {"admin", "auditor"}, [this](const Request& r, const PathParams&) { return outbox(r); });
  add("GET", "/api/v1/admin/clock", kReaders, [this](const Request& r, const PathParams&) { return clock(r); });
  add("POST", "/api/v1/admin/clock", kAdmin, [this](const Request& r, const PathParams&) { return clock(r); });
  add("GET", "/api/v1/audit/pii_views", kAudit, [this](const Request& r, const PathParams&) { return pii_views(r); });
  add("GET", "/api/v1/tokens", kSecurity, [this](const Request& r, const PathParams&) { return tokens(r); });
  add("POST", "/api/v1/tokens", kSecurity, [this](const Request& r, const PathParams&) { return create_token(r); });
  const std::initializer_list<std::string_view> kSignedIn = {"admin", "operator", "auditor", "security_admin"};
  add("POST", "/api/v1/session", kAnyone, [this](const Request& r, const PathParams&) { return start_session(r); });
  add("GET", "/api/v1/session", kSignedIn, [this](const Request& r, const PathParams&) { return current_session(r); });
  add("DELETE", "/api/v1/session", kSignedIn, [this](const Request& r, const PathParams&) { return end_session(r); });
  add("GET", "/api/v1/reference", kSignedIn, [this](const Request&, const PathParams&) { return reference(); });
  add("POST", "/api/v1/cases", kActors, [this](const Request& r, const PathParams&) { return create_case(r); });
  add("POST", "/api/v1/cases/preview", kActors,
      [this](const Request& r, const PathParams&) { return preview_case(r); });
  add("GET", "/api/v1/audit/trail", {"admin", "auditor"},
      [this](const Request& r, const PathParams&) { return audit_trail(r); });
  add("GET", "/api/v1/audit/ledger", {"admin", "auditor"},
      [this](const Request&, const PathParams&) { return audit_ledger(); });
  add("POST", "/api/v1/audit/checkpoints", {"admin", "auditor"},
      [this](const Request& r, const PathParams&) { return audit_checkpoint(r); });
  add("GET", "/api/v1/audit/export", {"admin", "auditor"},
      [this](const Request& r, const PathParams&) { return audit_export(r); });
  add("POST", "/api/v1/tokens/{name}/revoke", kSecurity,
      [this](const Request& r, const PathParams& p) { return revoke_token(r, p); });
}

Api::~Api() = default;

std::unique_ptr<Api::Pooled> Api::acquire() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!idle_.empty()) {
      auto p = std::move(idle_.back());
      idle_.pop_back();
      return p;
    }
  }
  auto p = std::make_unique<Pooled>();
  p->sql = database_.connect();
  p->reader = std::make_unique<store::CaseReader>(*p->sql, database_.dialect());
  return p;
}

void Api::release(std::unique_ptr<Pooled> pooled) {
  if (!pooled) return;
  std::lock_guard lock(pool_mutex_);
  idle_.push_back(std::move(pooled));
}

void Api::add(std::string method, std::string_view pattern, std::initializer_list<std::string_view> roles,
              Router::Handler handler) {
  if (roles.size() == 0) {
    router_.add(std::move(method), pattern, std::move(handler));
    return;
  }
  std::vector<std::string> allowed(roles.begin(), roles.end());
  router_.add(std::move(method), pattern,
              [allowed = std::move(allowed), handler = std::move(handler)](const Request& r, const PathParams& p) {
                if (std::find(allowed.begin(), allowed.end(), r.caller.role) == allowed.end()) {
                  std::string list;
                  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
                  throw HttpError(403, "forbidden",
                                  "role " + r.caller.role + " may not do this (it is for: " + list + ")");
                }
                return handler(r, p);
              });
}

bool Api::is_counter(const Caller& c) const {
  if (c.role == "admin") return true;
  return c.role == "operator" && std::find(options_.counter_departments.begin(), options_.counter_departments.end(),
                                           c.department) != options_.counter_departments.end();
}

void Api::require_case_scope(soci::session& sql, const Caller& c, int64_t case_id, std::string_view what) {
  if (is_counter(c)) return;
  if (c.role == "operator" && workflow::department_handles(sql, case_id, c.department)) return;
  throw HttpError(403, "forbidden",
                  std::string(what) + ": case " + std::to_string(case_id) + " is not routed to department " +
                      c.department + " (operators act on their department's cases; the counter on all)");
}

Response Api::handle(const Request& incoming) {
  const auto start = std::chrono::steady_clock::now();
  std::string route;
  Response res;
  Request request = incoming;
  try {
    const bool api_path = request.path.starts_with("/api/") || request.path.starts_with("/hooks/") ||
                          request.path == "/healthz" || request.path == "/metrics";
    if (!api_path && (request.method == "GET" || request.method == "HEAD") && web_.installed()) {
      route = "page";
      res = *web_.serve(request);
    } else if (auto refused = authenticate(request)) {
      res = std::move(*refused);
    } else {
      res = router_.dispatch(request, &route);
    }
  } catch (const HttpError& e) {  // refused before routing (sign-in, CSRF)
    res = e.to_response();
  } catch (const db::StoreError& e) {
    spdlog::error("api: {} {}: {}", request.method, route, e.what());
    res = Response::error(503, "unavailable", "the database is unavailable; the hub log has the details");
  } catch (const std::exception& e) {
    spdlog::error("api: {} {} failed: {}", request.method, route, e.what());
    res = Response::error(500, "internal", "internal error; the hub log has the details");
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Label values stay few: route patterns, standard methods, status codes.
  static constexpr std::string_view kMethods[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  const std::string method = std::find(std::begin(kMethods), std::end(kMethods), request.method) != std::end(kMethods)
                                 ? request.method
                                 : "other";
  try {
    metrics_.inc(kRequestsTotal, {{"method", method}, {"route", route}, {"status", std::to_string(res.status)}});
    metrics_.observe(kRequestSeconds, {{"method", method}, {"route", route}}, seconds);
  } catch (const std::exception& e) {
    spdlog::error("api: recording metrics failed: {}", e.what());
  }
  add_security_headers(res);
  return res;
}

Response Api::healthz() {
  try {
    Lease sql(*this);
    int one = 0;
    *sql << "SELECT 1", soci::into(one);
  } catch (const std::exception& e) {
    spdlog::error("api: health check: the database does not answer: {}", e.what());
    json::object body{
        {"status", "unavailable"},
        {"error", json::object{{"code", "database_unavailable"},
                               {"message", "the database does not answer; the hub log has the details"}}}};
    return Response::json(503, body);
  }
  json::object body{{"status", "ok"}};
  if (plugin_health_) {
    json::value plugins = plugin_health_();
    if (!plugins.is_null()) body["plugins"] = std::move(plugins);
  }
  return Response::json(200, body);
}

Response Api::metrics_page() {
  return Response::text(200, metrics_.render(), "text/plain; version=0.0.4; charset=utf-8");
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
    if (*queue != "triage" && *queue != "supervised" && *queue != "department")
      throw bad_parameter("queue", "expected triage, supervised or department");
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
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  std::optional<store::CaseDetail> detail;
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
    obligations = sla::case_obligations(*sql, *id);
    if (auto page = pages_.find(*id)) return with_obligations(*page);
    detail = sql.reader().detail(*id);
  }
  if (!detail) throw HttpError(404, "not_found", "case " + std::to_string(*id) + " does not exist");
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
  body["allowed"] =
      json::value_from(row.merged_into ? std::vector<std::string>{} : workflow::allowed_actions(row.status));
  auto page = std::make_shared<const std::string>(json::serialize(body));
  pages_.put(*id, detail->ledger_seq, page);
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

Response Api::plugins() {
  json::object instances;
  if (plugin_health_) {
    json::value health = plugin_health_();
    if (health.is_object()) instances = std::move(health.as_object());
  }
  // What waits for an operator, per instance: records kept as dead letters.
  {
    Lease sql(*this);
    store::DeadLetterStore dead(*sql, database_.dialect());
    for (auto& [name, h] : instances)
      if (h.is_object()) h.as_object()["open_dead_letters"] = dead.count_open(std::string(name));
  }
  return Response::json(200, json::object{{"instances", std::move(instances)}});
}

Response Api::hook(const Request& request, const PathParams& params) {
  const std::string instance(params.get("instance"));
  std::optional<ingest::HookAnswer> answer;
  if (hooks_) answer = hooks_(instance, request);
  if (!answer) throw HttpError(404, "not_found", "no push instance named '" + instance + "'");
  return Response::text(answer->status, std::move(answer->body), std::move(answer->content_type));
}

Response Api::list_duplicates(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"status", "limit", "cursor"});
  std::string status = params.get("status").value_or("pending");
  if (status == "all") status.clear();
  if (!status.empty() && status != "pending" && status != "accepted" && status != "rejected")
    throw bad_parameter("status", "expected pending, accepted, rejected or all");
  const int limit = limit_param(params, 20, 200);
  std::optional<int64_t> before;
  if (auto cursor = params.get("cursor"); cursor && !cursor->empty()) before = decode_cursor(*cursor);
  json::array items;
  std::optional<int64_t> next;
  {
    Lease sql(*this);
    auto rows = sql.reader().proposals(status, limit + 1, before);
    if (rows.size() > static_cast<size_t>(limit)) {
      rows.pop_back();
      next = rows.back().id;
    }
    for (const auto& p : rows) {
      json::object o = proposal_json(p);
      if (auto c = sql.reader().get(p.case_id)) o["case"] = case_json(*c, pii_);
      if (auto c = sql.reader().get(p.candidate_id)) o["candidate"] = case_json(*c, pii_);
      items.push_back(std::move(o));
    }
  }
  return Response::json(200,
                        json::object{{"items", std::move(items)},
                                     {"next_cursor", next ? json::value(encode_cursor(*next)) : json::value(nullptr)}});
}

Response Api::decide_duplicate(const Request& request, const PathParams& params, bool accept) {
  if (!is_counter(request.caller))
    throw HttpError(403, "forbidden",
                    "joining and separating cases is the counter's (an operator of a counter "
                    "department, auth.counter_departments) or an admin's");
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer proposal id", "id");
  const ActionBody body = action_body(request);
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, const std::string& now) {
        store::CaseReader reader(sql, database_.dialect());
        json::object out{{"proposal", *id}, {"status", accept ? "accepted" : "rejected"}};
        if (auto root = link::decide_proposal(groups, reader, events, *id, accept, body.actor, body.reason, now)) {
          reroute(sql, events, {*root}, now);
          out["case"] = *root;
        }
        return out;
      });
  return Response::json(200, answer);
}

Response Api::merge_case(const Request& request, const PathParams& params) {
  if (!is_counter(request.caller))
    throw HttpError(403, "forbidden",
                    "joining and separating cases is the counter's (an operator of a counter "
                    "department, auth.counter_departments) or an admin's");
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  const ActionBody body = action_body(request, {"into"});
  const json::value* into = body.fields.if_contains("into");
  if (!into || !into->is_int64() || into->as_int64() <= 0)
    throw HttpError(400, "bad_body", "into: expected the id of the case to merge into", "into");
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, const std::string& now) {
        const int64_t root = groups.root_of(into->as_int64()), member = groups.root_of(*id);
        if (root == member)
          throw store::GroupError("conflict", "cases " + std::to_string(*id) + " and " +
                                                  std::to_string(into->as_int64()) + " are one case already");
        json::object reasons;
        if (!body.reason.empty()) reasons["reason"] = body.reason;
        groups.merge(root, member, "manual", std::nullopt, reasons, body.actor, now);
        reroute(sql, events, {root}, now);
        return json::object{{"case", root}, {"member", member}};
      });
  return Response::json(200, answer);
}

Response Api::unmerge_case(const Request& request, const PathParams& params) {
  if (!is_counter(request.caller))
    throw HttpError(403, "forbidden",
                    "joining and separating cases is the counter's (an operator of a counter "
                    "department, auth.counter_departments) or an admin's");
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  const ActionBody body = action_body(request);
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, const std::string& now) {
        const int64_t root = groups.unmerge(*id, body.actor, body.reason, now);
        reroute(sql, events, {root, *id}, now);
        return json::object{{"case", *id}, {"former_root", root}};
      });
  return Response::json(200, answer);
}

void Api::reroute(soci::session& sql, ledger::EventAppender& events, std::initializer_list<int64_t> roots,
                  const std::string& now) {
  if (!settings_.rules) return;
  for (int64_t id : roots)
    workflow::route_case(sql, events, *settings_.rules, id, "hub:router", now, &settings_.sla, settings_.outbox.get());
}

Response Api::case_action(const Request& request, const PathParams& params) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  const ActionBody body =
      action_body(request, {"departments", "text", "rating", "duty", "by", "expected_status", "level"});
  std::string expected_status;
  if (const auto* v = body.fields.if_contains("expected_status")) {
    if (!v->is_string()) throw HttpError(400, "bad_body", "expected_status: expected a status id", "expected_status");
    expected_status = std::string(v->as_string());
  }
  workflow::ActionRequest a;
  a.action = std::string(params.get("action"));
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
      require_case_scope(sql, request.caller, *id, a.action);
      // A page left open acts on what it shows: if the case moved on, it reloads first.
      if (!expected_status.empty()) {
        const auto current = store::CaseReader(sql, database_.dialect()).status_of(*id);
        if (current && *current != expected_status)
          throw workflow::ActionError(
              "stale", "the case is " + *current + " now, not " + expected_status + ": reload it and decide again",
              workflow::allowed_actions(*current));
      }
      // A department handles what it was given; passing a case on and closing the loop
      // with the citizen are the counter's (一家受理、各家响应).
      static constexpr std::string_view kDepartmentActions[] = {"accept",  "return", "reply",
                                                                "suspend", "resume", "extend"};
      if (!is_counter(request.caller) && std::find(std::begin(kDepartmentActions), std::end(kDepartmentActions),
                                                   a.action) == std::end(kDepartmentActions))
        throw HttpError(403, "forbidden",
                        a.action +
                            " is the counter's: a department may accept, return, reply, suspend, "
                            "resume and extend");
      const std::string status =
          workflow::apply_action(sql, events, settings_.sla, settings_.outbox.get(), *id, a, *core::parse_instant(now));
      return json::object{
          {"case", *id}, {"status", status}, {"allowed", json::value_from(workflow::allowed_actions(status))}};
    });
    return Response::json(200, answer);
  } catch (const workflow::ActionError& e) {
    const int code = e.code == "not_found" ? 404 : e.code == "bad_request" ? 400 : 409;
    json::object error{{"code", e.code}, {"message", e.what()}, {"allowed", json::value_from(e.allowed)}};
    if (e.code == "stale" || e.code == "conflict") {
      Lease sql(*this);
      if (auto row = sql.reader().get(*id)) error["status"] = row->status;
    }
    return Response::json(code, json::object{{"error", std::move(error)}});
  }
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

Response Api::explain_route(const PathParams& params) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  if (!settings_.rules)
    throw HttpError(404, "not_found", "this hub has no routing rules (routing.rules in its config)");
  std::optional<routing::RoutingFacts> facts;
  {
    Lease sql(*this);
    facts = workflow::load_routing_facts(*sql, *id);
  }
  if (!facts) throw HttpError(404, "not_found", "case " + std::to_string(*id) + " does not exist");
  return Response::json(200, workflow::decision_json(settings_.rules->route(*facts)));
}

Response Api::whoami(const Request& request) {
  const auto& c = request.caller;
  return Response::json(200, json::object{{"name", c.name.empty() ? json::value(nullptr) : json::value(c.name)},
                                          {"role", c.role},
                                          {"department", c.department},
                                          {"counter", is_counter(c)},
                                          {"auth_required", options_.auth_required}});
}

Response Api::case_pii(const Request& request, const PathParams& params) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  const QueryParams q = QueryParams::parse(request.query);
  q.allow_only({"reason"});
  const std::string reason = q.get("reason").value_or("");
  json::object out{{"case", *id}};
  {
    Lease sql(*this);
    auto row = sql.reader().get(*id);
    if (!row) throw HttpError(404, "not_found", "case " + std::to_string(*id) + " does not exist");
    require_case_scope(*sql, request.caller, *id, "clear personal data");
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
    auth::log_pii_view(*sql, *id, who, "reporter.name,reporter.phone,reporter.id_number", reason, request.remote,
                       core::format_utc(core::now()));
    spdlog::info("[case:{}] clear personal data viewed by {} ({}{}){}", *id, who.name, request.caller.role,
                 who.department.empty() ? "" : " of " + who.department, reason.empty() ? "" : ": " + reason);
    out["reporter"] = json::object{{"name", clear(row->reporter_name_enc, "reporter.name")},
                                   {"phone", clear(row->reporter_phone_enc, "reporter.phone")},
                                   {"id_number", clear(row->reporter_id_enc, "reporter.id_number")}};
  }
  return Response::json(200, out);
}

Response Api::pii_views(const Request& request) {
  const QueryParams q = QueryParams::parse(request.query);
  q.allow_only({"case_id", "limit"});
  int64_t case_id = 0;
  if (auto c = q.get("case_id"); c && !c->empty()) {
    auto n = parse_id(*c);
    if (!n) throw bad_parameter("case_id", "expected a positive integer case id");
    case_id = *n;
  }
  const int limit = limit_param(q, 100, 1000);
  json::array items;
  {
    Lease sql(*this);
    for (const auto& v : auth::list_pii_views(*sql, case_id, limit))
      items.push_back(json::object{{"id", v.id},
                                   {"case_id", v.case_id},
                                   {"viewer", v.viewer},
                                   {"role", v.role},
                                   {"department", v.department},
                                   {"fields", v.fields},
                                   {"reason", v.reason},
                                   {"remote", v.remote},
                                   {"at", v.at}});
  }
  return Response::json(200, json::object{{"items", std::move(items)}});
}

namespace {
Response token_error(const auth::TokenError& e) {
  return Response::error(e.code == "not_found" ? 404 : e.code == "conflict" ? 409 : 400, e.code, e.what());
}
}  // namespace

Response Api::tokens(const Request&) {
  json::array items;
  {
    Lease sql(*this);
    for (const auto& t : auth::list_tokens(*sql))
      items.push_back(
          json::object{{"name", t.name},
                       {"role", t.role},
                       {"department", t.department},
                       {"created_at", t.created_at},
                       {"created_by", t.created_by},
                       {"revoked_at", t.revoked_at.empty() ? json::value(nullptr) : json::value(t.revoked_at)}});
  }
  return Response::json(200, json::object{{"items", std::move(items)}});
}

Response Api::create_token(const Request& request) {
  const ActionBody body = action_body(request, {"name", "role", "department"});
  auto text = [&](const char* k) {
    const auto* v = body.fields.if_contains(k);
    if (v && !v->is_string()) throw HttpError(400, "bad_body", std::string(k) + ": expected a string", k);
    return v ? std::string(v->as_string()) : std::string();
  };
  const std::string name = text("name"), role_text = text("role"), department = text("department");
  const auto role = auth::parse_role(role_text);
  if (!role) throw HttpError(400, "bad_body", "role: expected admin, operator, auditor or security_admin", "role");
  try {
    Lease sql(*this);
    const std::string token =
        auth::create_token(*sql, name, *role, department, body.actor.empty() ? "api" : body.actor);
    spdlog::info("api: token '{}' ({}) made by {}", name, role_text, body.actor);
    return Response::json(
        201, json::object{{"name", name}, {"role", role_text}, {"department", department}, {"token", token}});
  } catch (const auth::TokenError& e) {
    return token_error(e);
  }
}

Response Api::revoke_token(const Request& request, const PathParams& params) {
  const ActionBody body = action_body(request);
  const std::string name(params.get("name"));
  try {
    Lease sql(*this);
    auth::revoke_token(*sql, name, core::format_utc(core::now()));
    spdlog::info("api: token '{}' revoked by {}", name, body.actor);
    return Response::json(200, json::object{{"name", name}, {"revoked", true}});
  } catch (const auth::TokenError& e) {
    return token_error(e);
  }
}

std::string encode_cursor(int64_t before_id) { return encode_cursor_object(json::object{{"b", before_id}}); }

int64_t decode_cursor(std::string_view cursor) {
  return decode_cursor_object<int64_t>(
      cursor,
      [](const json::object& o) -> int64_t {
        if (o.size() != 1 || o.at("b").as_int64() <= 0) throw std::invalid_argument("cursor");
        return o.at("b").as_int64();
      },
      [](const int64_t& b) { return encode_cursor(b); });
}

}  // namespace yizhan::http
