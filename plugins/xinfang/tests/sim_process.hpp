// The real sim-xinfang process for tests, and what tests need around it: the plugin's
// path, a fresh inbox folder per run, instance configs pointing at it, draining. The
// process handling is the SDK test kit's (yizhan/sdk/sim_process.hpp).
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>
#include <yizhan/sdk/sim_process.hpp>

namespace xinfang_test {

std::filesystem::path sim_path();
std::filesystem::path plugin_path();
std::filesystem::path example_config_path();

// Simulator flags. Tests turn on exactly the quirks they look at.
struct SimFlags {
  int records = 100;
  std::uint64_t seed = 7;
  int rows_per_export = 50;
  double malformed_rate = 0;
  double resend_rate = 0;
  double bom_rate = 0;
  bool once = true;  // false: paced, chunked writing until stopped
  int interval_ms = 0;
  int chunk_bytes = 0;
  int chunk_pause_ms = 0;
  std::filesystem::path shared_matters = {};
  std::filesystem::path truth_out = {};
  bool import = false;  // --import-dir: a fresh folder beside the inbox
  int import_interval_ms = 20;
};

// Runs the simulator into a fresh folder under the temp dir (removed when destroyed).
// With once, waits until it has written everything and exited 0; otherwise until its
// "ready" line (the first export is complete) and stops it when destroyed.
class SimRun {
 public:
  explicit SimRun(const SimFlags& flags);
  ~SimRun();
  SimRun(const SimRun&) = delete;
  SimRun& operator=(const SimRun&) = delete;

  const std::filesystem::path& dir() const { return dir_; }
  // DIR/__sim_stats.json.
  boost::json::object stats() const;
  // The export files written so far, in name order.
  std::vector<std::filesystem::path> exports() const;
  yizhan::sdk::testkit::ChildProcess& process() { return *process_; }

  // The import side (SimFlags::import). The folder the sim imports receipts from:
  const std::filesystem::path& import_dir() const { return import_dir_; }
  // DIR/__sim_import_summary.json: accepted, duplicates, rejected, files_imported,
  // failed_files, waiting_files, scans, unavailable_scans, import_dir_available.
  boost::json::object import_summary() const;
  // The complete lines of DIR/__sim_imported.jsonl (accepted receipts, in order) and of
  // DIR/__sim_import_rejected.jsonl (rejected receipts and failed files).
  std::vector<boost::json::object> imported() const;
  std::vector<boost::json::object> import_rejections() const;
  // Polls the summary until `done` holds; throws std::runtime_error with the last
  // summary when `timeout` passes first.
  boost::json::object wait_for_import(const std::function<bool(const boost::json::object&)>& done,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(30)) const;
  // Waits until the sim has finished a whole scan that started after this call.
  boost::json::object wait_for_fresh_scan() const;
  // The share goes away (the import folder renamed, as a lost mount looks) and comes back.
  void import_share_down();
  void import_share_up();
  std::filesystem::path import_share_parked() const;  // where the folder is while down
  // SIGSTOP (returns once the process is stopped) and SIGCONT.
  void freeze();
  void thaw();

 private:
  std::filesystem::path dir_, import_dir_;
  std::unique_ptr<yizhan::sdk::testkit::SimProcess> sim_;
  yizhan::sdk::testkit::ChildProcess* process_ = nullptr;
};

// The example config (config.example.yaml) with inbox_dir set and `overrides` applied.
std::string plugin_config(const std::filesystem::path& inbox, const boost::json::object& overrides = {});

std::int64_t stat(const boost::json::object& stats, const char* key);

std::string read_bytes(const std::filesystem::path& file);

// A fresh, empty folder under the temp dir; the caller removes it.
std::filesystem::path fresh_dir(const std::string& tag);

}  // namespace xinfang_test
