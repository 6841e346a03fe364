// The auditors' side of the API (docs/web-api.md "Audit"): every hand-off in ledger
// order, the ledger's verification state and latest checkpoint, and the export that
// scripts/verify-ledger.sh checks without Yizhan.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "auth/tokens.hpp"
#include "crypto/crypto.hpp"
#include "http/api.hpp"
#include "http/api_internal.hpp"
#include "ledger/checkpoints.hpp"
#include "ledger/ledger_export.hpp"
#include "ledger/ledger_verifier.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_audit_routes() {
  add("GET", "/api/v1/audit/pii_views", roles::kAudit,
      [this](const Request& r, const PathParams&) { return pii_views(r); });
  add("GET", "/api/v1/audit/trail", {"admin", "auditor"},
      [this](const Request& r, const PathParams&) { return audit_trail(r); });
  add("GET", "/api/v1/audit/ledger", {"admin", "auditor"},
      [this](const Request&, const PathParams&) { return audit_ledger(); });
  add("POST", "/api/v1/audit/checkpoints", {"admin", "auditor"},
      [this](const Request& r, const PathParams&) { return audit_checkpoint(r); });
  add("GET", "/api/v1/audit/export", {"admin", "auditor"},
      [this](const Request& r, const PathParams&) { return audit_export(r); });
}

namespace {

// The events that pass a case on or decide about it: who was given it, who took it,
// who gave it back, joined or separated it, closed it, and what the systems were told.
constexpr std::string_view kHandOffs[] = {"received",
                                          "routed",
                                          "triaged",
                                          "status_changed",
                                          "accepted",
                                          "returned",
                                          "reassigned",
                                          "replied",
                                          "closed",
                                          "suspended",
                                          "resumed",
                                          "extended",
                                          "followed_up",
                                          "rated",
                                          "reopened",
                                          "review_requested",
                                          "escalated",
                                          "merged",
                                          "merged_into",
                                          "unmerged",
                                          "unmerged_from",
                                          "duplicate_rejected",
                                          "obligations_opened",
                                          "write_back_delivered",
                                          "write_back_refused"};

// "to": the departments it went to; "from": the status or departments it left.
json::value departments_or_status(const json::value* v) {
  if (!v) return nullptr;
  if (v->is_object()) {
    if (const auto* d = v->as_object().if_contains("departments")) return *d;
    return *v;
  }
  return *v;
}

json::object checkpoint_json(const ledger::Checkpoint& c) {
  return json::object{{"seq", c.seq}, {"hash", c.hash}, {"at", c.at}};
}

}  // namespace

Response Api::audit_checkpoint(const Request& request) {
  std::optional<ledger::Checkpoint> c;
  {
    Lease sql(*this);
    c = ledger::write_checkpoint(*sql, database_.dialect(), core::format_utc(core::now()));
  }
  if (!c) throw HttpError(409, "empty_ledger", "the ledger has no events yet: nothing to checkpoint");
  spdlog::info("api: {} took a ledger checkpoint at seq {}", request.caller.name, c->seq);
  return Response::json(201, checkpoint_json(*c));
}

