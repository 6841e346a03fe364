// The real sim-zongzhi process for tests, and what tests need around it: the plugin's
// path, instance configs pointing at the simulator, authorized requests, draining.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/testkit.hpp>

namespace zongzhi_test {

std::filesystem::path sim_path();
std::filesystem::path plugin_path();
std::filesystem::path example_config_path();
std::filesystem::path divisions_path();

// Simulator flags. Tests turn on exactly the quirks they look at (every rate defaults to 0).
struct SimFlags {
  int records = 100;
  std::uint64_t seed = 7;
  int token_ttl_s = 30;
  double fault_rate = 0;
  double revoke_rate = 0;
  double dup_rate = 0;
  double malformed_rate = 0;
  int update_ticks = 0;  // 0: no status changes
  int retry_after_s = 0;
  std::string app_id = "zongzhi-demo";
  std::string app_secret = "demo-secret";
  std::vector<std::string> extra_args{};  // e.g. --shared-matters FILE
};

// Starts the simulator on port 0 and waits for its "listening on" line; stops it when
// destroyed. Its stderr goes to a file under the temp dir.
class SimProcess {
 public:
  explicit SimProcess(const SimFlags& flags);
  const std::string& base_url() const { return base_url_; }
  const SimFlags& flags() const { return flags_; }
  // A request to the simulator (no token unless given).
  yizhan::sdk::HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                                    const std::string& token = {}) const;
  std::string get(const std::string& target) const { return request("GET", target).body; }
  // Logs in with the simulator's app id and secret; the access token.
  std::string login() const;
  boost::json::object stats() const;
  yizhan::sdk::testkit::ChildProcess& process() { return *process_; }

 private:
  SimFlags flags_;
  std::unique_ptr<yizhan::sdk::testkit::ChildProcess> process_;
  std::string base_url_;
};

// The example config (config.example.yaml) with base_url, app id and secret of `sim`,
// and `overrides` applied.
std::string plugin_config(const SimProcess& sim, const boost::json::object& overrides = {});
std::string plugin_config(const std::string& base_url, const boost::json::object& overrides = {});

std::int64_t stat(const boost::json::object& stats, const char* key);

// Everything one instance returned while polling until the simulator had no pending
// status changes and a poll came back empty with has_more false.
struct Collected {
  std::vector<yizhan::sdk::testkit::PolledRecord> records;
  std::vector<std::string> upstream_errors;  // messages of YZ_E_UPSTREAM polls
  int ok_polls = 0;
  std::string cursor;
};
Collected poll_until_quiet(yizhan::sdk::testkit::InstanceUnderTest& instance, const SimProcess& sim,
                           int max_polls = 5000);

}  // namespace zongzhi_test
