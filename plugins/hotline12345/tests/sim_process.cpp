// Starting the simulator, talking to it, and polling a plugin instance against it.
#include "sim_process.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <yizhan/sdk/host.hpp>
#include <yizhan/sdk/http_client.hpp>

namespace hotline12345_test {
namespace json = boost::json;
using yizhan::sdk::testkit::ChildProcess;

std::filesystem::path sim_path() { return HOTLINE12345_SIM; }
std::filesystem::path plugin_path() { return HOTLINE12345_PLUGIN; }
std::filesystem::path example_config_path() { return HOTLINE12345_EXAMPLE_CONFIG; }

SimProcess::SimProcess(const SimFlags& f) {
  static std::atomic<int> counter{0};
  auto err = std::filesystem::temp_directory_path() /
             ("sim-hotline12345-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".stderr");
  std::filesystem::remove(err);
  std::vector<std::string> argv{sim_path().string(),
                                "--port",
                                std::to_string(f.port),
                                "--records",
                                std::to_string(f.records),
                                "--seed",
                                std::to_string(f.seed),
                                "--fault-rate",
                                std::to_string(f.fault_rate),
                                "--malformed-rate",
                                std::to_string(f.malformed_rate),
                                "--resend-rate",
                                std::to_string(f.resend_rate),
                                "--update-ticks",
                                std::to_string(f.update_ticks),
                                "--slow-min-ms",
                                std::to_string(f.slow_min_ms),
                                "--slow-max-ms",
                                std::to_string(f.slow_max_ms),
                                "--feedback-fault-rate",
                                std::to_string(f.feedback_fault_rate)};
  argv.insert(argv.end(), f.extra_args.begin(), f.extra_args.end());
  process_ = std::make_unique<ChildProcess>(std::move(argv), ChildProcess::Options{{}, err, {}});
  std::string line = process_->wait_for_line("listening on ", std::chrono::seconds(60));
  base_url_ = "http://" + line.substr(std::string("listening on ").size());
}

std::string SimProcess::get(const std::string& target) const {
  yizhan::sdk::HttpRequest req;
  req.url = base_url_ + target;
  req.timeout = std::chrono::seconds(30);
  return yizhan::sdk::http_request(req).body;
}

json::object SimProcess::stats() const { return json::parse(get("/__sim/stats")).as_object(); }

yizhan::sdk::HttpResponse SimProcess::post(const std::string& target, const std::string& body,
                                           const std::map<std::string, std::string>& headers) const {
  yizhan::sdk::HttpRequest req;
  req.method = "POST";
  req.url = base_url_ + target;
  req.timeout = std::chrono::seconds(30);
  req.headers = headers;
  req.headers["Content-Type"] = "application/json; charset=utf-8";
  req.body = body;
  return yizhan::sdk::http_request(req);
}

json::object SimProcess::feedback() const { return json::parse(get("/__sim/feedback")).as_object(); }

void SimProcess::set_feedback_fault(const std::string& mode, int count) const {
  auto r =
      post("/__sim/feedback/fault?mode=" + mode + (count > 0 ? "&count=" + std::to_string(count) : ""), "");
  if (r.status != 200) throw std::runtime_error("cannot set the feedback fault '" + mode + "': " + r.body);
}

std::string plugin_config(const std::string& base_url, const json::object& overrides) {
  auto cfg = json::parse(yizhan::sdk::host::yaml_file_to_json(example_config_path())).as_object();
  cfg["base_url"] = base_url;
  for (const auto& kv : overrides) cfg[kv.key()] = kv.value();
  return json::serialize(cfg);
}

std::int64_t stat(const json::object& stats, const char* key) {
  auto it = stats.find(key);
  if (it == stats.end()) throw std::runtime_error(std::string("no '") + key + "' in /__sim/stats");
  return it->value().to_number<std::int64_t>();
}

Collected poll_until_quiet(yizhan::sdk::testkit::InstanceUnderTest& instance, const SimProcess& sim,
                           int max_polls) {
  Collected c;
  for (int i = 0; i < max_polls; ++i) {
    auto b = instance.poll(c.cursor);
    if (b.code == YZ_E_UPSTREAM) {
      c.upstream_errors.push_back(b.message);
      continue;
    }
    if (b.code != YZ_OK)
      throw std::runtime_error("poll failed with code " + std::to_string(b.code) + ": " + b.message);
    ++c.ok_polls;
    bool empty = b.records.empty() && !b.has_more;
    for (auto& r : b.records) c.records.push_back(std::move(r));
    c.cursor = b.next_cursor;
    if (empty && stat(sim.stats(), "updates_pending") == 0) return c;
  }
  ADD_FAILURE() << "the plugin did not converge within " << max_polls << " polls";
  return c;
}

}  // namespace hotline12345_test
