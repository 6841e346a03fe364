// The plugins named in the hub config: loaded one at a time in config order, each
// checked (entry point, descriptor, ABI, name) before use, never unloaded; and every
// instance's config validated against its plugin's schema before anything starts.
#pragma once

#include <yizhan/sdk/abi.h>

#include <map>
#include <string>
#include <vector>

#include "plugin/plugin_config.hpp"

namespace yizhan::plugin {

// An instance ready to create: its hub config plus the plugin and validated config.
struct InstancePlan {
  InstanceConfig config;
  const yz_plugin_descriptor* plugin = nullptr;
  std::string validated_config_json;
};

class PluginRegistry {
 public:
  // Loads every file. Throws core::ConfigError listing every plugin that failed,
  // each message naming the file and the reason.
  void load_all(const std::vector<PluginFile>& files);
  const yz_plugin_descriptor* find(const std::string& name) const;
  const std::map<std::string, const yz_plugin_descriptor*>& plugins() const { return by_name_; }

  // Validates every instance's config; throws core::ConfigError listing all problems
  // as "instances[i] 'name' (plugin p): ...".
  std::vector<InstancePlan> plan(const std::vector<InstanceConfig>& instances) const;

 private:
  std::map<std::string, const yz_plugin_descriptor*> by_name_;
};

// The host API handed to plugins: their log lines go to spdlog as
// "[plugin:<instance>] message".
const yz_host_api* spdlog_host_api();

}  // namespace yizhan::plugin
