// Yizhan SDK test kit — a plugin's simulator as a child process, and what tests do around it.
//
// Every plugin's tests run the real simulator of their department system (a real server,
// a real database writer, a real folder writer) and drive the real plugin against it.
// The parts every plugin repeated live here:
//
//   - SimProcess starts the simulator, waits for the line it prints when it is ready
//     ("listening on 127.0.0.1:40123" for a server started with --port 0, "ready <path>"
//     for a writer), keeps its stderr in a file named in failures, and stops it when
//     destroyed. For an HTTP simulator it also makes requests to it.
//   - TempDir: a fresh folder under the temp dir, removed with its contents.
//   - example_config_with(): the plugin's config.example.yaml as JSON, with overrides
//     (e.g. base_url pointing at the simulator), as an instance config.
//   - stat(): one counter of a simulator's stats object, or an error naming it.
//   - poll_until_quiet(): polls an instance until the simulator has nothing pending and
//     a poll comes back empty, collecting every record.
//
//   namespace tk = yizhan::sdk::testkit;
//   tk::SimProcess sim({SIM_PATH, "--port", "0", "--records", "100"});
//   std::string config = tk::example_config_with(EXAMPLE_CONFIG, {{"base_url", sim.base_url()}});
//   tk::InstanceUnderTest instance(PLUGIN_PATH, config);
//   auto got = tk::poll_until_quiet(instance, [&] { return tk::stat(sim.get_json("/__sim/stats"), "pending") == 0; });
//
// A plugin keeps what is its own (its simulator's flags, how its stats are read) in a
// thin wrapper in its tests folder.
#pragma once

#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/http_client.hpp>
#include <yizhan/sdk/testkit.hpp>

namespace yizhan::sdk::testkit {

// A path under the temp dir that no other call of this process returns:
// <temp>/<tag>-<pid>-<n>. Whatever is there already (a leftover) is removed; nothing is
// created.
std::filesystem::path unique_temp_path(std::string_view tag);

// A fresh, empty folder at unique_temp_path(tag), removed with its contents when
// destroyed.
class TempDir {
 public:
  explicit TempDir(std::string_view tag = "yizhan-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// The whole file as bytes. Throws std::runtime_error naming the file if it cannot be read.
std::string read_file(const std::filesystem::path& file);

// The YAML file `example_yaml` (a plugin's config.example.yaml) as a JSON object with
// each member of `overrides` set, serialized: an instance config for InstanceUnderTest.
std::string example_config_with(const std::filesystem::path& example_yaml, const boost::json::object& overrides = {});

// stats[key] as an integer. Throws std::runtime_error "no '<key>' in <where>" if absent.
std::int64_t stat(const boost::json::object& stats, std::string_view key,
                  std::string_view where = "the simulator's stats");

class SimProcess {
 public:
  struct Options {
    // The start of the line the simulator prints once it is ready.
    std::string ready_prefix = "listening on ";
    std::chrono::milliseconds ready_timeout = std::chrono::seconds(60);
    // Where its stderr goes; empty: unique_temp_path(<program name>) + ".stderr".
    std::filesystem::path stderr_file = {};
  };

  // Starts argv[0] with the rest of argv and waits for the ready line. Throws
  // ChildProcessError (naming the program and how it ended) if it does not come.
  explicit SimProcess(std::vector<std::string> argv);
  SimProcess(std::vector<std::string> argv, Options options);

  // The ready line, and what follows the ready prefix in it ("127.0.0.1:40123", or the
  // path a writer names).
  const std::string& ready_line() const { return ready_line_; }
  std::string ready_text() const { return ready_line_.substr(prefix_size_); }
  // "http://" + ready_text(): for a server that says "listening on HOST:PORT".
  std::string base_url() const { return "http://" + ready_text(); }
  const std::filesystem::path& stderr_file() const { return stderr_file_; }

  // A request to base_url() + target (30 s timeout). `headers` are sent as given; a
  // non-empty body without a Content-Type gets "application/json". Throws
  // sdk::UpstreamError on a transport error.
  HttpResponse request(const std::string& method, const std::string& target, const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {}) const;
  // GET base_url() + target: the body, whatever the status.
  std::string get(const std::string& target) const;
  // GET base_url() + target as a JSON object. Throws if the body is not one.
  boost::json::object get_json(const std::string& target) const;

  ChildProcess& process() { return *process_; }

 private:
  std::filesystem::path stderr_file_;
  std::unique_ptr<ChildProcess> process_;
  std::string ready_line_;
  size_t prefix_size_ = 0;
};

// What an instance returned while polling until quiet.
struct Collected {
  std::vector<PolledRecord> records;
  std::vector<std::string> upstream_errors;  // messages of YZ_E_UPSTREAM polls
  std::vector<std::string> cursors_before;   // per record: the cursor of the poll that returned it
  int ok_polls = 0;
  std::string cursor;  // the last cursor
};

// Polls `instance` from the empty cursor, collecting every record. Before each poll it
// asks `upstream_quiet()` (e.g. "the simulator has no pending updates"); it returns once
// a poll comes back empty, has_more false, after the upstream said it was quiet — so
// the plugin has seen the upstream's final state. After an empty poll while the upstream
// was not quiet yet it calls `after_empty_poll` (e.g. wait for the simulator's next
// tick) if given. YZ_E_UPSTREAM polls are counted and retried; any other error status
// throws std::runtime_error. After `max_polls` it records a test failure and returns
// what it has.
Collected poll_until_quiet(InstanceUnderTest& instance, const std::function<bool()>& upstream_quiet,
                           int max_polls = 5000, const std::function<void()>& after_empty_poll = {});

}  // namespace yizhan::sdk::testkit
