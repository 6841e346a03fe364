// The hub's HTTP/1.1 server (Boost.Beast): accepts on one address, reads requests
// with size limits and a timeout, hands each to one handler, keeps connections alive.
//
// Threads: the server owns an asio io_context run by `threads` threads of its own,
// started by the constructor and joined by stop() or the destructor (never detached).
// The handler is called on those threads, several at once, and may block (a database
// query): it must be thread-safe. One connection is served by one thread at a time.
//
// Failures never escape to the process: a handler's HttpError becomes its JSON error,
// any other exception a 500 {"error":{"code":"internal",…}} (logged, without the
// query string, which may hold personal data), a malformed request a 400, a header
// block over the limit a 431, a body over the limit a 413; the connection is closed
// after each of those, and after `read_timeout` of silence.
#pragma once

#include "http/message.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace yizhan::http {

struct ServerLimits {
  std::size_t header_bytes = 16 * 1024;  // request line and headers
  std::size_t body_bytes = 1024 * 1024;
  // Time allowed to receive one whole request, and an idle keep-alive connection's
  // time before it is closed; also the time allowed to send a response.
  std::chrono::milliseconds read_timeout{30000};
};

class Server {
 public:
  using Handler = std::function<Response(const Request&)>;

  // Listens on `bind_address` (an IP literal: "127.0.0.1", "0.0.0.0", "::1") and
  // `port` (0: a free one, see port()) and starts serving. Throws std::runtime_error
  // naming the address when it cannot listen (in use, not an address of this host).
  Server(const std::string& bind_address, std::uint16_t port, int threads, Handler handler,
         ServerLimits limits = {});
  ~Server();  // stop()
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // The port listened on (the one picked when 0 was asked for).
  std::uint16_t port() const { return port_; }

  // Stops accepting, abandons open connections, joins the threads. Idempotent; call
  // from any thread but the server's own (a handler must not stop its server).
  void stop();

  // The io_context, acceptor and threads (server.cpp).
  struct State;

 private:
  std::unique_ptr<State> state_;
  std::uint16_t port_ = 0;
};

}  // namespace yizhan::http
