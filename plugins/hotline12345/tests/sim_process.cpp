// The simulator's flags and test-only endpoints, on the SDK test kit's SimProcess.
#include "sim_process.hpp"

#include <stdexcept>

namespace hotline12345_test {
namespace json = boost::json;
namespace tk = yizhan::sdk::testkit;

std::filesystem::path sim_path() { return HOTLINE12345_SIM; }
std::filesystem::path plugin_path() { return HOTLINE12345_PLUGIN; }
std::filesystem::path example_config_path() { return HOTLINE12345_EXAMPLE_CONFIG; }

namespace {
std::vector<std::string> argv_of(const SimFlags& f) {
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
  return argv;
}
}  // namespace

SimProcess::SimProcess(const SimFlags& f) : tk::SimProcess(argv_of(f)) {}

yizhan::sdk::HttpResponse SimProcess::post(const std::string& target, const std::string& body,
                                           const std::map<std::string, std::string>& headers) const {
  auto all = headers;
  all["Content-Type"] = "application/json; charset=utf-8";
  return request("POST", target, body, all);
}

void SimProcess::set_feedback_fault(const std::string& mode, int count) const {
  auto r =
      post("/__sim/feedback/fault?mode=" + mode + (count > 0 ? "&count=" + std::to_string(count) : ""), "");
  if (r.status != 200) throw std::runtime_error("cannot set the feedback fault '" + mode + "': " + r.body);
}

std::string plugin_config(const std::string& base_url, const json::object& overrides) {
  json::object all{{"base_url", base_url}};
  for (const auto& kv : overrides) all[kv.key()] = kv.value();
  return tk::example_config_with(example_config_path(), all);
}

Collected poll_until_quiet(tk::InstanceUnderTest& instance, const SimProcess& sim, int max_polls) {
  return tk::poll_until_quiet(
      instance, [&] { return stat(sim.stats(), "updates_pending", "/__sim/stats") == 0; }, max_polls);
}

}  // namespace hotline12345_test
