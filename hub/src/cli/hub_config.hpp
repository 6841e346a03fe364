// The hub's configuration file (config/demo.yaml is the example; docs/configuration.md
// describes every key): the sections of each layer, composed. Each layer owns its
// section's struct and reader (`<layer>/<section>_config.hpp`); this file knows only
// which key holds which section. Unknown keys are errors with their path, like plugin
// config.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "auth/auth_config.hpp"
#include "core/clock_config.hpp"
#include "crypto/pii_config.hpp"
#include "db/database_config.hpp"
#include "http/http_config.hpp"
#include "ingest/ingest_config.hpp"
#include "ledger/audit_config.hpp"
#include "link/linking_config.hpp"
#include "plugin/plugin_config.hpp"
#include "routing/routing_config.hpp"
#include "sla/sla_config.hpp"
#include "writeback/writeback_config.hpp"

namespace yizhan::cli {

struct HubConfig {
  std::filesystem::path file;      // where it was read from
  std::filesystem::path data_dir;  // --data-dir, else `data_dir:`, else ./data
  db::DatabaseConfig database;
  http::HttpConfig http;
  crypto::PiiConfig pii;
  std::filesystem::path plugin_dir;  // relative to the config file; default plugin::default_plugin_dir()
  std::vector<plugin::PluginFile> plugins;
  std::vector<plugin::InstanceConfig> instances;
  ingest::IngestLimits limits;
  link::LinkingConfig linking;
  routing::RoutingConfig routing;
  sla::SlaConfig sla;
  core::ClockConfig clock;
  writeback::WriteBackConfig write_back;
  auth::AuthConfig auth;
  http::WebConfig web;
  ingest::IntakeConfig intake;
  ledger::AuditConfig audit;

  // The instance of that name, or null.
  const plugin::InstanceConfig* instance(const std::string& name) const;
  // The PII key file, a relative one in data_dir.
  std::filesystem::path pii_key_file() const;
  // The SOCI connection string for `database` (a relative SQLite file in data_dir).
  std::string soci_connection() const { return database.soci_connection(data_dir); }
};

// Reads and checks the file. Throws core::ConfigError listing every problem with its path
// (e.g. "instances[1].poll_interval_ms: expected an integer (line 12)").
HubConfig load_hub_config(const std::filesystem::path& file,
                          const std::optional<std::filesystem::path>& data_dir_override = std::nullopt);

}  // namespace yizhan::cli
