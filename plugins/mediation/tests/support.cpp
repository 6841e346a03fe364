// Paths, configs, signing and the simulator process for the tests.
#include "support.hpp"

#include <unistd.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>
#include <yizhan/sdk/host.hpp>

#include "signature.hpp"

namespace mediation_test {
namespace json = boost::json;
using yizhan::sdk::testkit::ChildProcess;
using yizhan::sdk::testkit::PushCall;

std::filesystem::path sim_path() { return MEDIATION_SIM; }
std::filesystem::path plugin_path() { return MEDIATION_PLUGIN; }
std::filesystem::path plugin_dir() { return MEDIATION_PLUGIN_DIR; }
std::filesystem::path hub_path() { return MEDIATION_HUB; }
std::filesystem::path example_config_path() { return MEDIATION_EXAMPLE_CONFIG; }
std::filesystem::path divisions_path() { return MEDIATION_DIVISIONS_CSV; }

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("mediation-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string plugin_config(const json::object& overrides) {
  auto cfg = json::parse(yizhan::sdk::host::yaml_file_to_json(example_config_path())).as_object();
  for (const auto& kv : overrides) cfg[kv.key()] = kv.value();
  return json::serialize(cfg);
}

std::string validated_config(const json::object& overrides) {
  auto plugin = yizhan::sdk::host::load_plugin(plugin_path(), yizhan::sdk::host::null_host_api());
  auto check = yizhan::sdk::host::validate_config(*plugin.descriptor, "mediation", plugin_config(overrides));
  if (!check.errors.empty()) throw std::runtime_error(check.errors.front());
  return check.normalized_json;
}

PushCall signed_call(std::string body, std::string secret, std::int64_t skew_s, std::string nonce) {
  static std::atomic<int> counter{0};
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string ts = std::to_string(now + skew_s);
  if (nonce.empty()) nonce = "n-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  PushCall call;
  call.target = "/hooks/kelan_mediation";
  call.headers = {{"content-type", "application/json"},
                  {"x-mediation-timestamp", ts},
                  {"x-mediation-nonce", nonce},
                  {"x-mediation-signature", yizhan::plugins::mediation::sign(secret, ts, nonce, body)}};
  call.body = std::move(body);
  return call;
}

std::string batch_of(const std::vector<json::object>& cases, const std::string& batch_id) {
  json::array a;
  for (const auto& c : cases) a.push_back(c);
  return json::serialize(json::object{{"batchId", batch_id}, {"sentAt", "2026-03-02T10:00:00+08:00"}, {"cases", a}});
}

json::object good_case(int n, int version) {
  char no[32];
  std::snprintf(no, sizeof no, "TJ-2026-%06d", n);
  return json::object{
      {"caseNo", no},
      {"orgCode", "TJW-LZ"},
      {"orgName", "岢岚县劳动争议人民调解委员会"},
      {"disputeType", "劳资"},
      {"caseName", "拖欠农民工工资纠纷"},
      {"applicant", json::object{{"name", "王秀英"}, {"phone", "13812341234"}, {"idCard", "140929196704282043"}}},
      {"respondent", json::object{{"name", "李建国"}, {"phone", "13998765432"}, {"idCard", "14092919800101001X"}}},
      {"areaCode", "140929100201"},
      {"address", "岢岚县岚漪镇西街村"},
      {"summary", "申请人王秀英等5人称被拖欠工资3个月，请求调解。"},
      {"stage", version >= 3   ? "结案"
                : version == 2 ? "调解中"
                               : "受理"},
      {"outcome", version >= 3 ? json::value("调解成功") : json::value(nullptr)},
      {"agreementAmount", version >= 3 ? json::value("12000.00") : json::value(nullptr)},
      {"acceptDate", "2026-03-01"},
      {"closeDate", version >= 3 ? json::value("2026-03-15") : json::value(nullptr)},
      {"updateTime", "2026-03-0" + std::to_string(version + 1) + " 10:12:33.123"},
      {"version", version}};
}

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout, std::chrono::milliseconds every) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

SimRun::SimRun(const std::string& hub_url, const SimFlags& f) {
  std::vector<std::string> argv{sim_path().string(),
                                "--hub-url",
                                hub_url,
                                "--instance",
                                f.instance,
                                "--secret",
                                f.secret,
                                "--records",
                                std::to_string(f.records),
                                "--seed",
                                std::to_string(f.seed),
                                "--batch-size",
                                std::to_string(f.batch_size),
                                "--interval-ms",
                                std::to_string(f.interval_ms),
                                "--retry-base-ms",
                                std::to_string(f.retry_base_ms),
                                "--retry-max-ms",
                                std::to_string(f.retry_max_ms),
                                "--fault-rate",
                                std::to_string(f.fault_rate),
                                "--resend-rate",
                                std::to_string(f.resend_rate),
                                "--malformed-rate",
                                std::to_string(f.malformed_rate),
                                "--divisions",
                                divisions_path().string(),
                                "--stats-file",
                                (dir_.path() / "stats.json").string()};
  if (f.once) argv.push_back("--once");
  argv.insert(argv.end(), f.extra_args.begin(), f.extra_args.end());
  process_ = std::make_unique<ChildProcess>(argv, ChildProcess::Options{{}, dir_.path() / "sim.stderr", {}});
  process_->wait_for_line("started", std::chrono::seconds(60));
}

void SimRun::wait_done(std::chrono::milliseconds timeout) {
  try {
    process_->wait_for_line("done", timeout);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string(e.what()) + "\nsim stderr:\n" + log());
  }
}

json::object SimRun::stats() const {
  std::ifstream in(dir_.path() / "stats.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str()).as_object();
}

std::int64_t SimRun::stat(const char* key) const {
  auto s = stats();
  auto it = s.find(key);
  if (it == s.end()) throw std::runtime_error(std::string("no '") + key + "' in the stats file");
  return it->value().to_number<std::int64_t>();
}

std::string SimRun::log() const {
  std::ifstream in(dir_.path() / "sim.stderr");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace mediation_test
