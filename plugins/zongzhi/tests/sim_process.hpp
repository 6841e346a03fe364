// The real sim-zongzhi process for tests, and what tests need around it: the plugin's
// path, instance configs pointing at the simulator, authorized requests, draining. The
// process handling is the SDK test kit's (yizhan/sdk/sim_process.hpp); this is the
// simulator's own flags and API.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>
#include <yizhan/sdk/sim_process.hpp>

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

// The simulator (the SDK test kit's SimProcess) started on port 0 with these flags.
class SimProcess : public yizhan::sdk::testkit::SimProcess {
 public:
  explicit SimProcess(const SimFlags& flags);
  const SimFlags& flags() const { return flags_; }
  // A request to the simulator (no token unless given).
  yizhan::sdk::HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                                    const std::string& token = {}) const;
  // Logs in with the simulator's app id and secret; the access token.
  std::string login() const;
  boost::json::object stats() const { return get_json("/__sim/stats"); }

 private:
  SimFlags flags_;
};

// The example config (config.example.yaml) with base_url, app id and secret of `sim`,
// and `overrides` applied.
std::string plugin_config(const SimProcess& sim, const boost::json::object& overrides = {});
std::string plugin_config(const std::string& base_url, const boost::json::object& overrides = {});

using yizhan::sdk::testkit::Collected;
using yizhan::sdk::testkit::stat;

// Polls one instance until the simulator has no pending status changes and a poll came
// back empty with has_more false.
Collected poll_until_quiet(yizhan::sdk::testkit::InstanceUnderTest& instance, const SimProcess& sim,
                           int max_polls = 5000);

}  // namespace zongzhi_test
