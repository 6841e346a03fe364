// The simulator's flags and API, on the SDK test kit's SimProcess.
#include "sim_process.hpp"

#include <stdexcept>

namespace zongzhi_test {
namespace json = boost::json;
namespace tk = yizhan::sdk::testkit;

std::filesystem::path sim_path() { return ZONGZHI_SIM; }
std::filesystem::path plugin_path() { return ZONGZHI_PLUGIN; }
std::filesystem::path example_config_path() { return ZONGZHI_EXAMPLE_CONFIG; }
std::filesystem::path divisions_path() { return ZONGZHI_DIVISIONS_CSV; }

namespace {
std::vector<std::string> argv_of(const SimFlags& f) {
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
  return argv;
}
}  // namespace

SimProcess::SimProcess(const SimFlags& f) : tk::SimProcess(argv_of(f)), flags_(f) {}

yizhan::sdk::HttpResponse SimProcess::request(const std::string& method, const std::string& target,
                                              const std::string& body, const std::string& token) const {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return tk::SimProcess::request(method, target, body, headers);
}

std::string SimProcess::login() const {
  auto r = request("POST", "/api/v2/auth/token",
                   json::serialize(json::object{{"appId", flags_.app_id}, {"appSecret", flags_.app_secret}}));
  if (r.status != 200) throw std::runtime_error("login failed: HTTP " + std::to_string(r.status) + " " + r.body);
  return std::string(json::parse(r.body).at("data").at("accessToken").as_string());
}

std::string plugin_config(const std::string& base_url, const json::object& overrides) {
  json::object all{{"base_url", base_url}};
  for (const auto& kv : overrides) all[kv.key()] = kv.value();
  return tk::example_config_with(example_config_path(), all);
}

std::string plugin_config(const SimProcess& sim, const json::object& overrides) {
  json::object all{{"app_id", sim.flags().app_id}, {"app_secret", sim.flags().app_secret}};
  for (const auto& kv : overrides) all[kv.key()] = kv.value();
  return plugin_config(sim.base_url(), all);
}

Collected poll_until_quiet(tk::InstanceUnderTest& instance, const SimProcess& sim, int max_polls) {
  return tk::poll_until_quiet(
      instance, [&] { return stat(sim.stats(), "updates_pending", "/__sim/stats") == 0; }, max_polls);
}

}  // namespace zongzhi_test
