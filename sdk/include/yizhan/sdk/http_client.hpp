// Yizhan SDK — a small blocking HTTP/1.1 client for plugins that pull over HTTP.
//
// Plain http:// only (department systems sit on the county network, often behind a
// gateway that terminates TLS). One connection per request, with a total timeout.
// Errors (connect refused, timeout, malformed reply) throw UpstreamError naming the URL.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>

namespace yizhan::sdk {

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
};

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http://host:port/path?query
  std::map<std::string, std::string> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};
};

HttpResponse http_request(const HttpRequest& request);

// Percent-encodes a query parameter value.
std::string url_encode(std::string_view value);

}  // namespace yizhan::sdk
