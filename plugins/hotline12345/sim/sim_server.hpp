// The simulator's HTTP/1.1 server: Boost.Beast on one Asio io_context, any number of
// connections, keep-alive, slow replies on timers (a slow reply never blocks others).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "hotline_api.hpp"

namespace yizhan::sim::hotline12345 {

class SimServer {
 public:
  // Binds and listens on `endpoint` (port 0: the kernel picks a free port).
  // Throws boost::system::system_error if it cannot.
  SimServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, HotlineApi& api);

  // The address actually bound, with the real port.
  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

  // Starts accepting; connections are served by handlers on the io_context.
  void start();
  // Stops accepting. Open connections end when the io_context stops.
  void stop();

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  HotlineApi& api_;
};

}  // namespace yizhan::sim::hotline12345
