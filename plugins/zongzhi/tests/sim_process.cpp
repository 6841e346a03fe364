// Starting the simulator, talking to it, and polling a plugin instance against it.
#include "sim_process.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <yizhan/sdk/host.hpp>

namespace zongzhi_test {
namespace json = boost::json;
using yizhan::sdk::testkit::ChildProcess;

std::filesystem::path sim_path() { return ZONGZHI_SIM; }
std::filesystem::path plugin_path() { return ZONGZHI_PLUGIN; }
std::filesystem::path example_config_path() { return ZONGZHI_EXAMPLE_CONFIG; }
std::filesystem::path divisions_path() { return ZONGZHI_DIVISIONS_CSV; }

SimProcess::SimProcess(const SimFlags& f) : flags_(f) {
  static std::atomic<int> counter{0};
  auto err = std::filesystem::temp_directory_path() /
             ("sim-zongzhi-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".stderr");
  std::filesystem::remove(err);
  std::vector<std::string> argv{sim_path().string(),
                                "--port",
                                "0",
                                "--records",
                                std::to_string(f.records),
                                "--seed",
                                std::to_string(f.seed),
                                "--token-ttl-s",
                                std::to_string(f.token_ttl_s),
                                "--fault-rate",
                                std::to_string(f.fault_rate),
                                "--revoke-rate",
                                std::to_string(f.revoke_rate),
                                "--dup-rate",
                                std::to_string(f.dup_rate),
                                "--malformed-rate",
                                std::to_string(f.malformed_rate),
                                "--update-ticks",
                                std::to_string(f.update_ticks),
                                "--retry-after-s",
                                std::to_string(f.retry_after_s),
                                "--app-id",
                                f.app_id,
                                "--app-secret",
                                f.app_secret};
  argv.insert(argv.end(), f.extra_args.begin(), f.extra_args.end());
  process_ = std::make_unique<ChildProcess>(argv, ChildProcess::Options{{}, err, {}});
  std::string line = process_->wait_for_line("listening on ", std::chrono::seconds(60));
  base_url_ = "http://" + line.substr(std::string("listening on ").size());
}

yizhan::sdk::HttpResponse SimProcess::request(const std::string& method, const std::string& target,
                                              const std::string& body, const std::string& token) const {
  yizhan::sdk::HttpRequest req;
  req.method = method;
  req.url = base_url_ + target;
  req.body = body;
  req.timeout = std::chrono::seconds(30);
  if (!token.empty()) req.headers["Authorization"] = "Bearer " + token;
  if (!body.empty()) req.headers["Content-Type"] = "application/json";
  return yizhan::sdk::http_request(req);
}

std::string SimProcess::login() const {
  auto r = request("POST", "/api/v2/auth/token",
                   json::serialize(json::object{{"appId", flags_.app_id}, {"appSecret", flags_.app_secret}}));
  if (r.status != 200) throw std::runtime_error("login failed: HTTP " + std::to_string(r.status) + " " + r.body);
  return std::string(json::parse(r.body).at("data").at("accessToken").as_string());
}

json::object SimProcess::stats() const { return json::parse(get("/__sim/stats")).as_object(); }

std::string plugin_config(const std::string& base_url, const json::object& overrides) {
  auto cfg = json::parse(yizhan::sdk::host::yaml_file_to_json(example_config_path())).as_object();
  cfg["base_url"] = base_url;
  for (const auto& kv : overrides) cfg[kv.key()] = kv.value();
  return json::serialize(cfg);
}

std::string plugin_config(const SimProcess& sim, const json::object& overrides) {
  json::object all{{"app_id", sim.flags().app_id}, {"app_secret", sim.flags().app_secret}};
  for (const auto& kv : overrides) all[kv.key()] = kv.value();
  return plugin_config(sim.base_url(), all);
}

std::int64_t stat(const json::object& stats, const char* key) {
  auto it = stats.find(key);
  if (it == stats.end()) throw std::runtime_error(std::string("no '") + key + "' in /__sim/stats");
  return it->value().to_number<std::int64_t>();
}

Collected poll_until_quiet(yizhan::sdk::testkit::InstanceUnderTest& instance, const SimProcess& sim, int max_polls) {
  Collected c;
  for (int i = 0; i < max_polls; ++i) {
    auto b = instance.poll(c.cursor);
    if (b.code == YZ_E_UPSTREAM) {
      c.upstream_errors.push_back(b.message);
      continue;
    }
    if (b.code != YZ_OK) throw std::runtime_error("poll failed with code " + std::to_string(b.code) + ": " + b.message);
    ++c.ok_polls;
    bool empty = b.records.empty() && !b.has_more;
    for (auto& r : b.records) c.records.push_back(std::move(r));
    c.cursor = b.next_cursor;
    if (empty && stat(sim.stats(), "updates_pending") == 0) return c;
  }
  ADD_FAILURE() << "the plugin did not converge within " << max_polls << " polls";
  return c;
}

}  // namespace zongzhi_test
