#include "http/api.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <chrono>
#include <exception>

#include "core/case_status.hpp"
#include "core/text.hpp"
#include "core/time.hpp"
#include "http/query.hpp"
#include "route/case_actions.hpp"
#include "store/case_groups.hpp"
#include "store/case_reader.hpp"
#include "store/dead_letter_store.hpp"

namespace yizhan::http {
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxQueryChars = 100;

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
json::value masked(const core::PiiProtector& pii, const std::string& sealed, std::string_view context,
                   std::string (*mask)(std::string_view), int64_t case_id) {
  if (sealed.empty()) return json::string();
  try {
    return json::string(mask(pii.decrypt(sealed, context)));
  } catch (const core::CryptoError&) {
    spdlog::warn("api: case {}: {} cannot be decrypted with the configured PII key", case_id, context);
    return nullptr;
  }
}

json::value optional_number(const std::optional<double>& d) { return d ? json::value(*d) : json::value(nullptr); }

json::object case_json(const store::CaseRow& c, const core::PiiProtector& pii) {
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
           {"name", masked(pii, c.reporter_name_enc, "reporter.name", &core::PiiProtector::mask_name, c.id)},
           {"phone", masked(pii, c.reporter_phone_enc, "reporter.phone", &core::PiiProtector::mask_phone, c.id)},
           {"id_number",
            masked(pii, c.reporter_id_enc, "reporter.id_number", &core::PiiProtector::mask_id_number, c.id)}}},
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

// The optional JSON body of a staff action: {"actor", "reason", …}. Until sign-in
// exists the actor is what the caller says, else "api" (recorded on the ledger).
struct ActionBody {
  json::object fields;
  std::string actor = "api", reason;
};
ActionBody action_body(const Request& request, std::initializer_list<std::string_view> extra = {}) {
  ActionBody b;
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
  if (auto* a = b.fields.if_contains("actor"); a && !a->as_string().empty())
    b.actor = "api:" + std::string(a->as_string());
  if (auto* r = b.fields.if_contains("reason")) b.reason = std::string(r->as_string());
  return b;
}

HttpError group_error(const store::GroupError& e) {
  return HttpError(e.code == "not_found" ? 404 : 409, e.code, e.what());
}

}  // namespace

struct Api::Pooled {
  std::unique_ptr<soci::session> sql;
  std::unique_ptr<store::CaseReader> reader;  // declared after: goes before the session
};

