#include "plugin/plugin_registry.hpp"

#include <spdlog/spdlog.h>

#include <yizhan/sdk/host.hpp>

namespace yizhan::plugin {
namespace {

void log_from_plugin(void*, int32_t level, yz_bytes instance, yz_bytes message) {
  std::string_view inst(instance.data ? instance.data : "", instance.size);
  std::string_view msg(message.data ? message.data : "", message.size);
  auto lvl = level <= YZ_LOG_TRACE   ? spdlog::level::trace
             : level == YZ_LOG_DEBUG ? spdlog::level::debug
             : level == YZ_LOG_INFO  ? spdlog::level::info
             : level == YZ_LOG_WARN  ? spdlog::level::warn
                                     : spdlog::level::err;
  spdlog::log(lvl, "[plugin:{}] {}", inst, msg);
}

}  // namespace

const yz_host_api* spdlog_host_api() {
  static const yz_host_api api{sizeof(yz_host_api), YZ_ABI_MAJOR, YZ_ABI_MINOR, nullptr, &log_from_plugin};
  return &api;
}

void PluginRegistry::load_all(const std::vector<PluginFile>& files) {
  std::vector<std::string> errors;
  for (const auto& f : files) {
    try {
      auto loaded = sdk::host::load_plugin(f.file, spdlog_host_api());
      const auto* d = loaded.descriptor;
      if (f.name != d->name) {
        errors.push_back("plugin " + f.file.string() + ": it is named '" + d->name + "', the config calls it '" +
                         f.name + "'");
        continue;
      }
      if (by_name_.contains(d->name)) {
        errors.push_back("plugin " + f.file.string() + ": a plugin named '" + d->name + "' is already loaded");
        continue;
      }
      by_name_[d->name] = d;
      spdlog::info("loaded plugin {} {} (ABI {}.{}) from {}", d->name, d->version, d->abi_major, d->abi_minor,
                   f.file.string());
    } catch (const std::exception& e) {
      errors.push_back(e.what());
    }
  }
  if (!errors.empty()) {
    std::string all = "cannot load plugins:";
    for (const auto& e : errors) all += "\n  " + e;
    throw core::ConfigError(all);
  }
}

const yz_plugin_descriptor* PluginRegistry::find(const std::string& name) const {
  auto it = by_name_.find(name);
  return it == by_name_.end() ? nullptr : it->second;
}

std::vector<InstancePlan> PluginRegistry::plan(const std::vector<InstanceConfig>& instances) const {
  std::vector<std::string> errors;
  std::vector<InstancePlan> out;
  for (size_t i = 0; i < instances.size(); ++i) {
    const auto& ic = instances[i];
    std::string where = "instances[" + std::to_string(i) + "] '" + ic.name + "' (plugin " + ic.plugin + ")";
    const auto* d = find(ic.plugin);
    if (!d) {
      errors.push_back(where + ": plugin is not loaded");
      continue;
    }
    auto check = sdk::host::validate_config(*d, where + " config", ic.config_json);
    for (auto& e : check.errors) errors.push_back(std::move(e));
    if (check.errors.empty()) out.push_back({ic, d, check.normalized_json});
  }
  if (!errors.empty()) {
    std::string all = "invalid plugin configuration:";
    for (const auto& e : errors) all += "\n  " + e;
    throw core::ConfigError(all);
  }
  return out;
}

}  // namespace yizhan::plugin
