#include "http/message.hpp"

#include <boost/json.hpp>

namespace yizhan::http {
namespace json = boost::json;

std::string_view Request::header(std::string_view name) const {
  auto it = headers.find(std::string(name));
  return it == headers.end() ? std::string_view() : std::string_view(it->second);
}

Response Response::json(int status, const json::value& value) {
  Response r;
  r.status = status;
  r.body = json::serialize(value);
  return r;
}

Response Response::error(int status, std::string_view code, std::string_view message, const json::object* extra) {
  json::object e{{"code", code}, {"message", message}};
  if (extra)
    for (const auto& [k, v] : *extra) e[k] = v;
  return json(status, json::object{{"error", std::move(e)}});
}

Response Response::text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response HttpError::to_response() const {
  if (parameter_.empty()) return Response::error(status_, code_, what());
  json::object extra{{"parameter", parameter_}};
  return Response::error(status_, code_, what(), &extra);
}

}  // namespace yizhan::http