// A pooled session for one request. Returned to the pool when the request ends
// normally; dropped when an exception passes (it may be mid-transaction or broken).
class Api::Lease {
 public:
  explicit Lease(Api& api) : api_(api), pooled_(api.acquire()), exceptions_(std::uncaught_exceptions()) {}
  ~Lease() {
    if (std::uncaught_exceptions() == exceptions_) api_.release(std::move(pooled_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& operator*() { return *pooled_->sql; }
  store::CaseReader& reader() { return *pooled_->reader; }

 private:
  Api& api_;
  std::unique_ptr<Pooled> pooled_;
  int exceptions_;
};

Api::Api(store::Database database, const core::PiiProtector& pii, core::Metrics& metrics, PluginHealth plugin_health,
         HookHandler hooks, ingest::NewCaseSettings settings)
    : database_(std::move(database)),
      pii_(pii),
      metrics_(metrics),
      plugin_health_(std::move(plugin_health)),
      hooks_(std::move(hooks)),
      settings_(std::move(settings)) {
  metrics_.describe(kRequestsTotal, core::Metrics::Type::counter,
                    "HTTP requests answered by the API, by method, route pattern and status code.");
  metrics_.describe(kRequestSeconds, core::Metrics::Type::histogram,
                    "Time to answer an HTTP request (handler only), by method and route pattern.");
  router_.add("GET", "/healthz", [this](const Request&, const PathParams&) { return healthz(); });
  router_.add("GET", "/metrics", [this](const Request&, const PathParams&) { return metrics_page(); });
  router_.add("GET", "/api/v1/cases", [this](const Request& r, const PathParams&) { return list_cases(r); });
  router_.add("GET", "/api/v1/cases/{id}", [this](const Request&, const PathParams& p) { return get_case(p); });
  router_.add("GET", "/api/v1/stats", [this](const Request&, const PathParams&) { return stats(); });
  router_.add("GET", "/api/v1/plugins", [this](const Request&, const PathParams&) { return plugins(); });
  router_.add("POST", "/hooks/{instance}", [this](const Request& r, const PathParams& p) { return hook(r, p); });
  router_.add("GET", "/api/v1/duplicates", [this](const Request& r, const PathParams&) { return list_duplicates(r); });
  router_.add("POST", "/api/v1/duplicates/{id}/accept",
              [this](const Request& r, const PathParams& p) { return decide_duplicate(r, p, true); });
  router_.add("POST", "/api/v1/duplicates/{id}/reject",
              [this](const Request& r, const PathParams& p) { return decide_duplicate(r, p, false); });
  router_.add("POST", "/api/v1/cases/{id}/merge",
              [this](const Request& r, const PathParams& p) { return merge_case(r, p); });
  router_.add("POST", "/api/v1/cases/{id}/actions/{action}",
              [this](const Request& r, const PathParams& p) { return case_action(r, p); });
  router_.add("GET", "/api/v1/obligations", [this](const Request& r, const PathParams&) { return obligations(r); });
  router_.add("GET", "/api/v1/cases/{id}/route",
              [this](const Request&, const PathParams& p) { return explain_route(p); });
  router_.add("POST", "/api/v1/cases/{id}/unmerge",
              [this](const Request& r, const PathParams& p) { return unmerge_case(r, p); });
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

Response Api::handle(const Request& request) {
  const auto start = std::chrono::steady_clock::now();
  std::string route;
  Response res;
  try {
    res = router_.dispatch(request, &route);
  } catch (const store::StoreError& e) {
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
  params.allow_only(
      {"q", "status", "category", "system", "division", "received_from", "received_to", "limit", "cursor"});
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
  if (auto limit = params.get("limit")) {
    auto n = parse_id(*limit);
    if (!n || *n > 200) throw bad_parameter("limit", "expected an integer from 1 to 200");
    f.limit = static_cast<int>(*n);
  }
  if (auto cursor = params.get("cursor"); cursor && !cursor->empty()) f.before_id = decode_cursor(*cursor);

  store::CasePage page;
  {
    Lease sql(*this);
    page = sql.reader().search(f);
  }
  json::array items;
  items.reserve(page.items.size());
  for (const auto& c : page.items) items.emplace_back(case_json(c, pii_));
  return Response::json(
      200, json::object{{"items", std::move(items)},
                        {"next_cursor", page.next_before_id ? json::value(encode_cursor(*page.next_before_id))
                                                            : json::value(nullptr)}});
}

Response Api::get_case(const PathParams& params) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  std::optional<store::CaseDetail> detail;
  {
    Lease sql(*this);
    pages_.sync(*sql, sql.reader().ledger_head());
    if (auto page = pages_.find(*id)) return Response::text(200, *page, "application/json; charset=utf-8");
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
  auto page = std::make_shared<const std::string>(json::serialize(body));
  pages_.put(*id, detail->ledger_seq, page);
  return Response::text(200, *page, "application/json; charset=utf-8");
}

Response Api::stats() {
  store::Stats s;
  {
    Lease sql(*this);
    s = sql.reader().stats();
  }
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
                                          {"by_level", to_object(s.by_level)}});
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
  int limit = 20;
  if (auto l = params.get("limit")) {
    auto n = parse_id(*l);
    if (!n || *n > 200) throw bad_parameter("limit", "expected an integer from 1 to 200");
    limit = static_cast<int>(*n);
  }
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

// One staff action on groups, in one write transaction.
template <class F>
auto Api::in_write_transaction(F&& action) {
  Lease sql(*this);
  store::WriteTransaction tx(*sql, database_.dialect());
  store::EventAppender events(*sql, database_.dialect());
  store::CaseGroups groups(*sql, events, settings_.linking);
  try {
    auto result = action(*sql, groups, events, core::format_utc(core::now()));
    events.flush();
    tx.commit();
    return result;
  } catch (const store::GroupError& e) {
    throw group_error(e);
  } catch (const soci::soci_error& e) {
    throw store::StoreError(std::string("a merge or unmerge failed: ") + e.get_error_message());
  }
}

Response Api::decide_duplicate(const Request& request, const PathParams& params, bool accept) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer proposal id", "id");
  const ActionBody body = action_body(request);
  json::object answer = in_write_transaction([&](soci::session& sql, store::CaseGroups& groups,
                                                 store::EventAppender& events, const std::string& now) {
    store::CaseReader reader(sql, database_.dialect());
    auto p = reader.proposal(*id);
    if (!p) throw store::GroupError("not_found", "no duplicate proposal " + std::to_string(*id));
    if (p->status != "pending")
      throw store::GroupError("conflict", "proposal " + std::to_string(*id) + " is " + p->status + " already");
    json::object out{{"proposal", *id}, {"status", accept ? "accepted" : "rejected"}};
    json::object data{{"proposal", *id}, {"case", p->case_id}, {"candidate", p->candidate_id}, {"reason", body.reason}};
    if (accept) {
      const int64_t root = groups.root_of(p->candidate_id), member = groups.root_of(p->case_id);
      if (root == member)
        throw store::GroupError("conflict", "cases " + std::to_string(p->case_id) + " and " +
                                                std::to_string(p->candidate_id) + " are one case already (case " +
                                                std::to_string(root) + ")");
      boost::system::error_code ec;
      json::value reasons = json::parse(p->reasons, ec);
      json::object r = !ec && reasons.is_object() ? reasons.as_object() : json::object();
      r["proposal"] = *id;
      if (!body.reason.empty()) r["reason"] = body.reason;
      groups.merge(root, member, "accepted", p->score, r, body.actor, now);
      reroute(sql, events, {root}, now);
      out["case"] = root;
    } else {
      events.append(p->case_id, "duplicate_rejected", body.actor, data, now);
      events.append(p->candidate_id, "duplicate_rejected", body.actor, data, now);
    }
    sql << "UPDATE duplicate_proposals SET status = " + store::literal(accept ? "accepted" : "rejected") +
               ", decided_at = " + store::literal(now) + ", decided_by = " + store::literal(body.actor) +
               " WHERE id = " + std::to_string(*id);
    return out;
  });
  return Response::json(200, answer);
}

Response Api::merge_case(const Request& request, const PathParams& params) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  const ActionBody body = action_body(request, {"into"});
  const json::value* into = body.fields.if_contains("into");
  if (!into || !into->is_int64() || into->as_int64() <= 0)
    throw HttpError(400, "bad_body", "into: expected the id of the case to merge into", "into");
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, store::EventAppender& events, const std::string& now) {
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
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  const ActionBody body = action_body(request);
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, store::EventAppender& events, const std::string& now) {
        const int64_t root = groups.unmerge(*id, body.actor, body.reason, now);
        reroute(sql, events, {root, *id}, now);
        return json::object{{"case", *id}, {"former_root", root}};
      });
  return Response::json(200, answer);
}

