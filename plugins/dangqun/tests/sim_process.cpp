// Starting the simulator, reading its stats and database, polling a plugin instance.
#include "sim_process.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <yizhan/sdk/host.hpp>

namespace dangqun_test {
namespace json = boost::json;
using yizhan::sdk::testkit::ChildProcess;

std::filesystem::path sim_path() { return DANGQUN_SIM; }
std::filesystem::path plugin_path() { return DANGQUN_PLUGIN; }
std::filesystem::path example_config_path() { return DANGQUN_EXAMPLE_CONFIG; }

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  path_ = std::filesystem::temp_directory_path() /
          ("dangqun-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(path_);
  std::filesystem::create_directories(path_);
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

SimProcess::SimProcess(const SimFlags& f) : db_(dir_.path() / "dqfw.db") {
  std::vector<std::string> argv{sim_path().string(),
                                "--db",
                                db_.string(),
                                "--records",
                                std::to_string(f.records),
                                "--seed",
                                std::to_string(f.seed),
                                "--update-interval-ms",
                                std::to_string(f.update_interval_ms),
                                "--malformed-rate",
                                std::to_string(f.malformed_rate),
                                "--late-rate",
                                std::to_string(f.late_rate),
                                "--lock-every",
                                std::to_string(f.lock_every),
                                "--lock-ms",
                                std::to_string(f.lock_ms)};
  if (f.once) argv.push_back("--once");
  if (!f.shared_matters.empty()) argv.insert(argv.end(), {"--shared-matters", f.shared_matters.string()});
  if (!f.truth_out.empty()) argv.insert(argv.end(), {"--truth-out", f.truth_out.string()});
  process_ = std::make_unique<ChildProcess>(argv, ChildProcess::Options{{}, dir_.path() / "sim.stderr", {}});
  std::string line = process_->wait_for_line("ready ", std::chrono::seconds(120));
  if (line != "ready " + db_.string()) throw std::runtime_error("unexpected ready line: " + line);
}

json::object SimProcess::stats() const {
  std::ifstream in(db_.string() + ".stats.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str()).as_object();
}

std::string plugin_config(const std::string& connection, const json::object& overrides) {
  auto cfg = json::parse(yizhan::sdk::host::yaml_file_to_json(example_config_path())).as_object();
  cfg["connection"] = connection;
  for (const auto& kv : overrides) cfg[kv.key()] = kv.value();
  return json::serialize(cfg);
}

std::int64_t stat(const json::object& stats, const char* key) {
  auto it = stats.find(key);
  if (it == stats.end()) throw std::runtime_error(std::string("no '") + key + "' in the simulator's stats");
  return it->value().to_number<std::int64_t>();
}

Collected poll_until_quiet(yizhan::sdk::testkit::InstanceUnderTest& instance, const SimProcess& sim, int max_polls) {
  Collected c;
  for (int i = 0; i < max_polls; ++i) {
    // Read the simulator's state first: an empty poll after it says "nothing pending"
    // means the plugin has seen the final state.
    const auto before = sim.stats();
    const bool quiet_before = stat(before, "updates_pending") == 0;
    auto b = instance.poll(c.cursor);
    if (b.code == YZ_E_UPSTREAM) {
      c.upstream_errors.push_back(b.message);
      continue;
    }
    if (b.code != YZ_OK) throw std::runtime_error("poll failed with code " + std::to_string(b.code) + ": " + b.message);
    ++c.ok_polls;
    bool empty = b.records.empty() && !b.has_more;
    for (auto& r : b.records) {
      c.records.push_back(std::move(r));
      c.cursors_before.push_back(c.cursor);
    }
    c.cursor = b.next_cursor;
    if (empty && quiet_before) return c;
    if (empty) wait_for_tick_after(sim, stat(before, "ticks"));
  }
  ADD_FAILURE() << "the plugin did not converge within " << max_polls << " polls";
  return c;
}

void wait_for_tick_after(const SimProcess& sim, std::int64_t ticks) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    auto s = sim.stats();
    if (stat(s, "ticks") > ticks || stat(s, "updates_pending") == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  throw std::runtime_error("the simulator ran no tick after " + std::to_string(ticks) + " within 60 s");
}

std::vector<std::map<std::string, std::string>> query_db(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  if (sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(h);
    throw std::runtime_error(db.string() + ": cannot open");
  }
  sqlite3_busy_timeout(h, 30000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(h, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    std::string msg = sqlite3_errmsg(h);
    sqlite3_close(h);
    throw std::runtime_error(db.string() + ": " + sql + ": " + msg);
  }
  std::vector<std::map<std::string, std::string>> rows;
  int rc;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    auto& row = rows.emplace_back();
    for (int i = 0; i < sqlite3_column_count(st); ++i)
      if (sqlite3_column_type(st, i) != SQLITE_NULL)
        row[sqlite3_column_name(st, i)] = reinterpret_cast<const char*>(sqlite3_column_text(st, i));
  }
  std::string msg = rc == SQLITE_DONE ? "" : sqlite3_errmsg(h);
  sqlite3_finalize(st);
  sqlite3_close(h);
  if (!msg.empty()) throw std::runtime_error(db.string() + ": " + sql + ": " + msg);
  return rows;
}

}  // namespace dangqun_test
