// One Session per connection: read a request, ask the API, maybe wait, write (or drop
// the connection when the API says so), repeat.
#include "sim_server.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <memory>

namespace yizhan::sim::hotline12345 {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HotlineApi& api)
      : stream_(std::move(socket)), timer_(stream_.get_executor()), api_(api) {}

  void read() {
    request_ = {};
    stream_.expires_after(std::chrono::seconds(60));
    http::async_read(stream_, buffer_, request_,
                     beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

 private:
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return close();  // end of stream, timeout or a broken request: drop the connection
    ApiReply reply = api_.handle(ApiRequest{request_.method_string(), request_.target(),
                                            request_["Idempotency-Key"], request_.body()});
    if (reply.drop) {
      // The gateway lost the request or its answer: the client sees the connection close.
      if (reply.delay.count() == 0) return close();
      timer_.expires_after(reply.delay);
      timer_.async_wait([self = shared_from_this()](beast::error_code) { self->close(); });
      return;
    }
    response_ = {};
    response_.version(request_.version());
    response_.result(reply.status);
    response_.set(http::field::server, "12345-gateway/2.3");
    response_.set(http::field::content_type, reply.content_type);
    response_.keep_alive(request_.keep_alive());
    response_.body() = std::move(reply.body);
    response_.prepare_payload();
    if (reply.delay.count() > 0) {
      timer_.expires_after(reply.delay);
      timer_.async_wait([self = shared_from_this()](beast::error_code) { self->write(); });
    } else {
      write();
    }
  }

  void write() {
    stream_.expires_after(std::chrono::seconds(60));
    http::async_write(stream_, response_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }

  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return close();
    if (!response_.keep_alive()) return close();
    read();
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
  }

  beast::tcp_stream stream_;
  asio::steady_timer timer_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  HotlineApi& api_;
};

}  // namespace

SimServer::SimServer(asio::io_context& io, const tcp::endpoint& endpoint, HotlineApi& api)
    : io_(io), acceptor_(io), api_(api) {
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
}

void SimServer::start() { accept(); }

void SimServer::stop() {
  beast::error_code ignored;
  acceptor_.close(ignored);
}

void SimServer::accept() {
  acceptor_.async_accept(io_, [this](beast::error_code ec, tcp::socket socket) {
    if (ec == asio::error::operation_aborted) return;
    if (!ec) std::make_shared<Session>(std::move(socket), api_)->read();
    accept();
  });
}

}  // namespace yizhan::sim::hotline12345
