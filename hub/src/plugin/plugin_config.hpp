// The `plugin_dir:`, `plugins:` and `instances:` sections of the hub config
// (docs/configuration.md): which plugin files to load and which instances to run.
// Instance configs are kept as JSON here and validated against each plugin's schema
// when the plugins load (PluginRegistry::plan).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "core/config_reader.hpp"

namespace yizhan::plugin {

struct PluginFile {
  std::string name;            // the plugin's descriptor name
  std::filesystem::path file;  // resolved against plugin_dir
};

struct InstanceConfig {
  std::string name;    // unique, [a-z][a-z0-9_]*
  std::string plugin;  // a PluginFile name
  int poll_interval_ms = 5000;
  int timeout_ms = 30000;
  int max_backoff_ms = 300000;
  std::string config_json;  // the instance's plugin config, scalars as strings
};

// The plugin files, each resolved against plugin_dir (a file not given: yizhan_<name>.so).
void read_plugin_files(core::ConfigReader& r, const YAML::Node& n, const std::filesystem::path& plugin_dir,
                       std::vector<PluginFile>& out);
// The instances, each of a plugin in `plugins`.
void read_instance_configs(core::ConfigReader& r, const YAML::Node& n, const std::vector<PluginFile>& plugins,
                           std::vector<InstanceConfig>& out);

// Where plugins are when the config does not say: <dir of the executable>/../lib/yizhan/plugins.
std::filesystem::path default_plugin_dir();

}  // namespace yizhan::plugin
