// The poll loop of one source instance (docs/architecture.md §2 steps 1–2, docs/architecture.md §14): load
// the committed cursor, poll, ingest the batch with the cursor in one transaction,
// then tell the plugin. Failures are reported by instance name, counted, and backed
// off exponentially up to max_backoff_ms; an unreadable cursor stops the instance
// until an operator resets it; a poll that does not return within timeout_ms is
// abandoned and counted, and the instance waits for the plugin before polling again.
// Two threads per instance (the loop, and the one plugin calls run on), owned and
// joined here.
#pragma once

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>

#include "crypto/crypto.hpp"
#include "db/database.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/instance_health.hpp"
#include "ops/metrics.hpp"
#include "plugin/plugin_call_thread.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"

namespace yizhan::ingest {

// A poll that returned an error status; cursor_invalid stops the instance.
struct PollFailure : std::runtime_error {
  PollFailure(const std::string& m, bool bad_cursor) : std::runtime_error(m), cursor_invalid(bad_cursor) {}
  bool cursor_invalid;
};

class SourceRunner {
 public:
  SourceRunner(plugin::InstancePlan plan, const db::Database& db, const crypto::PiiProtector& pii,
               ops::Metrics& metrics, IngestLimits limits, IngestSettings settings = {});
  ~SourceRunner();  // stops and joins

  void start();
  void stop();
  // One poll and commit on the caller's thread (tests, tools). True if the instance
  // has more to give right away. Throws PollFailure, or StoreError if storing failed.
  bool run_once();
  InstanceHealth health() const;

 private:
  void loop();
  void fail(const std::string& message, bool stop_instance);

  plugin::InstancePlan plan_;
  const db::Database& db_;
  const crypto::PiiProtector& pii_;
  ops::Metrics& metrics_;
  IngestLimits limits_;
  IngestSettings settings_;
  std::unique_ptr<plugin::PluginInstance> instance_;
  std::unique_ptr<soci::session> sql_;
  plugin::PluginCallThread calls_;  // destroyed first: waits for an abandoned poll

  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  InstanceHealth health_;
  std::thread thread_;
};

}  // namespace yizhan::ingest
