// The real sim-xinfang process for tests, and what tests need around it: the plugin's
// path, a fresh inbox folder per run, instance configs pointing at it, draining.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/testkit.hpp>

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

 private:
  std::filesystem::path dir_;
  std::unique_ptr<yizhan::sdk::testkit::ChildProcess> process_;
};

// The example config (config.example.yaml) with inbox_dir set and `overrides` applied.
std::string plugin_config(const std::filesystem::path& inbox, const boost::json::object& overrides = {});

std::int64_t stat(const boost::json::object& stats, const char* key);

std::string read_bytes(const std::filesystem::path& file);

// A fresh, empty folder under the temp dir; the caller removes it.
std::filesystem::path fresh_dir(const std::string& tag);

}  // namespace xinfang_test
