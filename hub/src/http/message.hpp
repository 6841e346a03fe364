// The HTTP request and response as handlers see them: plain values, no Beast types,
// so the API layer and its tests do not compile the server.
#pragma once

#include <boost/json/value.hpp>
#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yizhan::http {

// Who sent a request, once the API has authenticated it: a token's name, its role
// (admin, operator, auditor, security_admin) and, for an operator, its department.
// Empty name: not authenticated (a hub without auth.required treats it as admin).
struct Caller {
  std::string name, role, department;
};

struct Request {
  std::string method;                          // "GET"
  std::string target;                          // as sent: "/api/v1/cases?q=%E5%99%AA"
  std::string path;                            // target up to '?', still percent-encoded
  std::string query;                           // target after '?', still percent-encoded; empty if none
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote;       // peer address, for logs
  Caller caller;            // set by the API, not by the wire
  std::string caller_csrf;  // the CSRF token of the caller's session (signed in by cookie)

  // A header's value, or empty. `name` in lower case.
  std::string_view header(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra ones (Allow, ...)

  // `value` serialized, as application/json; charset=utf-8.
  static Response json(int status, const boost::json::value& value);
  // The one error shape of the API: {"error":{"code":…,"message":…}} plus `extra`
  // members inside "error" (e.g. "parameter").
  static Response error(int status, std::string_view code, std::string_view message,
                        const boost::json::object* extra = nullptr);
  static Response text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
};

// Thrown by handlers for an expected refusal; the server (and the router) turn it into
// Response::error(status, code, what()), with "parameter" when one is named.
class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message, std::string parameter = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), parameter_(std::move(parameter)) {}
  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& parameter() const { return parameter_; }
  Response to_response() const;

 private:
  int status_;
  std::string code_, parameter_;
};

}  // namespace yizhan::http
