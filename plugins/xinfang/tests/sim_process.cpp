// Starting the simulator and reading what it wrote.
#include "sim_process.hpp"

#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace xinfang_test {
namespace json = boost::json;
namespace fs = std::filesystem;
namespace tk = yizhan::sdk::testkit;

fs::path sim_path() { return XINFANG_SIM; }
fs::path plugin_path() { return XINFANG_PLUGIN; }
fs::path example_config_path() { return XINFANG_EXAMPLE_CONFIG; }

fs::path fresh_dir(const std::string& tag) { return tk::unique_temp_path("xinfang-" + tag); }

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
  if (f.import) {
    import_dir_ = dir_;
    import_dir_ += ".import";
    fs::remove_all(import_dir_);
    argv.insert(argv.end(),
                {"--import-dir", import_dir_.string(), "--import-interval-ms", std::to_string(f.import_interval_ms)});
  }
  sim_ = std::make_unique<tk::SimProcess>(std::move(argv),
                                          tk::SimProcess::Options{"ready ", std::chrono::seconds(60), err});
  process_ = &sim_->process();
  if (sim_->ready_text() != dir_.string()) throw std::runtime_error("unexpected ready line: " + sim_->ready_line());
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
  if (process_ && process_->running()) process_->signal(SIGCONT);  // a frozen sim cannot take its SIGTERM
  sim_.reset();
  std::error_code ec;
  fs::remove_all(dir_, ec);
  if (!import_dir_.empty()) {
    fs::remove_all(import_dir_, ec);
    fs::remove_all(import_share_parked(), ec);
  }
}

json::object SimRun::import_summary() const {
  return json::parse(read_bytes(dir_ / "__sim_import_summary.json")).as_object();
}

namespace {
std::vector<json::object> complete_lines(const fs::path& file) {
  std::vector<json::object> out;
  if (!fs::exists(file)) return out;
  const std::string text = read_bytes(file);
  for (size_t pos = 0, nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1)
    if (nl > pos) out.push_back(json::parse(std::string_view(text).substr(pos, nl - pos)).as_object());
  return out;
}

char process_state_of(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto p = all.rfind(')');
  return p != std::string::npos && p + 2 < all.size() ? all[p + 2] : '?';
}
}  // namespace

std::vector<json::object> SimRun::imported() const { return complete_lines(dir_ / "__sim_imported.jsonl"); }
std::vector<json::object> SimRun::import_rejections() const {
  return complete_lines(dir_ / "__sim_import_rejected.jsonl");
}

json::object SimRun::wait_for_import(const std::function<bool(const json::object&)>& done,
                                     std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    json::object s = import_summary();
    if (done(s)) return s;
    if (std::chrono::steady_clock::now() > deadline)
      throw std::runtime_error("the sim's import did not get there in time; last summary: " + json::serialize(s));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

json::object SimRun::wait_for_fresh_scan() const {
  const std::int64_t now = stat(import_summary(), "scans");
  // Scan now + 1 may have begun before this call; scan now + 2 began after it.
  return wait_for_import([now](const json::object& s) { return stat(s, "scans") >= now + 2; });
}

fs::path SimRun::import_share_parked() const {
  auto p = import_dir_;
  p += ".down";
  return p;
}
void SimRun::import_share_down() { fs::rename(import_dir_, import_share_parked()); }
void SimRun::import_share_up() { fs::rename(import_share_parked(), import_dir_); }

void SimRun::freeze() {
  process_->signal(SIGSTOP);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (process_state_of(process_->pid()) != 'T') {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("sim-xinfang did not stop");
    std::this_thread::yield();
  }
}
void SimRun::thaw() { process_->signal(SIGCONT); }

std::string read_bytes(const fs::path& file) { return tk::read_file(file); }

json::object SimRun::stats() const { return json::parse(read_bytes(dir_ / "__sim_stats.json")).as_object(); }

std::vector<fs::path> SimRun::exports() const {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir_))
    if (e.path().filename().string().rfind("XF_EXPORT_", 0) == 0) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

std::string plugin_config(const fs::path& inbox, const json::object& overrides) {
  json::object all{{"inbox_dir", inbox.string()}};
  for (const auto& kv : overrides) all[kv.key()] = kv.value();
  return tk::example_config_with(example_config_path(), all);
}

std::int64_t stat(const json::object& stats, const char* key) { return tk::stat(stats, key, "__sim_stats.json"); }

}  // namespace xinfang_test
