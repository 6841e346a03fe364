#include "http/router.hpp"

#include "http/query.hpp"

namespace yizhan::http {
namespace {

bool is_placeholder(std::string_view s) { return s.size() > 2 && s.front() == '{' && s.back() == '}'; }

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  if (path.starts_with('/')) path.remove_prefix(1);
  if (path.empty()) return out;
  std::size_t pos = 0;
  for (;;) {
    const std::size_t end = path.find('/', pos);
    out.emplace_back(path.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
    if (end == std::string_view::npos) break;
    pos = end + 1;
  }
  return out;
}

}  // namespace

std::string_view PathParams::get(std::string_view name) const {
  for (const auto& [k, v] : items)
    if (k == name) return v;
  return {};
}

std::optional<std::vector<std::string>> path_segments(std::string_view path) {
  std::vector<std::string> out;
  for (auto& raw : split(path)) {
    auto decoded = percent_decode(raw, false);
    if (!decoded) return std::nullopt;
    out.push_back(std::move(*decoded));
  }
  return out;
}

void Router::add(std::string method, std::string_view pattern, Handler handler) {
  routes_.push_back(Route{std::move(method), std::string(pattern), split(pattern), std::move(handler)});
}

Response Router::dispatch(const Request& request, std::string* route) const {
  if (route) *route = "unmatched";
  auto segments = path_segments(request.path);
  if (!segments) return Response::error(400, "bad_path", "the path cannot be decoded (use %XX escapes of UTF-8 bytes)");
  std::string allowed;
  for (const auto& r : routes_) {
    if (r.segments.size() != segments->size()) continue;
    PathParams params;
    bool match = true;
    for (std::size_t i = 0; i < r.segments.size() && match; ++i) {
      if (is_placeholder(r.segments[i])) {
        match = !(*segments)[i].empty();  // "/cases/" has no id
        params.items.emplace_back(r.segments[i].substr(1, r.segments[i].size() - 2), (*segments)[i]);
      } else {
        match = r.segments[i] == (*segments)[i];
      }
    }
    if (!match) continue;
    if (r.method != request.method) {
      if (allowed.find(r.method) == std::string::npos) allowed += (allowed.empty() ? "" : ", ") + r.method;
      continue;
    }
    if (route) *route = r.pattern;
    try {
      return r.handler(request, params);
    } catch (const HttpError& e) {
      return e.to_response();
    }
  }
  if (!allowed.empty()) {
    Response res = Response::error(405, "method_not_allowed",
                                   request.method + " is not allowed here (allowed: " + allowed + ")");
    res.headers.emplace_back("Allow", allowed);
    return res;
  }
  return Response::error(404, "not_found", "no such resource");
}

}  // namespace yizhan::http
