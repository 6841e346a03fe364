#include "http/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <optional>
#include <thread>
#include <vector>

namespace yizhan::http {
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

struct Server::State {
  Handler handler;
  ServerLimits limits;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::mutex stop_mutex;
  bool stopped = false;
};

namespace {

// A handler's answer, or the 500 that replaces a failure. Never throws.
Response call_handler(const Server::Handler& handler, const Request& request) {
  try {
    return handler(request);
  } catch (const HttpError& e) {
    return e.to_response();
  } catch (const std::exception& e) {
    spdlog::error("http: {} {} failed: {}", request.method, request.path, e.what());
  } catch (...) {
    spdlog::error("http: {} {} failed with an unknown exception", request.method, request.path);
  }
  return Response::error(500, "internal", "internal error; the hub log has the details");
}

Request to_request(const bhttp::request<bhttp::string_body>& req, const std::string& remote) {
  Request r;
  r.method = std::string(req.method_string());
  r.target = std::string(req.target());
  const auto q = r.target.find('?');
  r.path = r.target.substr(0, q);
  if (q != std::string::npos) r.query = r.target.substr(q + 1);
  for (const auto& field : req) {
    std::string name(field.name_string());
    for (auto& c : name)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    r.headers[std::move(name)] = std::string(field.value());
  }
  r.body = req.body();
  r.remote = remote;
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  // `state` outlives every session: the server joins its threads, and pending
  // handlers (which own the sessions) die with the io_context, before the state.
  Session(tcp::socket&& socket, Server::State* state) : stream_(std::move(socket)), state_(state) {
    beast::error_code ec;
    stream_.socket().set_option(tcp::no_delay(true), ec);  // answers go out whole, at once
    auto ep = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_ = ep.address().to_string() + ":" + std::to_string(ep.port());
  }

  void start() {
    asio::dispatch(stream_.get_executor(), beast::bind_front_handler(&Session::read, shared_from_this()));
  }

 private:
  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(state_->limits.header_bytes));
    parser_->body_limit(state_->limits.body_bytes);
    stream_.expires_after(state_->limits.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset || ec == asio::error::eof)
      return close();
    if (ec == bhttp::error::body_limit)
      return send(Response::error(413, "payload_too_large",
                                  "the request body is over " + std::to_string(state_->limits.body_bytes) + " bytes"),
                  false, false);
    if (ec == bhttp::error::header_limit)
      return send(Response::error(431, "headers_too_large",
                                  "the request line and headers are over " +
                                      std::to_string(state_->limits.header_bytes) + " bytes"),
                  false, false);
    if (ec) {
      if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category())
        return send(Response::error(400, "bad_request", "malformed HTTP request"), false, false);
      return close();
    }
    const auto& req = parser_->get();
    Request request = to_request(req, remote_);
    send(call_handler(state_->handler, request), req.keep_alive(), req.method() == bhttp::verb::head);
  }

  // Writes `response`; reads the next request after it when `keep_alive`, else closes.
  // For HEAD the body is left out but its length is announced.
  void send(Response response, bool keep_alive, bool head) {
    const bool close_after = !keep_alive;
    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(11);
    res->result(static_cast<unsigned>(response.status));
    res->set(bhttp::field::server, "yizhan");
    res->set(bhttp::field::content_type, response.content_type);
    for (auto& [name, value] : response.headers) res->set(name, value);
    res->keep_alive(keep_alive);
    if (!head) res->body() = std::move(response.body);
    res->prepare_payload();
    if (head) res->content_length(response.body.size());
    res_ = res;
    stream_.expires_after(state_->limits.read_timeout);
    bhttp::async_write(stream_, *res_,
                       [self = shared_from_this(), close_after](beast::error_code ec, std::size_t) {
                         self->res_.reset();
                         if (ec) return self->close();
                         if (close_after) return self->linger();
                         self->read();
                       });
  }

  // After an answer that ends the connection, the client may still be sending (the
  // body of a request refused as too large). Closing with unread data makes the
  // kernel send a reset, which can destroy the answer before the client reads it, so
  // stop sending, then read and discard until the client closes or a short deadline.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::min<std::chrono::milliseconds>(state_->limits.read_timeout, std::chrono::seconds(5)));
    discard();
  }
  void discard() {
    stream_.async_read_some(asio::buffer(scratch_), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->close();
      self->discard();
    });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  Server::State* state_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<bhttp::response<bhttp::string_body>> res_;
  std::string remote_;
  std::array<char, 4096> scratch_;
};

void accept(Server::State* state) {
  state->acceptor.async_accept(asio::make_strand(state->ioc), [state](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !state->acceptor.is_open()) return;
    if (!ec) {
      std::make_shared<Session>(std::move(socket), state)->start();
    } else {
      spdlog::warn("http: accept failed: {}", ec.message());
    }
    accept(state);
  });
}

}  // namespace

Server::Server(const std::string& bind_address, std::uint16_t port, int threads, Handler handler, ServerLimits limits)
    : state_(std::make_unique<State>()) {
  state_->handler = std::move(handler);
  state_->limits = limits;
  const std::string where = bind_address + ":" + std::to_string(port);
  beast::error_code ec;
  const auto address = asio::ip::make_address(bind_address, ec);
  if (ec) throw std::runtime_error("cannot listen on " + where + ": '" + bind_address + "' is not an IP address");
  const tcp::endpoint endpoint(address, port);
  auto& acceptor = state_->acceptor;
  auto check = [&](const char* step) {
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + step + ": " + ec.message());
  };
  acceptor.open(endpoint.protocol(), ec);
  check("open");
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  check("set SO_REUSEADDR");
  acceptor.bind(endpoint, ec);
  check("bind");
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  check("listen");
  port_ = acceptor.local_endpoint().port();
  accept(state_.get());
  const int n = std::max(1, threads);
  for (int i = 0; i < n; ++i)
    state_->threads.emplace_back([state = state_.get()] {
      for (;;) {
        try {
          state->ioc.run();
          return;
        } catch (const std::exception& e) {
          // Handlers catch everything; this is a bug, logged rather than fatal.
          spdlog::error("http: unexpected exception on a server thread: {}", e.what());
        }
      }
    });
}

Server::~Server() { stop(); }

void Server::stop() {
  std::lock_guard lock(state_->stop_mutex);
  if (state_->stopped) return;
  state_->stopped = true;
  state_->ioc.stop();
  for (auto& t : state_->threads) t.join();
  state_->threads.clear();
  beast::error_code ignored;
  state_->acceptor.close(ignored);  // no thread runs now: safe to touch
}

}  // namespace yizhan::http
