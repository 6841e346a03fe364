// The hub's HTTP API (read side) and its operational endpoints:
//
//   GET /healthz            {"status":"ok"} after a trivial database query, 503 when
//                           the database does not answer; "plugins" holds the plugin
//                           health when a provider was given
//   GET /metrics            Prometheus text format 0.0.4 of the registry
//   GET /api/v1/cases       search and list: q, status, category, system, division,
//                           received_from, received_to, limit (1..200, default 20),
//                           cursor → {"items":[case…], "next_cursor": string|null}
//   GET /api/v1/cases/{id}  one case with "sources" and "events" (of the cases merged
//                           into it too, each naming its case_id), "members" and the
//                           pending "duplicates" naming it
//   GET /api/v1/stats       {"cases_total", "merged_total", "proposals_pending",
//                           "by_system" (records each system reported, merged ones
//                           included), "cases_by_system", "by_status", "by_category"}
//   GET /api/v1/duplicates  likely duplicates (docs/architecture.md §6): status (pending by default,
//                           accepted, rejected, all), limit, cursor → {"items":[{id,
//                           score, reasons, status, case, candidate}…], "next_cursor"}
//   POST /api/v1/duplicates/{id}/accept   merges the proposal's case into the
//                           candidate's group; .../reject records the decision. Body
//                           (optional JSON): {"actor": who, "reason": why}
//   POST /api/v1/cases/{id}/merge     {"into": case id, "actor", "reason"}: staff join
//                           case id's group to another by hand
//   POST /api/v1/cases/{id}/actions/{action}   accept | return | reassign | reply |
//                           close (workflow/case_actions.hpp), body {"actor", "reason",
//                           "departments" (reassign)} → {"case", "status", "allowed"};
//                           an illegal move is 409 with the "allowed" actions
//   GET /api/v1/obligations  obligations by due instant, soonest first: due_before
//                           (a date or ISO 8601 with an offset), department, state
//                           (open by default, overdue, cancelled), limit (1..500, 50)
//                           → {"items":[{id, case_id, department, level, duty, state,
//                           started_at, due_at, warn_at, warned, escalated_from}…]}
//   GET /api/v1/cases/{id}/route      where the routing rules send the case and why:
//                           {"rule"|null, "level", "departments", "queue", "trace"}
//                           (404 when the hub has no routing rules)
//   POST /api/v1/cases/{id}/unmerge   {"actor", "reason"}: case id (merged into
//                           another) leaves its group; both cases are as before
//                           Merge conflicts (a case merged already, the same group)
//                           are 409 with the reason; unknown ids are 404.
//   GET /api/v1/plugins     {"instances":{name:{plugin, kind, state, last_success_at,
//                           last_error_at, last_error, consecutive_failures, polls or
//                           pushes, records, dead_letters, backlog (a source behind its
//                           upstream; null for push), open_dead_letters}}}
//   POST /hooks/{instance}  a department system pushing records to a push plugin's
//                           instance (ingest/push_receiver.hpp); the answer is the
//                           plugin's acknowledgement, 503 when storing failed, 404
//                           for no such push instance
//
// Every error is {"error":{"code":…,"message":…}} (plus "parameter" naming the query
// parameter at fault) as application/json; charset=utf-8. Unknown query parameters
// are refused (400), so a typo never silently widens a search.
//
// Query parameters of /api/v1/cases:
//   q              free text, up to 100 characters; matched by character bigrams
//                  (store/case_reader.hpp)
//   status         a status id (core/case_status.hpp), e.g. in_progress
//   category       exact, or a class with its subtypes when it ends in '/' (矛盾纠纷/)
//   system         the plugin name that reported the case (source_system)
//   division       a prefix of the division code, digits only
//   received_from  YYYY-MM-DD (Beijing midnight) or ISO 8601 with an offset; inclusive
//   received_to    ISO 8601 with an offset: exclusive; YYYY-MM-DD: that whole day
//                  included (up to the next Beijing midnight)
//   cursor         next_cursor of the previous page, as given (opaque)
//
// To serve it on a port, use http::ApiServer (api_server.hpp), which `yizhan serve` runs.
//
// Personal data: reporter name, phone and ID number are decrypted and shown masked
// (张*, 138****1234, 140929********1234); a value that cannot be decrypted is shown as
// null and logged by case id. Neither clear values nor query strings are logged.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "crypto/crypto.hpp"
#include "db/database.hpp"
#include "http/case_page_cache.hpp"
#include "http/message.hpp"
#include "http/router.hpp"
#include "http/web_assets.hpp"
#include "ingest/ingest_config.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/push_receiver.hpp"
#include "ops/metrics.hpp"

namespace yizhan::http {

// What the API allows beyond the store: a movable clock (training and test hubs), and
// who may call it (auth/tokens.hpp). Without auth_required every caller is an admin:
// for tests and tools on one machine only; `yizhan serve` requires tokens by default.
struct ApiOptions {
  bool clock_adjustable = false;
  bool auth_required = false;
  std::vector<std::string> counter_departments;  // operators of these act on every case
  // The counter page (docs/web-api.md): its folder (empty or missing: not served), the
  // idle timeout of a signed-in session, the source system of matters registered at the
  // counter, and the files of the intake form's reference data (empty: none).
  std::filesystem::path web_root;
  std::chrono::seconds idle_timeout{30 * 60};
  std::string intake_system = "counter";
  std::filesystem::path county_file, taxonomy_file;
  std::map<std::string, std::map<std::string, std::string>> system_labels;  // web.system_labels
  ingest::IngestLimits limits;  // what a registered matter is checked against, as a record
};

struct IntakeReference;  // api_intake.cpp

class Api {
 public:
  // Health of the plugin instances, as JSON (e.g. an object per instance); called on
  // a server thread for each /healthz, so it must be thread-safe and quick.
  using PluginHealth = std::function<boost::json::value()>;
  // Hands a pushed request to the named push instance; nullopt when there is none.
  // Called on server threads: must be thread-safe.
  using HookHandler = std::function<std::optional<ingest::HookAnswer>(const std::string& instance, const Request&)>;

