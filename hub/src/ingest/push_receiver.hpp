// The receiving end of a push plugin (docs/architecture.md §2 step 1, "or the hub mounts
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

#include "crypto/crypto.hpp"
#include "db/database.hpp"
#include "ingest/group_commit.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/instance_health.hpp"
#include "ops/metrics.hpp"
#include "plugin/plugin_instance.hpp"
#include "plugin/plugin_registry.hpp"

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
  PushReceiver(plugin::InstancePlan plan, const db::Database& db, const crypto::PiiProtector& pii,
               ops::Metrics& metrics, IngestLimits limits, IngestSettings settings = {});
  ~PushReceiver();

  const std::string& instance() const { return plan_.config.name; }
  // Thread-safe. The plugin sees one request of an instance at a time (the ABI's
  // rule); the records of requests that arrive meanwhile are committed together
  // (GroupCommit), each request answered after the commit that holds its records.
  HookAnswer receive(const plugin::PushCall& call);
  InstanceHealth health() const;

 private:
  store::BatchOutcome store_group(const std::vector<plugin::PolledRecord>& records);

  plugin::InstancePlan plan_;
  const db::Database& db_;
  const crypto::PiiProtector& pii_;
  ops::Metrics& metrics_;
  IngestLimits limits_;
  IngestSettings settings_;
  std::mutex call_mutex_;  // one call into the plugin at a time
  std::unique_ptr<plugin::PluginInstance> instance_;
  std::unique_ptr<soci::session> sql_;  // used by the group's leader only
  GroupCommit commits_;
  mutable std::mutex health_mutex_;
  InstanceHealth health_;
};

}  // namespace yizhan::ingest