void Api::reroute(soci::session& sql, store::EventAppender& events, std::initializer_list<int64_t> roots,
                  const std::string& now) {
  if (!settings_.rules) return;
  for (int64_t id : roots) route::route_case(sql, events, *settings_.rules, id, "hub:router", now, &settings_.sla);
}

Response Api::case_action(const Request& request, const PathParams& params) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  const ActionBody body = action_body(request, {"departments"});
  route::ActionRequest a;
  a.action = std::string(params.get("action"));
  a.actor = body.actor;
  a.reason = body.reason;
  if (const auto* d = body.fields.if_contains("departments")) {
    if (!d->is_array())
      throw HttpError(400, "bad_body", "departments: expected a list of department ids", "departments");
    for (const auto& v : d->as_array()) {
      if (!v.is_string()) throw HttpError(400, "bad_body", "departments: expected strings", "departments");
      a.departments.emplace_back(v.as_string());
    }
  }
  try {
    json::object answer = in_write_transaction(
        [&](soci::session& sql, store::CaseGroups&, store::EventAppender& events, const std::string& now) {
          const std::string status = route::apply_action(sql, events, settings_.sla, *id, a, *core::parse_instant(now));
          return json::object{
              {"case", *id}, {"status", status}, {"allowed", json::value_from(route::allowed_actions(status))}};
        });
    return Response::json(200, answer);
  } catch (const route::ActionError& e) {
    const int code = e.code == "not_found" ? 404 : e.code == "bad_request" ? 400 : 409;
    return Response::json(code, json::object{{"error", json::object{{"code", e.code},
                                                                    {"message", e.what()},
                                                                    {"allowed", json::value_from(e.allowed)}}}});
  }
}

