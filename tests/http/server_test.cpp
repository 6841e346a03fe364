// The HTTP server over real loopback sockets: keep-alive, limits, timeouts, failures.
#include "http/server.hpp"

#include <yizhan/sdk/http_client.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

namespace {

using namespace yizhan::http;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace asio = boost::asio;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using namespace std::chrono_literals;

// A blocking test client on one connection, every step bounded by a 10 s deadline.
class Client {
 public:
  explicit Client(std::uint16_t port) : stream_(io_) {
    auto ec = run([&](auto done) { stream_.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), done); });
    if (ec) throw std::runtime_error("connect: " + ec.message());
  }

  beast::error_code send_raw(const std::string& bytes) {
    return run([&](auto done) { asio::async_write(stream_, asio::buffer(bytes), done); });
  }
  beast::error_code send(bhttp::request<bhttp::string_body> req) {
    req.prepare_payload();
    return run([&](auto done) { bhttp::async_write(stream_, req, done); });
  }
  // The next response; ec is set when none came (closed, timed out).
  // `head`: the answer to a HEAD request, which has no body whatever it announces.
  bhttp::response<bhttp::string_body> receive(beast::error_code& ec, bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    parser.skip(head);
    ec = run([&](auto done) { bhttp::async_read(stream_, buffer_, parser, done); });
    return parser.release();
  }
  bhttp::response<bhttp::string_body> get(const std::string& target) {
    bhttp::request<bhttp::string_body> req{bhttp::verb::get, target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    beast::error_code ec = send(req);
    if (ec) throw std::runtime_error("send: " + ec.message());
    auto res = receive(ec);
    if (ec) throw std::runtime_error("receive: " + ec.message());
    return res;
  }
  // What a read gets once the server has closed: an error, not data.
  beast::error_code read_until_closed() {
    std::array<char, 256> buf;
    for (;;) {
      std::size_t n = 0;
      auto ec = run([&](auto done) {
        stream_.async_read_some(asio::buffer(buf), [&n, done](beast::error_code e, std::size_t got) {
          n = got;
          done(e, got);
        });
      });
      if (ec) return ec;
    }
  }

 private:
  template <typename Start>
  beast::error_code run(Start start) {
    beast::error_code result;
    stream_.expires_after(10s);
    start([&result](beast::error_code ec, auto&&...) { result = ec; });
    io_.restart();
    io_.run();
    return result;
  }

  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
};

Response echo(const Request& r) {
  json::object o{{"method", r.method}, {"path", r.path}, {"query", r.query}, {"body_size", r.body.size()},
                 {"remote", r.remote}, {"agent", r.header("user-agent")}};
  return Response::json(200, o);
}

json::object error_of(const std::string& body) { return json::parse(body).as_object().at("error").as_object(); }

TEST(HttpServer, PicksAFreePortAndServesOverKeepAlive) {
  Server server("127.0.0.1", 0, 2, echo);
  ASSERT_NE(server.port(), 0);
  Client client(server.port());
  std::set<std::string> remotes;
  for (int i = 0; i < 3; ++i) {
    auto res = client.get("/x/" + std::to_string(i) + "?q=%E5%99%AA");
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    auto body = json::parse(res.body()).as_object();
    EXPECT_EQ(body.at("path"), json::value("/x/" + std::to_string(i)));
    EXPECT_EQ(body.at("query"), "q=%E5%99%AA");
    remotes.insert(std::string(body.at("remote").as_string()));
  }
  EXPECT_EQ(remotes.size(), 1u) << "three requests, one connection";
}

TEST(HttpServer, WorksWithTheSdkClient) {
  Server server("127.0.0.1", 0, 1, echo);
  yizhan::sdk::HttpRequest req;
  req.method = "POST";
  req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/post";
  req.body = std::string(1000, 'x');
  auto res = yizhan::sdk::http_request(req);
  EXPECT_EQ(res.status, 200);
  EXPECT_EQ(json::parse(res.body).at("body_size"), 1000);
  EXPECT_EQ(json::parse(res.body).at("agent"), "yizhan-sdk/1");
}

TEST(HttpServer, HandlerExceptionsBecome500JsonAndTheServerGoesOn) {
  Server server("127.0.0.1", 0, 2, [](const Request& r) -> Response {
    if (r.path == "/std") throw std::runtime_error("boom: internal detail");
    if (r.path == "/other") throw 42;
    if (r.path == "/refused") throw HttpError(422, "unprocessable", "cannot", "field");
    return echo(r);
  });
  Client client(server.port());
  for (const char* path : {"/std", "/other"}) {
    auto res = client.get(path);
    EXPECT_EQ(res.result_int(), 500u) << path;
    EXPECT_EQ(res[bhttp::field::content_type], "application/json; charset=utf-8");
    EXPECT_EQ(error_of(res.body()).at("code"), "internal");
    EXPECT_EQ(res.body().find("boom"), std::string::npos) << "no internals in the answer";
  }
  auto refused = client.get("/refused");
  EXPECT_EQ(refused.result_int(), 422u);
  EXPECT_EQ(error_of(refused.body()).at("parameter"), "field");
  EXPECT_EQ(client.get("/fine").result_int(), 200u) << "same connection still served";
}

