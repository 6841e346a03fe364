// The tokens resource (security_admin): API tokens listed, made and revoked.
#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "auth/tokens.hpp"
#include "core/time.hpp"
#include "http/api_internal.hpp"

namespace yizhan::http {
namespace json = boost::json;
using namespace api_detail;

void Api::add_token_routes() {
  add("GET", "/api/v1/tokens", roles::kSecurity, [this](const Request& r, const PathParams&) { return tokens(r); });
  add("POST", "/api/v1/tokens", roles::kSecurity,
      [this](const Request& r, const PathParams&) { return create_token(r); });
  add("POST", "/api/v1/tokens/{name}/revoke", roles::kSecurity,
      [this](const Request& r, const PathParams& p) { return revoke_token(r, p); });
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

}  // namespace yizhan::http
