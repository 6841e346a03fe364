// The delivery loop of one instance with the sink capability (docs/architecture.md §2 step 6): takes
// the oldest pending write-back of the instance's outbox, hands it to the plugin's
// deliver(), and records the outcome. Delivered or refused: the next one at once.
// Not now (the system is down, a 5xx, a timeout): the same row again after a backoff
// that doubles from write_back.retry_initial_ms up to the instance's max_backoff_ms,
// and nothing after it goes first, so the system receives its write-backs in the
// order they happened. It has its own plugin instance and call thread (the ABI allows
// one call at a time per instance), owned and joined here.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "db/database.hpp"
#include "ops/metrics.hpp"
#include "plugin/plugin_call_thread.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "writeback/writeback_config.hpp"

namespace yizhan::writeback {

struct DeliveryHealth {
  std::string state = "idle";                        // idle | ok | retrying
  int64_t delivered = 0, refused = 0, failures = 0;  // since start
  int64_t consecutive_failures = 0;
  std::string last_error, last_error_at, last_delivered_at;
};

class DeliveryRunner {
 public:
  DeliveryRunner(plugin::InstancePlan plan, const db::Database& db, ops::Metrics& metrics, WriteBackConfig config);
  ~DeliveryRunner();  // stops and joins

  void start();
  void stop();
  // One attempt at the head of the queue on the caller's thread. True when a row was
  // settled (delivered or refused), so the next may go at once.
  bool run_once();
  DeliveryHealth health() const;
  const std::string& instance() const { return plan_.config.name; }

 private:
  void loop();

  plugin::InstancePlan plan_;
  const db::Database& db_;
  ops::Metrics& metrics_;
  WriteBackConfig config_;
  std::shared_ptr<plugin::PluginInstance> instance_;
  std::unique_ptr<soci::session> sql_;
  plugin::PluginCallThread calls_;  // destroyed first: waits for an abandoned call

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  DeliveryHealth health_;
  std::thread thread_;
};

}  // namespace yizhan::writeback
