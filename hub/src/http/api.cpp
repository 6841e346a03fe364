#include "http/api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <exception>

#include "core/time.hpp"
#include "http/api_internal.hpp"
#include "store/dead_letter_store.hpp"
#include "workflow/case_router.hpp"

namespace yizhan::http {
namespace json = boost::json;

namespace {
constexpr std::string_view kRequestsTotal = "yizhan_http_requests_total";
constexpr std::string_view kRequestSeconds = "yizhan_http_request_duration_seconds";
}  // namespace

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
  // Each resource registers its routes with the roles that may call them
  // (auth/tokens.hpp); the order only decides the order of a 405's Allow list.
  add("GET", "/healthz", roles::kAnyone, [this](const Request&, const PathParams&) { return healthz(); });
  add("GET", "/metrics", roles::kAnyone, [this](const Request&, const PathParams&) { return metrics_page(); });
  add("POST", "/hooks/{instance}", roles::kAnyone,
      [this](const Request& r, const PathParams& p) { return hook(r, p); });
  add("GET", "/api/v1/plugins", {"admin", "auditor"}, [this](const Request&, const PathParams&) { return plugins(); });
  add_session_routes();     // api_session.cpp
  add_case_routes();        // api_cases.cpp
  add_duplicate_routes();   // api_duplicates.cpp
  add_action_routes();      // api_actions.cpp
  add_obligation_routes();  // api_obligations.cpp
  add_report_routes();      // api_reports.cpp
  add_token_routes();       // api_tokens.cpp
  add_intake_routes();      // api_intake.cpp
  add_audit_routes();       // api_audit.cpp
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

void Api::add(std::string method, std::string_view pattern, const std::vector<std::string_view>& roles,
              Router::Handler handler) {
  if (roles.empty()) {
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

}  // namespace yizhan::http
