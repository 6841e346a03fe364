// The hub's own configuration file (config/demo.yaml is the example): database,
// HTTP, PII key, which plugin files to load and which instances to run. Plugin
// instance configs are kept as JSON here and validated against each plugin's schema
// by the plugin layer. Unknown keys are errors with their path, like plugin config.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace yizhan::core {

// A config that cannot be used; what() lists every problem, one per line.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct DatabaseConfig {
  std::string backend = "sqlite";  // sqlite | postgresql
  std::string path = "yizhan.db";  // sqlite: file, relative to the data dir
  std::string connection;          // postgresql: libpq conninfo ("host=... dbname=...")
};

struct HttpConfig {
  std::string bind = "127.0.0.1";
  int port = 8080;
  int threads = 2;
};

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

// Limits applied to every ingested record (docs/architecture.md §2 step 2): longer is a dead letter.
struct IngestLimits {
  size_t title_max_bytes = 1000;
  size_t description_max_bytes = 20000;
  size_t field_max_bytes = 1000;  // every other text field
  size_t raw_max_bytes = 1 << 20;
};

// Cross-system linking (docs/architecture.md §6, docs/configuration.md "linking"): which open cases
// a new record is compared with, and what score joins it to one or proposes it.
struct LinkingConfig {
  bool enabled = true;
  int window_days = 30;           // candidates by place: received within ± this many days
  double auto_join_score = 0.75;  // at or above: the record joins the case (a merge event)
  double propose_score = 0.5;     // at or above (and below auto_join_score): a proposal for staff
  int max_candidates = 50;        // per lookup (reporter, grid, division), nearest in time first
  bool same_instance = false;     // also link records of one instance (its system dedups its own)
  // Field authority: field -> systems (plugin names), most authoritative first. Where
  // the sources of one case disagree on a field, the first listed system that has a
  // value wins; systems not listed follow, earliest joined first. The losing values are
  // kept as field_conflict events.
  std::map<std::string, std::vector<std::string>> authority;
};

// Routing (docs/architecture.md §5): the rule file and the county file whose department ids rules
// may name; both resolved against the config file's folder. Empty rules: no routing.
struct RoutingConfig {
  std::filesystem::path rules;
  std::filesystem::path county;
};

// SLA clocks (docs/architecture.md §5): the durations file and the folder of the official calendars
// (calendar-cn-YYYY.yaml), resolved against the config file's folder; the overdue sweep
// runs every sweep_interval_ms. Empty file: no obligations.
struct SlaConfig {
  std::filesystem::path file;
  std::filesystem::path calendars;
  int sweep_interval_ms = 60000;
};

// The hub clock (core/time.hpp): a training or test installation may start it at
// another instant (`start`, ISO 8601 with a zone) and let an admin move it forward
// (`adjustable`: POST /api/v1/admin/clock). Production leaves both unset.
struct ClockConfig {
  std::string start;
  bool adjustable = false;
};

// Write-back (docs/architecture.md §2 step 6): the outbox's retry schedule. A failed delivery is
// tried again after retry_initial_ms, doubling up to the instance's max_backoff_ms; the
// outbox of each sink instance is looked at every check_interval_ms when idle.
struct WriteBackConfig {
  int retry_initial_ms = 1000;
  int check_interval_ms = 1000;
};

// Who may call the API (auth/tokens.hpp): tokens required (the default; false only for
// a hub whose API no one else can reach), and the departments whose operators are the
// one-stop counter (they triage, pass on, join and close every case).
struct AuthConfig {
  bool required = true;
  std::vector<std::string> counter_departments;
};

// The counter page (hub/web, served at /): where its files are (empty: the folder
// installed beside the executable, <exe>/../share/yizhan/web) and how long a signed-in
// session may stay idle (on the hub clock) before it ends.
// system_labels: each source system's name for people, per page language
// ({<plugin name>: {zh-CN: <中文名>, en: <English name>}}): the page shows these, never
// a name of its own.
struct WebConfig {
  std::filesystem::path root;
  int idle_timeout_minutes = 30;
  std::map<std::string, std::map<std::string, std::string>> system_labels;
};

// Matters registered at the counter (POST /api/v1/cases): the source system they are
// recorded under, and the taxonomy file whose categories the intake form offers and
// accepts (empty: any category, none offered).
struct IntakeConfig {
  std::string system = "counter";
  std::filesystem::path taxonomy;
};

// The ledger's checkpoints (ledger/checkpoints.hpp): the running hub records the head
// every checkpoint_interval_minutes (0: only on demand).
struct AuditConfig {
  int checkpoint_interval_minutes = 60;
};

struct HubConfig {
  std::filesystem::path file;      // where it was read from
  std::filesystem::path data_dir;  // --data-dir, else `data_dir:`, else ./data
  DatabaseConfig database;
  HttpConfig http;
  std::filesystem::path pii_key_file = "pii.key";  // relative to data_dir; made if missing
  std::filesystem::path plugin_dir;                // relative to the config file
  std::vector<PluginFile> plugins;
  std::vector<InstanceConfig> instances;
  IngestLimits limits;
  LinkingConfig linking;
  RoutingConfig routing;
  SlaConfig sla;
  ClockConfig clock;
  WriteBackConfig write_back;
  AuthConfig auth;
  WebConfig web;
  IntakeConfig intake;
  AuditConfig audit;

  // The instance of that name, or null.
  const InstanceConfig* instance(const std::string& name) const;
  // The SOCI backend name and connection string for `database`.
  std::string soci_backend() const;
  std::string soci_connection() const;
};

// Reads and checks the file. Throws ConfigError listing every problem with its path
// (e.g. "instances[1].poll_interval_ms: expected an integer").
HubConfig load_hub_config(const std::filesystem::path& file,
                          const std::optional<std::filesystem::path>& data_dir_override = std::nullopt);

// Where plugins are when the config does not say: <dir of the executable>/../lib/yizhan/plugins.
std::filesystem::path default_plugin_dir();
// Where the counter page is when the config does not say: <dir of the executable>/../share/yizhan/web.
std::filesystem::path default_web_root();

}  // namespace yizhan::core
