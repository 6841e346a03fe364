// Starting the simulator and reading what it wrote.
#include "sim_process.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <yizhan/sdk/host.hpp>

namespace xinfang_test {
namespace json = boost::json;
namespace fs = std::filesystem;
using yizhan::sdk::testkit::ChildProcess;

fs::path sim_path() { return XINFANG_SIM; }
fs::path plugin_path() { return XINFANG_PLUGIN; }
fs::path example_config_path() { return XINFANG_EXAMPLE_CONFIG; }

fs::path fresh_dir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto d = fs::temp_directory_path() /
           ("xinfang-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(d);
  return d;
}

SimRun::SimRun(const SimFlags& f) : dir_(fresh_dir("inbox")) {
  auto err = dir_;
  err += ".stderr";
  std::vector<std::string> argv{sim_path().string(),
                                "--dir",
                                dir_.string(),
                                "--records",
                                std::to_string(f.records),
                                "--seed",
                                std::to_string(f.seed),
                                "--rows-per-export",
                                std::to_string(f.rows_per_export),
                                "--malformed-rate",
                                std::to_string(f.malformed_rate),
                                "--resend-rate",
                                std::to_string(f.resend_rate),
                                "--bom-rate",
                                std::to_string(f.bom_rate),
                                "--interval-ms",
                                std::to_string(f.interval_ms),
                                "--chunk-bytes",
                                std::to_string(f.chunk_bytes),
                                "--chunk-pause-ms",
                                std::to_string(f.chunk_pause_ms),
                                "--divisions",
                                XINFANG_DIVISIONS};
  if (f.once) argv.push_back("--once");
  if (!f.shared_matters.empty()) argv.insert(argv.end(), {"--shared-matters", f.shared_matters.string()});
  if (!f.truth_out.empty()) argv.insert(argv.end(), {"--truth-out", f.truth_out.string()});
  process_ = std::make_unique<ChildProcess>(argv, ChildProcess::Options{{}, err, {}});
  std::string line = process_->wait_for_line("ready ", std::chrono::seconds(60));
  if (line != "ready " + dir_.string()) throw std::runtime_error("unexpected ready line: " + line);
  if (f.once) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (process_->running()) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("sim-xinfang --once did not exit");
      std::this_thread::yield();
    }
    if (process_->exit_code() != 0)
      throw std::runtime_error("sim-xinfang --once exited with " + std::to_string(process_->exit_code().value_or(-1)));
  }
}

SimRun::~SimRun() {
  process_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

json::object SimRun::stats() const { return json::parse(read_bytes(dir_ / "__sim_stats.json")).as_object(); }

std::vector<fs::path> SimRun::exports() const {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().filename().string().rfind("XF_EXPORT_", 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string plugin_config(const fs::path& inbox, const json::object& overrides) {
  auto cfg = json::parse(yizhan::sdk::host::yaml_file_to_json(example_config_path())).as_object();
  cfg["inbox_dir"] = inbox.string();
  for (const auto& kv : overrides) cfg[kv.key()] = kv.value();
  return json::serialize(cfg);
}

std::int64_t stat(const json::object& stats, const char* key) {
  auto it = stats.find(key);
  if (it == stats.end()) throw std::runtime_error(std::string("no '") + key + "' in __sim_stats.json");
  return it->value().to_number<std::int64_t>();
}

}  // namespace xinfang_test
