// The receiving end of a push plugin (DESIGN §2 step 1, "or the hub mounts
// /hooks/<instance>"): each pushed request is handed to the plugin, the records it
// returns are stored exactly as a polled batch is (validated, upserted, bad ones
// dead-lettered, one transaction), and only then does the sender get the plugin's
// acknowledgement. If storing fails the sender gets 503 and retries; the upsert
// makes the retry harmless. A request the plugin refuses (bad signature) is answered
// with the plugin's 4xx and nothing of it is stored.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "core/crypto.hpp"
#include "core/metrics.hpp"
#include "ingest/instance_health.hpp"
#include "ingest/new_case_pipeline.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"
#include "store/database.hpp"

namespace yizhan::ingest {

// What the hub answers the department system.
struct HookAnswer {
  int status = 200;
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

class PushReceiver {
 public:
  // Creates the plugin instance; throws std::runtime_error naming it on failure.
  PushReceiver(plugin::InstancePlan plan, const store::Database& db, const core::PiiProtector& pii,
               core::Metrics& metrics, core::IngestLimits limits, NewCaseSettings settings = {});
  ~PushReceiver();

  const std::string& instance() const { return plan_.config.name; }
  // Thread-safe: requests to one instance are handled one at a time (the ABI's rule).
  HookAnswer receive(const plugin::PushCall& call);
  InstanceHealth health() const;

 private:
  plugin::InstancePlan plan_;
  const store::Database& db_;
  const core::PiiProtector& pii_;
  core::Metrics& metrics_;
  core::IngestLimits limits_;
  NewCaseSettings settings_;
  std::mutex call_mutex_;  // one call into the plugin at a time
  std::unique_ptr<plugin::PluginInstance> instance_;
  std::unique_ptr<soci::session> sql_;
  mutable std::mutex health_mutex_;
  InstanceHealth health_;
};

}  // namespace yizhan::ingest
