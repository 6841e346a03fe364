// What the tests share: paths, instance configs, signed requests, and the real
// sim-mediation process pushing to a URL.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/testkit.hpp>

namespace mediation_test {

inline constexpr const char* kSecret = "demo-mediation-secret";  // as in config.example.yaml

std::filesystem::path sim_path();
std::filesystem::path plugin_path();
std::filesystem::path plugin_dir();
std::filesystem::path hub_path();
std::filesystem::path example_config_path();
std::filesystem::path divisions_path();

// A fresh directory under the temp dir, removed when destroyed.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The example config (config.example.yaml) as JSON, with `overrides` applied.
std::string plugin_config(const boost::json::object& overrides = {});

// plugin_config() as the hub hands it to the plugin: validated, typed, defaults filled in.
// Throws std::runtime_error with the first validation error.
std::string validated_config(const boost::json::object& overrides = {});

// A request as the system sends it: body signed with `secret`, timestamp now + skew_s.
yizhan::sdk::testkit::PushCall signed_call(std::string body, std::string secret = kSecret, std::int64_t skew_s = 0,
                                           std::string nonce = {});
// A batch body of the given case objects.
std::string batch_of(const std::vector<boost::json::object>& cases, const std::string& batch_id = "MB-T-000001");
// A valid case object (each field can be changed by the test).
boost::json::object good_case(int n, int version = 1);

// Polls `done` until it returns true or `timeout` passes. True if it did.
bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(50));

struct SimFlags {
  int records = 50;
  std::uint64_t seed = 7;
  int batch_size = 10;
  int interval_ms = 0;
  int retry_base_ms = 10;
  int retry_max_ms = 200;
  double fault_rate = 0;
  double resend_rate = 0;
  double malformed_rate = 0;
  bool once = true;
  std::string instance = "kelan_mediation";
  std::string secret = kSecret;
  std::vector<std::string> extra_args{};
};

// The real simulator, pushing to `hub_url`; its stats file and stderr in a temp dir.
class SimRun {
 public:
  SimRun(const std::string& hub_url, const SimFlags& flags);
  yizhan::sdk::testkit::ChildProcess& process() { return *process_; }
  // Waits for "done" (--once). Throws if it does not come in `timeout`.
  void wait_done(std::chrono::milliseconds timeout = std::chrono::seconds(300));
  boost::json::object stats() const;  // the latest stats file
  std::int64_t stat(const char* key) const;
  std::string log() const;  // its stderr so far
  const std::filesystem::path& dir() const { return dir_.path(); }

 private:
  TempDir dir_;
  std::unique_ptr<yizhan::sdk::testkit::ChildProcess> process_;
};

}  // namespace mediation_test