Response Api::audit_trail(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"case_id", "department", "from", "to", "limit", "cursor"});
  ledger::EventFilter filter;
  filter.types.assign(std::begin(kHandOffs), std::end(kHandOffs));
  std::optional<int64_t> case_id;
  if (auto c = params.get("case_id"); c && !c->empty()) {
    case_id = parse_id(*c);
    if (!case_id) throw bad_parameter("case_id", "expected a positive integer case id");
  }
  if (auto d = params.get("department"); d && !d->empty()) {
    if (d->size() > 40 || d->find_first_of("\"%_'\\") != std::string::npos)
      throw bad_parameter("department", "expected a department id");
    filter.data_contains = "\"" + *d + "\"";
  }
  if (auto f = params.get("from"); f && !f->empty()) filter.from = parse_bound("from", *f, false);
  if (auto t = params.get("to"); t && !t->empty()) filter.to = parse_bound("to", *t, true);
  if (auto c = params.get("cursor"); c && !c->empty()) {
    const auto after = parse_id(*c);
    if (!after) throw bad_parameter("cursor", "expected the next_cursor of the previous page");
    filter.after_seq = *after;
  }
  const int limit = limit_param(params, 100, 500);
  filter.limit = limit + 1;
  json::array items;
  int64_t last = 0;
  {
    Lease sql(*this);
    if (case_id) {
      // The case and the cases merged into it.
      filter.case_ids = sql.reader().members(*case_id);
      filter.case_ids.insert(filter.case_ids.begin(), *case_id);
    }
    for (const auto& e : ledger::find_events(*sql, filter)) {
      if (static_cast<int>(items.size()) == limit) {
        last = -1;
        break;
      }
      boost::system::error_code ec;
      json::value data = json::parse(e.data, ec);
      if (ec) data = json::string(e.data);
      const json::object* o = data.if_object();
      const json::value* reason = o ? o->if_contains("reason") : nullptr;
      json::value to = o ? departments_or_status(o->if_contains("to")) : json::value(nullptr);
      if (to.is_null() && o)
        if (const auto* d = o->if_contains("departments")) to = *d;
      last = e.seq;
      items.push_back(json::object{{"seq", last},
                                   {"case_id", e.case_id ? json::value(*e.case_id) : json::value(nullptr)},
                                   {"type", e.type},
                                   {"actor", e.actor},
                                   {"at", e.at},
                                   {"from", o ? departments_or_status(o->if_contains("from")) : json::value(nullptr)},
                                   {"to", std::move(to)},
                                   {"reason", reason ? *reason : json::value(nullptr)},
                                   {"data", std::move(data)}});
    }
  }
  json::value next = nullptr;
  if (last == -1 && !items.empty()) next = json::string(std::to_string(items.back().as_object().at("seq").as_int64()));
  return Response::json(200, json::object{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

Response Api::audit_ledger() {
  ledger::VerifyReport report;
  json::value checkpoint = nullptr;
  ledger::Head head;
  {
    Lease sql(*this);
    report = ledger::verify_ledger(*sql);
    head = ledger::read_head(*sql);
    if (auto c = ledger::latest_checkpoint(*sql)) checkpoint = checkpoint_json(*c);
  }
  return Response::json(200, json::object{{"verified", report.ok},
                                          {"events", report.events_checked},
                                          {"head", json::object{{"seq", head.seq}, {"hash", head.hash}}},
                                          {"first_bad_seq", report.first_bad_seq ? json::value(*report.first_bad_seq)
                                                                                 : json::value(nullptr)},
                                          {"problem", report.ok ? json::value(nullptr) : json::value(report.problem)},
                                          {"checkpoint", std::move(checkpoint)},
                                          {"checked_at", core::format_utc(core::now())}});
}

Response Api::audit_export(const Request& request) {
  const QueryParams params = QueryParams::parse(request.query);
  params.allow_only({"from", "to"});
  ledger::ExportRequest er;
  if (auto f = params.get("from"); f && !f->empty()) er.from = core::parse_instant(parse_bound("from", *f, false));
  if (auto t = params.get("to"); t && !t->empty()) er.to = core::parse_instant(parse_bound("to", *t, true));
  er.hub_version = YIZHAN_VERSION;
  er.exported_at = core::now();
  // Written as `yizhan audit export` writes it, then sent: one format, one writer.
  const auto tmp =
      std::filesystem::temp_directory_path() / ("yizhan-export-" + crypto::to_hex(crypto::random_bytes(8)) + ".jsonl");
  er.out = tmp;
  std::string body;
  try {
    {
      Lease sql(*this);
      ledger::export_ledger(*sql, er);
    }
    std::ifstream in(tmp, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    body = ss.str();
  } catch (const std::runtime_error& e) {
    std::error_code ec;
    std::filesystem::remove(tmp, ec);
    if (dynamic_cast<const db::StoreError*>(&e)) throw;
    throw HttpError(404, "not_found", e.what());
  }
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  spdlog::info("api: {} exported the ledger ({} bytes)", request.caller.name, body.size());
  Response r = Response::text(200, std::move(body), "application/x-ndjson; charset=utf-8");
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"yizhan-ledger.jsonl\"");
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
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

}  // namespace yizhan::http
