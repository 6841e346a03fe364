// Method + path pattern dispatch. A pattern is a path whose segments are literals or
// {name} placeholders ("/api/v1/cases/{id}"); a placeholder takes one whole,
// non-empty, percent-decoded segment. No match: 404 JSON; the path matches but not the method:
// 405 JSON with an Allow header. Routes are added before serving and never after, so
// dispatch() is safe from many threads.
#pragma once

#include "http/message.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace yizhan::http {

// The placeholders of a matched route, in pattern order.
class PathParams {
 public:
  // The decoded segment of {name}; empty if the pattern has no such placeholder.
  std::string_view get(std::string_view name) const;
  std::vector<std::pair<std::string, std::string>> items;
};

class Router {
 public:
  using Handler = std::function<Response(const Request&, const PathParams&)>;

  void add(std::string method, std::string_view pattern, Handler handler);

  // Runs the matching route. `route` receives the matched pattern, or "unmatched":
  // a label of bounded cardinality for metrics, unlike the path itself. HttpError
  // from a handler becomes its JSON response; other exceptions pass through.
  Response dispatch(const Request& request, std::string* route = nullptr) const;

 private:
  struct Route {
    std::string method, pattern;
    std::vector<std::string> segments;  // "{id}" kept as is
    Handler handler;
  };
  std::vector<Route> routes_;
};

// Splits "/a/b%2Fc/d" into decoded segments {"a", "b/c", "d"}; nullopt when a segment
// does not decode (bad escape or not UTF-8). The root "/" has no segments.
std::optional<std::vector<std::string>> path_segments(std::string_view path);

}  // namespace yizhan::http
