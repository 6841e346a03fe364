// The duplicates resource: the proposals linking made, and the counter's decisions —
// accept or reject a proposal, merge or unmerge by hand — each re-routing the groups
// it changed. What a decision does is link's (link::decide_proposal) and the groups'.
#include <boost/json.hpp>

#include "http/api_internal.hpp"
#include "link/linker.hpp"
#include "workflow/case_router.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_duplicate_routes() {
  add("GET", "/api/v1/duplicates", roles::kReaders,
      [this](const Request& r, const PathParams&) { return list_duplicates(r); });
  add("POST", "/api/v1/duplicates/{id}/accept", roles::kActors,
      [this](const Request& r, const PathParams& p) { return decide_duplicate(r, p, true); });
  add("POST", "/api/v1/duplicates/{id}/reject", roles::kActors,
      [this](const Request& r, const PathParams& p) { return decide_duplicate(r, p, false); });
  add("POST", "/api/v1/cases/{id}/merge", roles::kActors,
      [this](const Request& r, const PathParams& p) { return merge_case(r, p); });
  add("POST", "/api/v1/cases/{id}/unmerge", roles::kActors,
      [this](const Request& r, const PathParams& p) { return unmerge_case(r, p); });
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

namespace {
void refuse_unless_counter(bool counter) {
  if (!counter)
    throw HttpError(403, "forbidden",
                    "joining and separating cases is the counter's (an operator of a counter "
                    "department, auth.counter_departments) or an admin's");
}
}  // namespace

Response Api::decide_duplicate(const Request& request, const PathParams& params, bool accept) {
  refuse_unless_counter(is_counter(request.caller));
  const int64_t id = path_id(params, "proposal");
  const ActionBody body = action_body(request);
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, const std::string& now) {
        store::CaseReader reader(sql, database_.dialect());
        json::object out{{"proposal", id}, {"status", accept ? "accepted" : "rejected"}};
        if (auto root = link::decide_proposal(groups, reader, events, id, accept, body.actor, body.reason, now)) {
          reroute(sql, events, {*root}, now);
          out["case"] = *root;
        }
        return out;
      });
  return Response::json(200, answer);
}

Response Api::merge_case(const Request& request, const PathParams& params) {
  refuse_unless_counter(is_counter(request.caller));
  const int64_t id = path_id(params, "case");
  const ActionBody body = action_body(request, {"into"});
  const json::value* into = body.fields.if_contains("into");
  if (!into || !into->is_int64() || into->as_int64() <= 0)
    throw HttpError(400, "bad_body", "into: expected the id of the case to merge into", "into");
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, const std::string& now) {
        const int64_t root = groups.root_of(into->as_int64()), member = groups.root_of(id);
        if (root == member)
          throw store::GroupError("conflict", "cases " + std::to_string(id) + " and " +
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
  refuse_unless_counter(is_counter(request.caller));
  const int64_t id = path_id(params, "case");
  const ActionBody body = action_body(request);
  json::object answer = in_write_transaction(
      [&](soci::session& sql, store::CaseGroups& groups, ledger::EventAppender& events, const std::string& now) {
        const int64_t root = groups.unmerge(id, body.actor, body.reason, now);
        reroute(sql, events, {root, id}, now);
        return json::object{{"case", id}, {"former_root", root}};
      });
  return Response::json(200, answer);
}

void Api::reroute(soci::session& sql, ledger::EventAppender& events, std::initializer_list<int64_t> roots,
                  const std::string& now) {
  if (!settings_.rules) return;
  for (int64_t id : roots)
    workflow::route_case(sql, events, *settings_.rules, id, "hub:router", now, &settings_.sla, settings_.outbox.get());
}

}  // namespace yizhan::http
