// One running instance of a source plugin, driven through the C ABI. Every call is
// guarded: a status other than OK, or anything the plugin throws past its own
// guards, comes back as a PollResult with the plugin instance's name in the message.
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
  std::string message;  // "[hotline_county] poll: ..." when code != OK
  std::vector<PolledRecord> records;
  std::string next_cursor;
  bool has_more = false;
};

class SourceInstance {
 public:
  // Creates the instance; throws std::runtime_error naming instance and plugin on failure.
  SourceInstance(std::string name, const yz_plugin_descriptor& plugin, const yz_host_api* host,
                 const std::string& validated_config_json);
  ~SourceInstance();
  SourceInstance(const SourceInstance&) = delete;
  SourceInstance& operator=(const SourceInstance&) = delete;

  const std::string& name() const { return name_; }
  const std::string& plugin_name() const { return plugin_name_; }

  PollResult poll(const std::string& cursor);
  void on_committed(const std::string& cursor);

 private:
  std::string name_, plugin_name_;
  const yz_source_vtable* vt_;
  void* handle_ = nullptr;
};

}  // namespace yizhan::plugin
