#include "plugin/plugin_config.hpp"

#include <yaml-cpp/yaml.h>

#include <yizhan/sdk/host.hpp>

namespace yizhan::plugin {

void read_plugin_files(core::ConfigReader& r, const YAML::Node& ps, const std::filesystem::path& plugin_dir,
                       std::vector<PluginFile>& out) {
  if (!ps.IsSequence()) r.error("plugins: expected a list of {name, file}");
  std::set<std::string> names;
  for (size_t i = 0; ps.IsSequence() && i < ps.size(); ++i) {
    std::string path = "plugins[" + std::to_string(i) + "]";
    r.known(ps[i], path, {"name", "file"});
    PluginFile pf;
    std::string f;
    r.get(ps[i], "name", path, pf.name);
    r.get(ps[i], "file", path, f);
    if (!core::is_config_identifier(pf.name)) r.error(path + ".name: '" + pf.name + "' is not a lower_snake_case name");
    if (!names.insert(pf.name).second) r.error(path + ".name: '" + pf.name + "' is listed twice");
    if (f.empty()) f = "yizhan_" + pf.name + ".so";
    pf.file = std::filesystem::path(f).is_relative() ? plugin_dir / f : std::filesystem::path(f);
    out.push_back(pf);
  }
}

void read_instance_configs(core::ConfigReader& r, const YAML::Node& is, const std::vector<PluginFile>& plugins,
                           std::vector<InstanceConfig>& out) {
  if (!is.IsSequence()) r.error("instances: expected a list");
  std::set<std::string> plugin_names, instance_names;
  for (const auto& p : plugins) plugin_names.insert(p.name);
  for (size_t i = 0; is.IsSequence() && i < is.size(); ++i) {
    std::string path = "instances[" + std::to_string(i) + "]";
    r.known(is[i], path, {"name", "plugin", "poll_interval_ms", "timeout_ms", "max_backoff_ms", "config"});
    InstanceConfig ic;
    r.get(is[i], "name", path, ic.name);
    r.get(is[i], "plugin", path, ic.plugin);
    r.get(is[i], "poll_interval_ms", path, ic.poll_interval_ms);
    r.get(is[i], "timeout_ms", path, ic.timeout_ms);
    r.get(is[i], "max_backoff_ms", path, ic.max_backoff_ms);
    if (!core::is_config_identifier(ic.name)) r.error(path + ".name: '" + ic.name + "' is not a lower_snake_case name");
    if (!instance_names.insert(ic.name).second) r.error(path + ".name: '" + ic.name + "' is used twice");
    if (!plugin_names.contains(ic.plugin)) r.error(path + ".plugin: '" + ic.plugin + "' is not in the plugins list");
    if (ic.poll_interval_ms < 10) r.error(path + ".poll_interval_ms: must be at least 10");
    if (ic.timeout_ms < 100) r.error(path + ".timeout_ms: must be at least 100");
    ic.config_json = is[i]["config"] ? yizhan::sdk::host::yaml_to_json(YAML::Dump(is[i]["config"])) : "{}";
    out.push_back(std::move(ic));
  }
}

std::filesystem::path default_plugin_dir() { return core::beside_executable("lib/yizhan/plugins", "plugins"); }

}  // namespace yizhan::plugin
