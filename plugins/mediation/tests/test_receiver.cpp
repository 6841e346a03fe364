// One Session per connection: read a request, ask the plugin, answer, repeat.
#include "test_receiver.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include "support.hpp"

namespace mediation_test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using tcp = asio::ip::tcp;
using yizhan::sdk::testkit::PushCall;

namespace {

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, TestReceiver& receiver) : stream_(std::move(socket)), receiver_(receiver) {}
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_, beast::bind_front_handler(&Session::on_read, shared_from_this()));
  }

 private:
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return;
    PushCall call;
    call.method = std::string(request_.method_string());
    call.target = std::string(request_.target());
    call.body = request_.body();
    for (const auto& f : request_) {
      std::string name(f.name_string());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      call.headers.emplace_back(name, std::string(f.value()));
    }
    auto answer = receiver_.handle(call);
    response_ = {};
    response_.version(request_.version());
    response_.result(static_cast<http::status>(answer.status));
    response_.set(http::field::content_type, "application/json; charset=utf-8");
    response_.keep_alive(request_.keep_alive());
    response_.body() = std::move(answer.body);
    response_.prepare_payload();
    http::async_write(stream_, response_, beast::bind_front_handler(&Session::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec || !response_.keep_alive()) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return;
    }
    read();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  TestReceiver& receiver_;
};

}  // namespace

TestReceiver::TestReceiver(std::string plugin_config, ReceiverModes modes)
    : modes_(modes), plugin_(plugin_path(), plugin_config, "kelan_mediation"), acceptor_(io_) {
  tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), 0);
  acceptor_.open(ep.protocol());
  acceptor_.bind(ep);
  acceptor_.listen();
  accept();
  thread_ = std::thread([this] { io_.run(); });
}

TestReceiver::~TestReceiver() {
  io_.stop();
  thread_.join();
}

std::string TestReceiver::url() const {
  return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port());
}

void TestReceiver::accept() {
  acceptor_.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec) return;
    std::make_shared<Session>(std::move(socket), *this)->read();
    accept();
  });
}

TestReceiver::Answer TestReceiver::handle(const PushCall& call) {
  std::lock_guard lock(mutex_);
  Seen s;
  json::error_code ec;
  auto v = json::parse(call.body, ec);
  if (!ec && v.is_object())
    if (auto* id = v.get_object().if_contains("batchId"); id && id->is_string()) s.batch_id = id->get_string();
  for (const auto& [n, val] : call.headers)
    if (n == "x-mediation-nonce") s.nonce = val;
  Answer a{503, R"({"error":{"code":"unavailable"}})"};
  if (modes_.unavailable_first > 0) {
    --modes_.unavailable_first;
  } else {
    auto out = plugin_.push(call);
    if (out.code != YZ_OK) {
      a = {out.http_status >= 400 ? out.http_status : 500, json::serialize(json::object{{"error", out.message}})};
      s.reason = out.message;
    } else {
      for (auto& r : out.records) (r.error.empty() ? stored_ : dead_).push_back(r);
      if (modes_.drop_ack_first > 0)
        --modes_.drop_ack_first;
      else
        a = {out.http_status ? out.http_status : 200, out.body};
    }
  }
  s.status = a.status;
  seen_.push_back(s);
  return a;
}

std::vector<Seen> TestReceiver::seen() const {
  std::lock_guard lock(mutex_);
  return seen_;
}

std::map<std::string, std::string> TestReceiver::versions() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> out;
  for (const auto& r : stored_) {
    auto& v = out[r.external_id];
    if (r.mapped->version > v) v = r.mapped->version;
  }
  return out;
}

std::map<std::string, std::vector<std::string>> TestReceiver::version_history() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& r : stored_) out[r.external_id].push_back(r.mapped->version);
  return out;
}

std::vector<yizhan::sdk::testkit::PolledRecord> TestReceiver::dead_letters() const {
  std::lock_guard lock(mutex_);
  return dead_;
}

std::vector<yizhan::sdk::testkit::PolledRecord> TestReceiver::stored() const {
  std::lock_guard lock(mutex_);
  return stored_;
}

}  // namespace mediation_test