  // `pii` and `metrics` must outlive the Api. Database sessions are opened on demand
  // and pooled, one per concurrently served request (SOCI sessions are not
  // thread-safe), so at most one per server thread.
  Api(db::Database database, const crypto::PiiProtector& pii, ops::Metrics& metrics, PluginHealth plugin_health = {},
      HookHandler hooks = {}, ingest::IngestSettings settings = {}, ApiOptions options = {});
  ~Api();
  Api(const Api&) = delete;
  Api& operator=(const Api&) = delete;

  // Serves one request; thread-safe, never throws (a failure is a 500 JSON error).
  // Counts it in yizhan_http_requests_total and yizhan_http_request_duration_seconds
  // by method and route pattern.
  Response handle(const Request& request);
  // Whether the counter page was found (ApiOptions::web_root).
  bool serves_page() const { return web_.installed(); }

 private:
  struct Pooled;  // a session and the reader holding its prepared statements
  class Lease;
  std::unique_ptr<Pooled> acquire();
  void release(std::unique_ptr<Pooled> pooled);

  // api.cpp: monitoring (health, metrics, plugin instances) and pushed requests.
  Response healthz();
  Response metrics_page();
  Response plugins();
  Response hook(const Request& request, const PathParams& params);
  // Each resource's file registers its routes (add_*_routes) and answers them.
  // api_cases.cpp: search and queues, a case's page, statistics, clear data, routing.
  void add_case_routes();
  Response list_cases(const Request& request);
  Response get_case(const PathParams& params);
  Response stats(const Request& request);
  Response case_pii(const Request& request, const PathParams& params);
  Response explain_route(const PathParams& params);
  // api_duplicates.cpp: proposals and the counter's merge decisions.
  void add_duplicate_routes();
  Response list_duplicates(const Request& request);
  Response decide_duplicate(const Request& request, const PathParams& params, bool accept);
  Response merge_case(const Request& request, const PathParams& params);
  Response unmerge_case(const Request& request, const PathParams& params);
  void reroute(soci::session& sql, ledger::EventAppender& events, std::initializer_list<int64_t> roots,
               const std::string& now);
  // api_actions.cpp: staff actions.
  void add_action_routes();
  Response case_action(const Request& request, const PathParams& params);
  // api_obligations.cpp: the clocks, the write-back outbox, the training clock.
  void add_obligation_routes();
  Response obligations(const Request& request);
  Response outbox(const Request& request);
  Response clock(const Request& request);
  // api_reports.cpp: what supervisors read each week (department ratings).
  void add_report_routes();
  Response ratings(const Request& request);
  // api_tokens.cpp: API tokens.
  void add_token_routes();
  Response tokens(const Request& request);
  Response create_token(const Request& request);
  Response revoke_token(const Request& request, const PathParams& params);
  // api_session.cpp: who the caller is (token or session cookie, CSRF); the refusal
  // to answer when the caller may not go on; sign-in and sign-out.
  void add_session_routes();
  std::optional<Response> authenticate(Request& request);
  Response start_session(const Request& request);
  Response current_session(const Request& request);
  Response end_session(const Request& request);
  Response whoami(const Request& request);
  // api_intake.cpp: the forms' reference data, intake preview and registration.
  void add_intake_routes();
  Response reference();
  Response preview_case(const Request& request);
  Response create_case(const Request& request);
  // api_audit.cpp: the auditors' trail, the ledger's state and its export, PII views.
  void add_audit_routes();
  Response audit_trail(const Request& request);
  Response audit_ledger();
  Response audit_export(const Request& request);
  Response audit_checkpoint(const Request& request);
  Response pii_views(const Request& request);
  // Routes a handler only for callers of these roles (403 otherwise).
  void add(std::string method, std::string_view pattern, const std::vector<std::string_view>& roles,
           Router::Handler handler);
  bool is_counter(const Caller& c) const;
  // Throws 403 unless the caller may act on (or see the clear data of) the case.
  void require_case_scope(soci::session& sql, const Caller& c, int64_t case_id, std::string_view what);
  template <class F>
  auto in_write_transaction(F&& action);

  db::Database database_;
  const crypto::PiiProtector& pii_;
  ops::Metrics& metrics_;
  PluginHealth plugin_health_;
  HookHandler hooks_;
  ingest::IngestSettings settings_;
  ApiOptions options_;
  Router router_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<Pooled>> idle_;
  CasePageCache pages_;  // rendered GET /api/v1/cases/{id} answers, dropped on change
  WebAssets web_;
  std::once_flag reference_once_;
  std::shared_ptr<const IntakeReference> reference_;  // the county file and taxonomy, read once
  const IntakeReference& reference_data();
  // The taxonomy's outcome ids marked settled (the dashboard's success rate).
  const std::set<std::string>& reference_settled_outcomes();
};

// The opaque paging cursor of /api/v1/cases: base64url of {"b":<id>}, the id the next
// page starts below. decode_cursor() throws HttpError (400, "bad_cursor") on anything
// encode_cursor() could not have made.
std::string encode_cursor(int64_t before_id);
int64_t decode_cursor(std::string_view cursor);

}  // namespace yizhan::http
