// Who is calling (docs/web-api.md "Sign-in"): programs by bearer token, people by the
// session cookie of the counter page, whose every change must carry its CSRF token.
#include <spdlog/spdlog.h>

#include "auth/accounts.hpp"
#include "http/api.hpp"
#include "http/api_internal.hpp"

namespace yizhan::http {
namespace json = boost::json;

void Api::add_session_routes() {
  add("GET", "/api/v1/whoami", roles::kSignedIn, [this](const Request& r, const PathParams&) { return whoami(r); });
  add("POST", "/api/v1/session", roles::kAnyone,
      [this](const Request& r, const PathParams&) { return start_session(r); });
  add("GET", "/api/v1/session", roles::kSignedIn,
      [this](const Request& r, const PathParams&) { return current_session(r); });
  add("DELETE", "/api/v1/session", roles::kSignedIn,
      [this](const Request& r, const PathParams&) { return end_session(r); });
}

namespace {
constexpr std::string_view kCookie = "yz_session";

// The value of the yz_session cookie in a Cookie header, or empty.
std::string_view session_cookie(const Request& request) {
  std::string_view header = request.header("cookie");
  while (!header.empty()) {
    const auto semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view() : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > kCookie.size() && pair.starts_with(kCookie) && pair[kCookie.size()] == '=')
      return pair.substr(kCookie.size() + 1);
  }
  return {};
}

Response unauthorized(std::string_view code, std::string_view message) {
  Response r = Response::error(401, code, message);
  r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"yizhan\"");
  return r;
}

std::string cookie_header(std::string_view value, bool clear) {
  return std::string(kCookie) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=Strict" +
         (clear ? "; Max-Age=0" : "");
}
}  // namespace

std::optional<Response> Api::authenticate(Request& request) {
  if (!options_.auth_required) {
    request.caller = Caller{"", "admin", ""};
    return std::nullopt;
  }
  if (!request.path.starts_with("/api/")) return std::nullopt;  // health, metrics, hooks: their own rules
  if (request.path == "/api/v1/session" && request.method == "POST") return std::nullopt;  // signing in
  const std::string_view header = request.header("authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (header.starts_with(kBearer)) {
    std::optional<auth::Principal> who;
    {
      Lease sql(*this);
      who = auth::authenticate(*sql, header.substr(kBearer.size()));
    }
    if (!who) {
      spdlog::warn("api: {} {} from {}: unknown or revoked token", request.method, request.path, request.remote);
      Response r = Response::error(401, "unauthorized", "the token is unknown or revoked: sign in again");
      r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"yizhan\", error=\"invalid_token\"");
      return r;
    }
    request.caller = Caller{who->name, std::string(auth::to_string(who->role)), who->department};
    return std::nullopt;
  }
  const std::string_view cookie = session_cookie(request);
  if (cookie.empty())
    return unauthorized("unauthorized",
                        "sign in first: the page signs in at POST /api/v1/session; programs send "
                        "Authorization: Bearer <token> (yizhan token create)");
  auth::SessionState st;
  {
    Lease sql(*this);
    st = auth::find_session(*sql, cookie, core::now(), options_.idle_timeout);
  }
  if (st.kind == auth::SessionState::Kind::expired)
    return unauthorized("session_expired", "the session has ended (idle too long, or signed out): sign in again");
  if (st.kind != auth::SessionState::Kind::active)
    return unauthorized("unauthorized", "the session is unknown: sign in again");
  // A change made with the cookie alone could come from another site's page (CSRF):
  // only the page of this session knows the token.
  if (request.method != "GET" && request.method != "HEAD") {
    const std::string_view sent = request.header("x-csrf-token");
    if (sent.empty() || sent != st.csrf_token) {
      spdlog::warn("api: {} {} from {}: session {} sent {} CSRF token", request.method, request.path, request.remote,
                   st.who.name, sent.empty() ? "no" : "a wrong");
      return Response::error(403, "csrf", "this change lacks the page's X-CSRF-Token: reload the page and try again");
    }
  }
  request.caller = Caller{st.who.name, std::string(auth::to_string(st.who.role)), st.who.department};
  request.caller_csrf = std::move(st.csrf_token);
  return std::nullopt;
}

namespace {
json::object session_json(const Caller& c, bool counter, const std::string& csrf, std::chrono::seconds idle) {
  return json::object{{"name", c.name},     {"role", c.role},     {"department", c.department},
                      {"counter", counter}, {"csrf_token", csrf}, {"idle_timeout_seconds", idle.count()}};
}
}  // namespace

Response Api::start_session(const Request& request) {
  boost::system::error_code ec;
  const json::value body = json::parse(request.body, ec);
  const json::object* o = ec ? nullptr : body.if_object();
  const json::value* name = o ? o->if_contains("name") : nullptr;
  const json::value* password = o ? o->if_contains("password") : nullptr;
  if (!name || !name->is_string() || !password || !password->is_string())
    throw HttpError(400, "bad_body", "expected {\"name\": account, \"password\": its password}");
  if (!options_.auth_required)
    return Response::json(200, session_json(Caller{"", "admin", ""}, true, "", options_.idle_timeout));
  std::optional<auth::NewSession> s;
  {
    Lease sql(*this);
    s = auth::sign_in(*sql, std::string(name->as_string()), std::string(password->as_string()), request.remote,
                      core::now());
  }
  if (!s) {
    spdlog::warn("api: sign-in as '{}' from {} refused", std::string(name->as_string()).substr(0, 64), request.remote);
    return Response::error(401, "bad_credentials", "the name or the password is wrong");
  }
  spdlog::info("api: {} ({}) signed in from {}", s->who.name, auth::to_string(s->who.role), request.remote);
  const Caller c{s->who.name, std::string(auth::to_string(s->who.role)), s->who.department};
  Response r = Response::json(200, session_json(c, is_counter(c), s->csrf_token, options_.idle_timeout));
  r.headers.emplace_back("Set-Cookie", cookie_header(s->cookie, false));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response Api::current_session(const Request& request) {
  Response r = Response::json(
      200, session_json(request.caller, is_counter(request.caller), request.caller_csrf, options_.idle_timeout));
  r.headers.emplace_back("Cache-Control", "no-store");
  return r;
}

Response Api::end_session(const Request& request) {
  const std::string_view cookie = session_cookie(request);
  if (!cookie.empty()) {
    Lease sql(*this);
    auth::end_session(*sql, cookie, core::now());
  }
  spdlog::info("api: {} signed out", request.caller.name);
  Response r = Response::text(204, "");
  r.headers.emplace_back("Set-Cookie", cookie_header("", true));
  return r;
}

Response Api::whoami(const Request& request) {
  const auto& c = request.caller;
  return Response::json(200, json::object{{"name", c.name.empty() ? json::value(nullptr) : json::value(c.name)},
                                          {"role", c.role},
                                          {"department", c.department},
                                          {"counter", is_counter(c)},
                                          {"auth_required", options_.auth_required}});
}

}  // namespace yizhan::http
