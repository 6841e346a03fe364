// A simulator as a child process, and the helpers plugin tests share around it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <boost/json.hpp>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <yizhan/sdk/host.hpp>
#include <yizhan/sdk/sim_process.hpp>

namespace yizhan::sdk::testkit {
namespace json = boost::json;
namespace fs = std::filesystem;

fs::path unique_temp_path(std::string_view tag) {
  static std::atomic<int> counter{0};
  fs::path p = fs::temp_directory_path() /
               (std::string(tag) + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::error_code ec;
  fs::remove_all(p, ec);
  return p;
}

TempDir::TempDir(std::string_view tag) : path_(unique_temp_path(tag)) { fs::create_directories(path_); }

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

std::string read_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

std::string example_config_with(const fs::path& example_yaml, const json::object& overrides) {
  auto cfg = json::parse(host::yaml_file_to_json(example_yaml)).as_object();
  for (const auto& kv : overrides) cfg[kv.key()] = kv.value();
  return json::serialize(cfg);
}

std::int64_t stat(const json::object& stats, std::string_view key, std::string_view where) {
  auto it = stats.find(key);
  if (it == stats.end()) throw std::runtime_error("no '" + std::string(key) + "' in " + std::string(where));
  return it->value().to_number<std::int64_t>();
}

SimProcess::SimProcess(std::vector<std::string> argv) : SimProcess(std::move(argv), Options{}) {}

SimProcess::SimProcess(std::vector<std::string> argv, Options options) : stderr_file_(options.stderr_file) {
  if (argv.empty()) throw ChildProcessError("SimProcess: no program to start");
  if (stderr_file_.empty()) {
    stderr_file_ = unique_temp_path(fs::path(argv[0]).filename().string());
    stderr_file_ += ".stderr";
  }
  fs::remove(stderr_file_);
  process_ = std::make_unique<ChildProcess>(std::move(argv), ChildProcess::Options{{}, stderr_file_, {}});
  ready_line_ = process_->wait_for_line(options.ready_prefix, options.ready_timeout);
  prefix_size_ = options.ready_prefix.size();
}

HttpResponse SimProcess::request(const std::string& method, const std::string& target, const std::string& body,
                                 const std::map<std::string, std::string>& headers) const {
  HttpRequest req;
  req.method = method;
  req.url = base_url() + target;
  req.body = body;
  req.timeout = std::chrono::seconds(30);
  req.headers = headers;
  if (!body.empty() && !req.headers.contains("Content-Type")) req.headers["Content-Type"] = "application/json";
  return http_request(req);
}

std::string SimProcess::get(const std::string& target) const { return request("GET", target).body; }

json::object SimProcess::get_json(const std::string& target) const { return json::parse(get(target)).as_object(); }

Collected poll_until_quiet(InstanceUnderTest& instance, const std::function<bool()>& upstream_quiet, int max_polls,
                           const std::function<void()>& after_empty_poll) {
  Collected c;
  for (int i = 0; i < max_polls; ++i) {
    // Ask the upstream first: an empty poll after it said "quiet" means the plugin has
    // seen the final state.
    const bool quiet_before = upstream_quiet();
    auto b = instance.poll(c.cursor);
    if (b.code == YZ_E_UPSTREAM) {
      c.upstream_errors.push_back(b.message);
      continue;
    }
    if (b.code != YZ_OK) throw std::runtime_error("poll failed with code " + std::to_string(b.code) + ": " + b.message);
    ++c.ok_polls;
    const bool empty = b.records.empty() && !b.has_more;
    for (auto& r : b.records) {
      c.records.push_back(std::move(r));
      c.cursors_before.push_back(c.cursor);
    }
    c.cursor = b.next_cursor;
    if (empty && quiet_before) return c;
    if (empty && after_empty_poll) after_empty_poll();
  }
  ADD_FAILURE() << "the plugin did not converge within " << max_polls << " polls";
  return c;
}

}  // namespace yizhan::sdk::testkit
