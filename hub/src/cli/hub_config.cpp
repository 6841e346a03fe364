#include "cli/hub_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::cli {
namespace {

YAML::Node load_yaml(const std::filesystem::path& file) {
  try {
    return YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    throw core::ConfigError(file.string() + ": cannot read the file");
  } catch (const YAML::Exception& e) {
    throw core::ConfigError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

// Each layer's section, read by that layer when the file has it.
void read_sections(core::ConfigReader& r, const YAML::Node& root, HubConfig& c) {
  if (auto n = root["database"]) db::read_database_config(r, n, c.database);
  if (auto n = root["http"]) http::read_http_config(r, n, c.http);
  if (auto n = root["pii"]) crypto::read_pii_config(r, n, c.pii);
  if (auto n = root["limits"]) ingest::read_limits_config(r, n, c.limits);
  if (auto n = root["linking"]) link::read_linking_config(r, n, c.linking);
  if (auto n = root["routing"]) routing::read_routing_config(r, n, c.routing);
  if (auto n = root["sla"]) sla::read_sla_config(r, n, c.sla);
  if (auto n = root["clock"]) core::read_clock_config(r, n, c.clock);
  if (auto n = root["write_back"]) writeback::read_write_back_config(r, n, c.write_back);
  if (auto n = root["auth"]) auth::read_auth_config(r, n, c.auth);
  if (auto n = root["web"]) http::read_web_config(r, n, c.web);
  if (auto n = root["intake"]) ingest::read_intake_config(r, n, c.intake);
  if (auto n = root["audit"]) ledger::read_audit_config(r, n, c.audit);
  std::string plugin_dir;
  r.get(root, "plugin_dir", "", plugin_dir);
  c.plugin_dir = plugin_dir.empty() ? plugin::default_plugin_dir() : r.resolve(plugin_dir);
  if (auto n = root["plugins"]) plugin::read_plugin_files(r, n, c.plugin_dir, c.plugins);
  if (auto n = root["instances"]) plugin::read_instance_configs(r, n, c.plugins, c.instances);
}

}  // namespace

const plugin::InstanceConfig* HubConfig::instance(const std::string& name) const {
  for (const auto& i : instances)
    if (i.name == name) return &i;
  return nullptr;
}

std::filesystem::path HubConfig::pii_key_file() const {
  return pii.key_file.is_relative() ? data_dir / pii.key_file : pii.key_file;
}

HubConfig load_hub_config(const std::filesystem::path& file,
                          const std::optional<std::filesystem::path>& data_dir_override) {
  const YAML::Node root = load_yaml(file);
  if (!root.IsMap()) throw core::ConfigError(file.string() + ": expected a mapping at the top level");
  HubConfig c;
  c.file = file;
  core::ConfigReader r(file.parent_path());
  r.known(root, "",
          {"data_dir", "database", "http", "pii", "plugin_dir", "plugins", "instances", "limits", "linking", "routing",
           "sla", "clock", "write_back", "auth", "web", "intake", "audit"});
  std::string data_dir = "data";
  r.get(root, "data_dir", "", data_dir);
  c.data_dir = data_dir_override ? *data_dir_override : std::filesystem::path(data_dir);
  read_sections(r, root, c);
  if (!r.errors().empty()) {
    std::string all = file.string() + ": invalid configuration:";
    for (const auto& e : r.errors()) all += "\n  " + e;
    throw core::ConfigError(all);
  }
  return c;
}

}  // namespace yizhan::cli
