// The real sim-hotline12345 process for tests, and what tests need around it: the
// plugin's path, instance configs pointing at the simulator, draining until quiet.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/testkit.hpp>

namespace hotline12345_test {

std::filesystem::path sim_path();
std::filesystem::path plugin_path();
std::filesystem::path example_config_path();

// Simulator flags. Tests turn on exactly the quirks they look at.
struct SimFlags {
  int records = 100;
  std::uint64_t seed = 7;
  double fault_rate = 0;
  double malformed_rate = 0;
  double resend_rate = 0;
  double feedback_fault_rate = 0;
  int update_ticks = 0;  // 0: no status changes
  int slow_min_ms = 0;
  int slow_max_ms = 20;
  std::vector<std::string> extra_args = {};  // e.g. --shared-matters FILE --truth-out FILE
  int port = 0;                              // 0: any free port
};

// Starts the simulator on port 0 and waits for its "listening on" line; stops it when
// destroyed. Its stderr goes to a file under the temp dir, named in failures.
class SimProcess {
 public:
  explicit SimProcess(const SimFlags& flags);
  const std::string& base_url() const { return base_url_; }
  // GET <base_url><target>; the body. Throws on a transport error.
  std::string get(const std::string& target) const;
  // GET /__sim/stats.
  boost::json::object stats() const;
  // POST <base_url><target> with a JSON body and extra headers. Throws on a transport error.
  yizhan::sdk::HttpResponse post(const std::string& target, const std::string& body,
                                 const std::map<std::string, std::string>& headers = {}) const;
  // GET /__sim/feedback: {"count","duplicates","fault","list":[{key,gdbh,fklx,fknr,cbdw,czr,czsj,myd}]}.
  boost::json::object feedback() const;
  // POST /__sim/feedback/fault?mode=<mode>[&count=<count>]; count 0: until switched off.
  void set_feedback_fault(const std::string& mode, int count = 0) const;
  yizhan::sdk::testkit::ChildProcess& process() { return *process_; }

 private:
  std::unique_ptr<yizhan::sdk::testkit::ChildProcess> process_;
  std::string base_url_;
};

// The example config (config.example.yaml) with base_url set and `overrides` applied.
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

}  // namespace hotline12345_test
