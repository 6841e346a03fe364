// The real `yizhan serve` as a child process, for tests that treat the hub as county
// IT does: a config file on disk, a data dir, a port, signals, and the HTTP API.
#pragma once

#include <boost/json/value.hpp>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>
#include <yizhan/sdk/child_process.hpp>
#include <yizhan/sdk/http_client.hpp>

#include "support/test_paths.hpp"

namespace yizhan::test {

// Writes `yaml` to <dir>/hub.yaml and returns its path. The text may use
// ${PLUGIN_DIR} and ${TEST_PLUGIN_DIR}, replaced by the build's folders.
std::filesystem::path write_hub_config(const std::filesystem::path& dir, std::string yaml);

// Runs `yizhan <args...>` to completion; its exit code, stdout and stderr.
struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};
CommandResult run_yizhan(const std::vector<std::string>& args,
                         std::chrono::milliseconds timeout = std::chrono::seconds(120));

class HubProcess {
 public:
  // Starts `yizhan serve --config CONFIG --data-dir DATA --port 0` and waits for its
  // "listening on" line. Its stderr (the log) goes to <data_dir>/serve-N.log.
  HubProcess(const std::filesystem::path& config, const std::filesystem::path& data_dir);

  std::uint16_t port() const { return port_; }
  // The admin token the fixture made for its data dir (sent by get_json and request).
  const std::string& token() const { return token_; }
  // Any request on the hub, with the admin token unless another is given.
  sdk::HttpResponse request(const std::string& method, const std::string& target, std::string body = {},
                            const std::string& token = {}) const;
  // GET on the hub; throws if the answer is not 200 or not JSON.
  boost::json::value get_json(const std::string& target) const;
  std::string get_text(const std::string& target) const;
  // The log written so far (for failure messages and log assertions).
  std::string log() const;
  sdk::testkit::ChildProcess& process() { return *process_; }

 private:
  std::filesystem::path log_;
  std::unique_ptr<sdk::testkit::ChildProcess> process_;
  std::uint16_t port_ = 0;
  std::string token_;
};

// A plugin's config.example.yaml with base_url set to `url` (when given) and page_size
// 50, indented as an instance's `config:` block of a hub config.
std::string plugin_example_config(const std::string& plugin, const std::string& url = {});

// Waits for a simulator's "listening on HOST:PORT" line; its http:// URL.
std::string listening_url(sdk::testkit::ChildProcess& sim);

// Polls `condition` until it is true or `timeout` passes; returns its last value.
template <class F>
bool eventually(F condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds every = std::chrono::milliseconds(100));

}  // namespace yizhan::test

#include <thread>

template <class F>
bool yizhan::test::eventually(F condition, std::chrono::milliseconds timeout, std::chrono::milliseconds every) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (condition()) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}
