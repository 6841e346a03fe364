// The real sim-dangqun process for tests, and what tests need around it: the plugin's
// path, instance configs pointing at the database it writes, draining until quiet. The
// process handling is the SDK test kit's (yizhan/sdk/sim_process.hpp).
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>
#include <yizhan/sdk/sim_process.hpp>

namespace dangqun_test {

std::filesystem::path sim_path();
std::filesystem::path plugin_path();
std::filesystem::path example_config_path();

// A fresh directory under the temp dir, removed when destroyed.
using yizhan::sdk::testkit::TempDir;

// Simulator flags. Tests turn on exactly the quirks they look at.
struct SimFlags {
  int records = 100;
  std::uint64_t seed = 7;
  int update_interval_ms = 5;
  double malformed_rate = 0;
  double late_rate = 0;
  int lock_every = 0;
  int lock_ms = 300;
  bool once = false;
  std::filesystem::path shared_matters = {};
  std::filesystem::path truth_out = {};
};

// Starts the simulator (the SDK test kit's SimProcess) on a database in its own temp dir
// and waits for its "ready" line; stops it when destroyed. Its stderr goes to a file in
// that dir, named in failures.
class SimProcess {
 public:
  explicit SimProcess(const SimFlags& flags);
  const std::filesystem::path& db() const { return db_; }
  std::string connection() const { return "db=" + db_.string(); }
  // The stats file the simulator writes beside the database.
  boost::json::object stats() const;
  yizhan::sdk::testkit::ChildProcess& process() { return sim_->process(); }

 private:
  TempDir dir_;
  std::filesystem::path db_;
  std::unique_ptr<yizhan::sdk::testkit::SimProcess> sim_;
};

// The example config (config.example.yaml) with connection set and `overrides` applied.
std::string plugin_config(const std::string& connection, const boost::json::object& overrides = {});

using yizhan::sdk::testkit::Collected;
using yizhan::sdk::testkit::stat;

// Polls one instance until the simulator has no pending updates and a poll came back
// empty with has_more false; after an empty poll it waits for the simulator's next tick.
Collected poll_until_quiet(yizhan::sdk::testkit::InstanceUnderTest& instance, const SimProcess& sim,
                           int max_polls = 20000);

// Waits until the simulator has run a tick after `ticks` (its stats file says so), or has
// nothing pending; throws after 60 s. Tests call it after an empty poll instead of
// polling again at once: a reader that never pauses starves SQLite's writer, which a
// hub polling at its interval never does.
void wait_for_tick_after(const SimProcess& sim, std::int64_t ticks);

// Rows of the simulator's database, read with SQLite directly: column → text (NULL absent).
std::vector<std::map<std::string, std::string>> query_db(const std::filesystem::path& db, const std::string& sql);

}  // namespace dangqun_test