TEST(HttpServer, RefusesABodyOverTheLimitWith413) {
  ServerLimits limits;
  limits.body_bytes = 4096;
  Server server("127.0.0.1", 0, 1, echo, limits);
  // Announced too big: refused from the headers alone.
  {
    Client client(server.port());
    ASSERT_FALSE(client.send_raw("POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n"));
    beast::error_code ec;
    auto res = client.receive(ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 413u);
    EXPECT_EQ(error_of(res.body()).at("code"), "payload_too_large");
    EXPECT_FALSE(res.keep_alive());
  }
  // Sent in full: the answer still arrives (the server drains before closing).
  {
    yizhan::sdk::HttpRequest req;
    req.method = "POST";
    req.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/p";
    req.body = std::string(256 * 1024, 'x');
    auto res = yizhan::sdk::http_request(req);
    EXPECT_EQ(res.status, 413);
  }
  // Chunked past the limit.
  {
    Client client(server.port());
    std::string chunk(3000, 'y');
    ASSERT_FALSE(client.send_raw("POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nbb8\r\n" + chunk +
                                 "\r\nbb8\r\n" + chunk + "\r\n0\r\n\r\n"));
    beast::error_code ec;
    auto res = client.receive(ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_EQ(res.result_int(), 413u);
  }
  yizhan::sdk::HttpRequest at_limit;
  at_limit.method = "POST";
  at_limit.url = "http://127.0.0.1:" + std::to_string(server.port()) + "/p";
  at_limit.body = std::string(4096, 'z');
  EXPECT_EQ(yizhan::sdk::http_request(at_limit).status, 200);
}

TEST(HttpServer, RefusesHeadersOverTheLimitWith431) {
  ServerLimits limits;
  limits.header_bytes = 2048;
  Server server("127.0.0.1", 0, 1, echo, limits);
  Client client(server.port());
  ASSERT_FALSE(client.send_raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(8000, 'a') + "\r\n\r\n"));
  beast::error_code ec;
  auto res = client.receive(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 431u);
  EXPECT_EQ(error_of(res.body()).at("code"), "headers_too_large");
}

TEST(HttpServer, MalformedRequestIs400) {
  Server server("127.0.0.1", 0, 1, echo);
  Client client(server.port());
  ASSERT_FALSE(client.send_raw("THIS IS NOT HTTP\r\n\r\n"));
  beast::error_code ec;
  auto res = client.receive(ec);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 400u);
  EXPECT_EQ(error_of(res.body()).at("code"), "bad_request");
}

TEST(HttpServer, ClosesAConnectionSilentPastTheReadTimeout) {
  ServerLimits limits;
  limits.read_timeout = 200ms;
  Server server("127.0.0.1", 0, 1, echo, limits);
  Client idle(server.port());
  EXPECT_TRUE(idle.read_until_closed()) << "the server closes it, well before the client's own 10 s deadline";
  Client partial(server.port());
  ASSERT_FALSE(partial.send_raw("GET / HTTP/1.1\r\nHost: x\r\n"));  // and never the blank line
  auto ec = partial.read_until_closed();
  EXPECT_NE(ec, beast::error::timeout) << "closed by the server, not by the client's deadline";
}

TEST(HttpServer, HeadAnswersWithoutABody) {
  Server server("127.0.0.1", 0, 1, echo);
  Client client(server.port());
  bhttp::request<bhttp::string_body> req{bhttp::verb::head, "/h", 11};
  ASSERT_FALSE(client.send(req));
  beast::error_code ec;
  auto res = client.receive(ec, true);
  ASSERT_FALSE(ec) << ec.message();
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_NE(res[bhttp::field::content_length], "0") << "announces the GET body's length";
  // A body sent after the HEAD answer would be read as the next response here.
  auto next = client.get("/after");
  EXPECT_EQ(next.result_int(), 200u);
  EXPECT_EQ(json::parse(next.body()).at("path"), "/after");
}

TEST(HttpServer, ServesManyClientsAtOnce) {
  std::atomic<int> handled{0};
  Server server("127.0.0.1", 0, 4, [&](const Request& r) {
    ++handled;
    return echo(r);
  });
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Client client(server.port());
      for (int i = 0; i < kEach; ++i) {
        auto res = client.get("/c/" + std::to_string(t) + "/" + std::to_string(i));
        if (res.result_int() == 200 &&
            json::parse(res.body()).at("path") == json::value("/c/" + std::to_string(t) + "/" + std::to_string(i)))
          ++ok;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), kThreads * kEach);
  EXPECT_EQ(handled.load(), kThreads * kEach);
}

TEST(HttpServer, StopsCleanlyAndRefusesABusyPort) {
  auto server = std::make_unique<Server>("127.0.0.1", 0, 2, echo);
  const auto port = server->port();
  Client open_connection(port);
  EXPECT_EQ(open_connection.get("/").result_int(), 200u);
  try {
    Server clash("127.0.0.1", port, 1, echo);
    FAIL() << "two servers on one port";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos);
  }
  EXPECT_THROW(Server("not-an-ip", 0, 1, echo), std::runtime_error);
  server->stop();
  server->stop();  // idempotent
  server.reset();
  EXPECT_THROW(Client{port}, std::runtime_error) << "nothing listens any more";
}

}  // namespace
