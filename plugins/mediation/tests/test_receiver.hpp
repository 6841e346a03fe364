// A stand-in for the hub's webhook, for the simulator's tests: a Beast HTTP server on a
// loopback port that hands every request to the REAL plugin (InstanceUnderTest::push)
// and answers with its reply, keeping what it would have stored. It can answer 503 for
// the first requests (a hub that is down) or store and then answer 503 (an
// acknowledgement lost on the way back), to test the sender's retries and ordering.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include <yizhan/sdk/testkit.hpp>

namespace mediation_test {

struct ReceiverModes {
  int unavailable_first = 0;  // the first N requests: 503, the plugin is not even asked
  int drop_ack_first = 0;     // the next N accepted requests: stored, then answered 503
};

// One request as the receiver saw it.
struct Seen {
  std::string batch_id;  // from the body, if it parses
  std::string nonce;
  int status = 0;      // what was answered
  std::string reason;  // the plugin's refusal message, if refused
};

class TestReceiver {
 public:
  TestReceiver(std::string plugin_config, ReceiverModes modes = {});
  ~TestReceiver();
  TestReceiver(const TestReceiver&) = delete;
  TestReceiver& operator=(const TestReceiver&) = delete;

  std::string url() const;  // http://127.0.0.1:PORT
  std::vector<Seen> seen() const;
  // What the hub would hold: the latest version of every stored case, and the dead letters.
  std::map<std::string, std::string> versions() const;  // external id → version
  std::map<std::string, std::vector<std::string>> version_history()
      const;  // external id → versions as stored, in order
  std::vector<yizhan::sdk::testkit::PolledRecord> dead_letters() const;
  std::vector<yizhan::sdk::testkit::PolledRecord> stored() const;  // every mapped record, in order

  // Answers one request (called on the server thread).
  struct Answer {
    int status;
    std::string body;
  };
  Answer handle(const yizhan::sdk::testkit::PushCall& call);

 private:
  void accept();

  mutable std::mutex mutex_;
  ReceiverModes modes_;
  yizhan::sdk::testkit::InstanceUnderTest plugin_;
  std::vector<Seen> seen_;
  std::vector<yizhan::sdk::testkit::PolledRecord> stored_, dead_;
  boost::asio::io_context io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::thread thread_;
};

}  // namespace mediation_test