Response Api::obligations(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"due_before", "department", "state", "limit"});
  std::string due_before, department, state = "open";
  if (auto d = params.get("due_before"); d && !d->empty()) due_before = parse_bound("due_before", *d, false);
  if (auto d = params.get("department")) department = *d;
  if (auto s = params.get("state"); s && !s->empty()) {
    if (*s != "open" && *s != "overdue" && *s != "cancelled" && *s != "met")
      throw bad_parameter("state", "expected open, overdue, met or cancelled");
    state = *s;
  }
  int limit = 50;
  if (auto l = params.get("limit")) {
    auto n = parse_id(*l);
    if (!n || *n > 500) throw bad_parameter("limit", "expected an integer from 1 to 500");
    limit = static_cast<int>(*n);
  }
  json::array items;
  {
    Lease sql(*this);
    for (const auto& o : route::list_obligations(*sql, due_before, department, state, limit))
      items.push_back(
          json::object{{"id", o.id},
                       {"case_id", o.case_id},
                       {"department", o.department},
                       {"level", o.level},
                       {"duty", o.duty},
                       {"state", o.state},
                       {"started_at", o.started_at},
                       {"due_at", o.due_at},
                       {"warn_at", o.warn_at},
                       {"warned", o.warned},
                       {"escalated_from", o.escalated_from ? json::value(*o.escalated_from) : json::value(nullptr)}});
  }
  return Response::json(200, json::object{{"items", std::move(items)}});
}

Response Api::explain_route(const PathParams& params) {
  const auto id = parse_id(params.get("id"));
  if (!id) throw HttpError(400, "bad_parameter", "id: expected a positive integer case id", "id");
  if (!settings_.rules)
    throw HttpError(404, "not_found", "this hub has no routing rules (routing.rules in its config)");
  std::optional<route::RoutingFacts> facts;
  {
    Lease sql(*this);
    facts = route::load_routing_facts(*sql, *id);
  }
  if (!facts) throw HttpError(404, "not_found", "case " + std::to_string(*id) + " does not exist");
  return Response::json(200, route::decision_json(settings_.rules->route(*facts)));
}

std::string encode_cursor(int64_t before_id) {
  const std::string text = "{\"b\":" + std::to_string(before_id) + "}";
  return core::base64url_encode(std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

int64_t decode_cursor(std::string_view cursor) {
  const HttpError bad(400, "bad_cursor", "cursor: not a cursor this API gave out (pass next_cursor unchanged)",
                      "cursor");
  if (cursor.size() > 64) throw bad;
  try {
    const core::Bytes bytes = core::base64url_decode(cursor);
    const json::value v = json::parse(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    const json::object& o = v.as_object();
    if (o.size() != 1 || !o.contains("b")) throw bad;
    const json::value& b = o.at("b");
    if (!b.is_int64() || b.as_int64() <= 0 || encode_cursor(b.as_int64()) != cursor) throw bad;
    return b.as_int64();
  } catch (const HttpError&) {
    throw;
  } catch (const std::exception&) {
    throw bad;
  }
}

}  // namespace yizhan::http
