// Blocking HTTP/1.1 client on Beast, with one total deadline per request.
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/plugin.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <cctype>

namespace yizhan::sdk {
namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {

struct Url {
  std::string host, port, target;
};

Url parse_url(const std::string& url) {
  constexpr std::string_view scheme = "http://";
  if (url.rfind(scheme, 0) != 0) throw UpstreamError("unsupported URL (only http://): " + url);
  auto rest = url.substr(scheme.size());
  auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Url u;
  u.target = slash == std::string::npos ? "/" : rest.substr(slash);
  auto colon = authority.rfind(':');
  if (colon == std::string::npos) {
    u.host = authority;
    u.port = "80";
  } else {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  }
  if (u.host.empty()) throw UpstreamError("URL has no host: " + url);
  return u;
}

}  // namespace

HttpResponse http_request(const HttpRequest& request) {
  Url u = parse_url(request.url);
  asio::io_context io;
  beast::tcp_stream stream(io);
  beast::error_code failure;
  std::string step = "resolve";
  http::request<http::string_body> req{http::string_to_verb(request.method), u.target, 11};
  req.set(http::field::host, u.host);
  req.set(http::field::user_agent, "yizhan-sdk/1");
  for (const auto& [k, v] : request.headers) req.set(k, v);
  req.body() = request.body;
  req.prepare_payload();
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);

  asio::ip::tcp::resolver resolver(io);
  stream.expires_after(request.timeout);
  resolver.async_resolve(u.host, u.port, [&](beast::error_code ec, asio::ip::tcp::resolver::results_type r) {
    if (ec) return void(failure = ec);
    step = "connect";
    stream.async_connect(r, [&](beast::error_code ec2, const asio::ip::tcp::endpoint&) {
      if (ec2) return void(failure = ec2);
      step = "send";
      http::async_write(stream, req, [&](beast::error_code ec3, std::size_t) {
        if (ec3) return void(failure = ec3);
        step = "receive";
        http::async_read(stream, buffer, parser, [&](beast::error_code ec4, std::size_t) {
          if (ec4) failure = ec4;
          step = "done";
        });
      });
    });
  });
  io.run();
  if (failure) {
    std::string what = failure == beast::error::timeout ? "timed out" : failure.message();
    throw UpstreamError(request.method + " " + request.url + ": " + step + " failed: " + what);
  }
  beast::error_code ignored;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);

  auto& res = parser.get();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (const auto& f : res) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers[name] = std::string(f.value());
  }
  out.body = std::move(res.body());
  return out;
}

std::string url_encode(std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace yizhan::sdk
