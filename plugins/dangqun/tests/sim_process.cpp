// Starting the simulator, reading its stats and database, polling a plugin instance.
#include "sim_process.hpp"

#include <sqlite3.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace dangqun_test {
namespace json = boost::json;
namespace tk = yizhan::sdk::testkit;

std::filesystem::path sim_path() { return DANGQUN_SIM; }
std::filesystem::path plugin_path() { return DANGQUN_PLUGIN; }
std::filesystem::path example_config_path() { return DANGQUN_EXAMPLE_CONFIG; }

SimProcess::SimProcess(const SimFlags& f) : dir_("dangqun-test"), db_(dir_.path() / "dqfw.db") {
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
  sim_ = std::make_unique<tk::SimProcess>(
      std::move(argv), tk::SimProcess::Options{"ready ", std::chrono::seconds(120), dir_.path() / "sim.stderr"});
  if (sim_->ready_text() != db_.string()) throw std::runtime_error("unexpected ready line: " + sim_->ready_line());
}

json::object SimProcess::stats() const { return json::parse(tk::read_file(db_.string() + ".stats.json")).as_object(); }

std::string plugin_config(const std::string& connection, const json::object& overrides) {
  json::object all{{"connection", connection}};
  for (const auto& kv : overrides) all[kv.key()] = kv.value();
  return tk::example_config_with(example_config_path(), all);
}

Collected poll_until_quiet(tk::InstanceUnderTest& instance, const SimProcess& sim, int max_polls) {
  std::int64_t ticks = 0;
  auto quiet = [&] {
    const auto before = sim.stats();
    ticks = stat(before, "ticks");
    return stat(before, "updates_pending") == 0;
  };
  return tk::poll_until_quiet(instance, quiet, max_polls, [&] { wait_for_tick_after(sim, ticks); });
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
