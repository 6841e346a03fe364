// One running instance of a plugin, driven through the C ABI: its source capability
// (poll), its push capability (on_push, ABI 1.1) and its sink capability (deliver,
// ABI 1.2), whichever it has. Every call is
// guarded: a status other than OK, or anything the plugin throws past its own
// guards, comes back as a result with the plugin instance's name in the message.
#pragma once

#include <yizhan/sdk/abi.h>

#include <memory>
#include <string>
#include <vector>

namespace yizhan::plugin {

// One record as it crossed the ABI, copied into hub memory.
struct PolledRecord {
  std::string external_id;
  std::string case_json;
  std::string raw;
  std::string error;  // set by the plugin: it could not map the record
};

struct PollResult {
  int code = YZ_OK;     // yz_code
  std::string message;  // "[<instance>] poll: ..." when code != OK
  std::vector<PolledRecord> records;
  std::string next_cursor;
  bool has_more = false;
};

// One pushed request (POST /hooks/<instance>), copied into hub memory.
struct PushCall {
  std::string method, target, body;
  std::vector<std::pair<std::string, std::string>> headers;  // lower-case names
};

struct PushResult {
  int code = YZ_OK;     // yz_code of on_push
  std::string message;  // "[instance] on_push: ..." when code != OK
  int http_status = 0;  // as the plugin set it; 0 for the default
  std::string content_type, body;
  std::vector<PolledRecord> records;
};

// One write-back handed to the sink capability (ABI 1.2).
struct Delivery {
  std::string delivery_id, kind, external_id, payload_json;
};
struct DeliverResult {
  int code = YZ_OK;     // OK, UPSTREAM (retry later), INVALID_ARGUMENT (refused for good), other: a fault
  std::string message;  // "[<instance>] deliver: ..." when code != OK
};

class PluginInstance {
 public:
  // Creates the instance; throws std::runtime_error naming instance and plugin on failure.
  PluginInstance(std::string name, const yz_plugin_descriptor& plugin, const yz_host_api* host,
                 const std::string& validated_config_json);
  ~PluginInstance();
  PluginInstance(const PluginInstance&) = delete;
  PluginInstance& operator=(const PluginInstance&) = delete;

  const std::string& name() const { return name_; }
  const std::string& plugin_name() const { return plugin_name_; }

  bool can_poll() const { return source_ != nullptr; }
  bool can_push() const { return push_ != nullptr; }
  bool can_deliver() const { return sink_ != nullptr; }

  PollResult poll(const std::string& cursor);
  void on_committed(const std::string& cursor);
  PushResult push(const PushCall& call);
  DeliverResult deliver(const Delivery& delivery);

 private:
  std::string name_, plugin_name_;
  const yz_source_vtable* source_;
  const yz_push_vtable* push_;
  const yz_sink_vtable* sink_;
  void (*destroy_)(void*) = nullptr;
  void* handle_ = nullptr;
};

}  // namespace yizhan::plugin
