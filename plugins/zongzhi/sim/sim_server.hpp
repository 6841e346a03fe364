// The simulator's HTTP/1.1 server: Boost.Beast on one Asio io_context (so the API is
// only ever called from that one thread), any number of connections, keep-alive.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "zongzhi_api.hpp"

namespace yizhan::sim::zongzhi {

class SimServer {
 public:
  // Binds and listens on `endpoint` (port 0: the kernel picks a free port).
  // Throws boost::system::system_error if it cannot.
  SimServer(boost::asio::io_context& io, const boost::asio::ip::tcp::endpoint& endpoint, ZongzhiApi& api);

  boost::asio::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void start();  // starts accepting; connections are served by handlers on the io_context
  void stop();   // stops accepting; open connections end when the io_context stops

 private:
  void accept();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  ZongzhiApi& api_;
};

}  // namespace yizhan::sim::zongzhi
