// The real sim-hotline12345 process for tests, and what tests need around it: the
// plugin's path, instance configs pointing at the simulator, draining until quiet. The
// process handling is the SDK test kit's (yizhan/sdk/sim_process.hpp).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>
#include <yizhan/sdk/sim_process.hpp>

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

// The simulator (the SDK test kit's SimProcess) started with these flags: base_url(),
// get(), get_json(), process() come from there.
class SimProcess : public yizhan::sdk::testkit::SimProcess {
 public:
  explicit SimProcess(const SimFlags& flags);
  // GET /__sim/stats.
  boost::json::object stats() const { return get_json("/__sim/stats"); }
  // POST <base_url><target> with a JSON body and extra headers. Throws on a transport error.
  yizhan::sdk::HttpResponse post(const std::string& target, const std::string& body,
                                 const std::map<std::string, std::string>& headers = {}) const;
  // GET /__sim/feedback: {"count","duplicates","fault","list":[{key,gdbh,fklx,fknr,cbdw,czr,czsj,myd}]}.
  boost::json::object feedback() const { return get_json("/__sim/feedback"); }
  // POST /__sim/feedback/fault?mode=<mode>[&count=<count>]; count 0: until switched off.
  void set_feedback_fault(const std::string& mode, int count = 0) const;
};

// The example config (config.example.yaml) with base_url set and `overrides` applied.
std::string plugin_config(const std::string& base_url, const boost::json::object& overrides = {});

using yizhan::sdk::testkit::Collected;
using yizhan::sdk::testkit::stat;

// Polls one instance until the simulator has no pending status changes and a poll came
// back empty with has_more false.
Collected poll_until_quiet(yizhan::sdk::testkit::InstanceUnderTest& instance, const SimProcess& sim,
                           int max_polls = 5000);

}  // namespace hotline12345_test
