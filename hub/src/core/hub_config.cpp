#include "core/hub_config.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <yizhan/sdk/host.hpp>

#include "core/time.hpp"

namespace yizhan::core {
namespace {

struct Reader {
  std::vector<std::string> errors{};
  std::filesystem::path base{};  // the config file's folder

  // A path the file gives, against the file's folder ("" stays "").
  std::filesystem::path resolve(const std::string& p) const {
    return p.empty()                                ? std::filesystem::path()
           : std::filesystem::path(p).is_relative() ? base / p
                                                    : std::filesystem::path(p);
  }

  void known(const YAML::Node& n, const std::string& path, std::set<std::string> keys) {
    if (!n.IsMap()) return;
    for (const auto& kv : n) {
      auto k = kv.first.as<std::string>();
      if (!keys.contains(k)) {
        std::string list;
        for (const auto& x : keys) list += (list.empty() ? "" : ", ") + x;
        errors.push_back(path + (path.empty() ? "" : ".") + k + ": unknown key (known: " + list + ")");
      }
    }
  }
  template <class T>
  void get(const YAML::Node& n, const char* key, const std::string& path, T& out) {
    if (!n[key]) return;
    try {
      out = n[key].as<T>();
    } catch (const YAML::Exception&) {
      errors.push_back(path + (path.empty() ? "" : ".") + key + ": expected " +
                       (std::is_same_v<T, bool>       ? "true or false"
                        : std::is_integral_v<T>       ? "an integer"
                        : std::is_floating_point_v<T> ? "a number"
                                                      : "a string") +
                       " (line " + std::to_string(n[key].Mark().line + 1) + ")");
    }
  }
};

bool is_identifier(const std::string& s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

YAML::Node load_yaml(const std::filesystem::path& file) {
  try {
    return YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    throw ConfigError(file.string() + ": cannot read the file");
  } catch (const YAML::Exception& e) {
    throw ConfigError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

void read_database(Reader& r, const YAML::Node& db, DatabaseConfig& out) {
  r.known(db, "database", {"backend", "path", "connection"});
  r.get(db, "backend", "database", out.backend);
  r.get(db, "path", "database", out.path);
  r.get(db, "connection", "database", out.connection);
  if (out.backend != "sqlite" && out.backend != "postgresql")
    r.errors.push_back("database.backend: '" + out.backend + "' is not one of sqlite, postgresql");
  if (out.backend == "postgresql" && out.connection.empty())
    r.errors.push_back("database.connection: required for postgresql (e.g. \"host=127.0.0.1 dbname=yizhan\")");
}

void read_http(Reader& r, const YAML::Node& h, HttpConfig& out) {
  r.known(h, "http", {"bind", "port", "threads"});
  r.get(h, "bind", "http", out.bind);
  r.get(h, "port", "http", out.port);
  r.get(h, "threads", "http", out.threads);
  if (out.port < 0 || out.port > 65535) r.errors.push_back("http.port: out of range 0..65535");
  if (out.threads < 1 || out.threads > 64) r.errors.push_back("http.threads: out of range 1..64");
}

void read_pii(Reader& r, const YAML::Node& p, std::filesystem::path& key_file) {
  r.known(p, "pii", {"key_file"});
  std::string k;
  r.get(p, "key_file", "pii", k);
  if (!k.empty()) key_file = k;
}

void read_limits(Reader& r, const YAML::Node& l, IngestLimits& out) {
  r.known(l, "limits", {"title_max_bytes", "description_max_bytes", "field_max_bytes", "raw_max_bytes"});
  r.get(l, "title_max_bytes", "limits", out.title_max_bytes);
  r.get(l, "description_max_bytes", "limits", out.description_max_bytes);
  r.get(l, "field_max_bytes", "limits", out.field_max_bytes);
  r.get(l, "raw_max_bytes", "limits", out.raw_max_bytes);
}

// linking.authority: field -> the systems most authoritative for it.
void read_authority(Reader& r, const YAML::Node& a, std::map<std::string, std::vector<std::string>>& out) {
  static const std::set<std::string> fields = {"title",         "description",   "category", "channel", "urgency",
                                               "division_code", "division_year", "address",  "grid_id"};
  if (!a.IsMap()) r.errors.push_back("linking.authority: expected a mapping of field: [systems]");
  r.known(a, "linking.authority", fields);
  for (const auto& kv : a.IsMap() ? a : YAML::Node()) {
    const auto field = kv.first.as<std::string>();
    if (!fields.contains(field)) continue;
    try {
      out[field] = kv.second.as<std::vector<std::string>>();
    } catch (const YAML::Exception&) {
      r.errors.push_back("linking.authority." + field + ": expected a list of system (plugin) names (line " +
                         std::to_string(kv.second.Mark().line + 1) + ")");
    }
  }
}

void read_linking(Reader& r, const YAML::Node& l, LinkingConfig& k) {
  r.known(
      l, "linking",
      {"enabled", "window_days", "auto_join_score", "propose_score", "max_candidates", "same_instance", "authority"});
  r.get(l, "enabled", "linking", k.enabled);
  r.get(l, "window_days", "linking", k.window_days);
  r.get(l, "auto_join_score", "linking", k.auto_join_score);
  r.get(l, "propose_score", "linking", k.propose_score);
  r.get(l, "max_candidates", "linking", k.max_candidates);
  r.get(l, "same_instance", "linking", k.same_instance);
  if (k.window_days < 0 || k.window_days > 3650) r.errors.push_back("linking.window_days: must be 0..3650");
  if (k.max_candidates < 1 || k.max_candidates > 1000) r.errors.push_back("linking.max_candidates: must be 1..1000");
  if (!(k.propose_score > 0 && k.propose_score <= k.auto_join_score && k.auto_join_score <= 1))
    r.errors.push_back("linking: need 0 < propose_score <= auto_join_score <= 1 (got " +
                       std::to_string(k.propose_score) + " and " + std::to_string(k.auto_join_score) + ")");
  if (auto a = l["authority"]) read_authority(r, a, k.authority);
}

void read_routing(Reader& r, const YAML::Node& rt, RoutingConfig& out) {
  r.known(rt, "routing", {"rules", "county"});
  std::string rules, county;
  r.get(rt, "rules", "routing", rules);
  r.get(rt, "county", "routing", county);
  out.rules = r.resolve(rules);
  out.county = r.resolve(county);
  if (rules.empty()) r.errors.push_back("routing.rules: required when routing is given (the rule file)");
}

void read_sla(Reader& r, const YAML::Node& sl, SlaConfig& out) {
  r.known(sl, "sla", {"file", "calendars", "sweep_interval_ms"});
  std::string file, calendars;
  r.get(sl, "file", "sla", file);
  r.get(sl, "calendars", "sla", calendars);
  r.get(sl, "sweep_interval_ms", "sla", out.sweep_interval_ms);
  out.file = r.resolve(file);
  out.calendars = r.resolve(calendars);
  if (file.empty() || calendars.empty())
    r.errors.push_back("sla: both file (the SLA durations) and calendars (their folder) are required");
  if (out.sweep_interval_ms < 100) r.errors.push_back("sla.sweep_interval_ms: must be at least 100");
}

void read_clock(Reader& r, const YAML::Node& ck, ClockConfig& out) {
  r.known(ck, "clock", {"start", "adjustable"});
  r.get(ck, "start", "clock", out.start);
  r.get(ck, "adjustable", "clock", out.adjustable);
  if (!out.start.empty() && !parse_instant(out.start))
    r.errors.push_back("clock.start: '" + out.start + "' is not ISO 8601 with a zone (e.g. 2026-02-12T09:00:00+08:00)");
}

void read_write_back(Reader& r, const YAML::Node& wb, WriteBackConfig& out) {
  r.known(wb, "write_back", {"retry_initial_ms", "check_interval_ms"});
  r.get(wb, "retry_initial_ms", "write_back", out.retry_initial_ms);
  r.get(wb, "check_interval_ms", "write_back", out.check_interval_ms);
  if (out.retry_initial_ms < 10) r.errors.push_back("write_back.retry_initial_ms: must be at least 10");
  if (out.check_interval_ms < 10) r.errors.push_back("write_back.check_interval_ms: must be at least 10");
}

void read_auth(Reader& r, const YAML::Node& au, AuthConfig& out) {
  r.known(au, "auth", {"required", "counter_departments"});
  r.get(au, "required", "auth", out.required);
  if (auto cd = au["counter_departments"]) {
    try {
      out.counter_departments = cd.as<std::vector<std::string>>();
    } catch (const YAML::Exception&) {
      r.errors.push_back("auth.counter_departments: expected a list of department ids");
    }
  }
}

void read_web(Reader& r, const YAML::Node& w, WebConfig& out) {
  r.known(w, "web", {"root", "idle_timeout_minutes", "system_labels"});
  if (auto labels = w["system_labels"]) {
    try {
      out.system_labels = labels.as<std::map<std::string, std::map<std::string, std::string>>>();
    } catch (const YAML::Exception&) {
      r.errors.push_back(
          "web.system_labels: expected {system: {language: name}} (e.g. {my_system: {zh-CN: 某系统, en: My system}})");
    }
  }
  std::string web_root;
  r.get(w, "root", "web", web_root);
  if (!web_root.empty()) out.root = r.resolve(web_root);
  r.get(w, "idle_timeout_minutes", "web", out.idle_timeout_minutes);
  if (out.idle_timeout_minutes < 1 || out.idle_timeout_minutes > 24 * 60)
    r.errors.push_back("web.idle_timeout_minutes: expected 1 to 1440");
}

void read_intake(Reader& r, const YAML::Node& in, IntakeConfig& out) {
  r.known(in, "intake", {"system", "taxonomy"});
  r.get(in, "system", "intake", out.system);
  std::string taxonomy;
  r.get(in, "taxonomy", "intake", taxonomy);
  if (!taxonomy.empty()) out.taxonomy = r.resolve(taxonomy);
  if (out.system.empty() || out.system.size() > 32)
    r.errors.push_back("intake.system: expected a name of 1 to 32 characters");
}

void read_audit(Reader& r, const YAML::Node& a, AuditConfig& out) {
  r.known(a, "audit", {"checkpoint_interval_minutes"});
  r.get(a, "checkpoint_interval_minutes", "audit", out.checkpoint_interval_minutes);
  if (out.checkpoint_interval_minutes < 0 || out.checkpoint_interval_minutes > 7 * 24 * 60)
    r.errors.push_back("audit.checkpoint_interval_minutes: expected 0 (on demand only) to 10080");
}

// The plugin files, each resolved against plugin_dir.
void read_plugins(Reader& r, const YAML::Node& ps, const std::filesystem::path& plugin_dir,
                  std::vector<PluginFile>& out) {
  if (!ps.IsSequence()) r.errors.push_back("plugins: expected a list of {name, file}");
  std::set<std::string> names;
  for (size_t i = 0; ps.IsSequence() && i < ps.size(); ++i) {
    std::string path = "plugins[" + std::to_string(i) + "]";
    r.known(ps[i], path, {"name", "file"});
    PluginFile pf;
    std::string f;
    r.get(ps[i], "name", path, pf.name);
    r.get(ps[i], "file", path, f);
    if (!is_identifier(pf.name)) r.errors.push_back(path + ".name: '" + pf.name + "' is not a lower_snake_case name");
    if (!names.insert(pf.name).second) r.errors.push_back(path + ".name: '" + pf.name + "' is listed twice");
    if (f.empty()) f = "yizhan_" + pf.name + ".so";
    pf.file = std::filesystem::path(f).is_relative() ? plugin_dir / f : std::filesystem::path(f);
    out.push_back(pf);
  }
}

// The instances, each of a plugin in `plugins`.
void read_instances(Reader& r, const YAML::Node& is, const std::vector<PluginFile>& plugins,
                    std::vector<InstanceConfig>& out) {
  if (!is.IsSequence()) r.errors.push_back("instances: expected a list");
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
    if (!is_identifier(ic.name)) r.errors.push_back(path + ".name: '" + ic.name + "' is not a lower_snake_case name");
    if (!instance_names.insert(ic.name).second) r.errors.push_back(path + ".name: '" + ic.name + "' is used twice");
    if (!plugin_names.contains(ic.plugin))
      r.errors.push_back(path + ".plugin: '" + ic.plugin + "' is not in the plugins list");
    if (ic.poll_interval_ms < 10) r.errors.push_back(path + ".poll_interval_ms: must be at least 10");
    if (ic.timeout_ms < 100) r.errors.push_back(path + ".timeout_ms: must be at least 100");
    ic.config_json = is[i]["config"] ? yizhan::sdk::host::yaml_to_json(YAML::Dump(is[i]["config"])) : "{}";
    out.push_back(std::move(ic));
  }
}

// A system not loaded here is allowed (one config for several hubs, a system switched
// off for a while): `yizhan serve` warns about it. A name that cannot be a plugin's is an error.
void check_authority_names(Reader& r, const LinkingConfig& linking) {
  for (const auto& [field, systems] : linking.authority)
    for (const auto& system : systems)
      if (!is_identifier(system))
        r.errors.push_back("linking.authority." + field + ": '" + system + "' is not a plugin name");
}

}  // namespace

const InstanceConfig* HubConfig::instance(const std::string& name) const {
  for (const auto& i : instances)
    if (i.name == name) return &i;
  return nullptr;
}

std::string HubConfig::soci_backend() const { return database.backend == "postgresql" ? "postgresql" : "sqlite3"; }

std::string HubConfig::soci_connection() const {
  if (database.backend == "postgresql") return database.connection;
  auto p = std::filesystem::path(database.path);
  if (p.is_relative()) p = data_dir / p;
  return "db=" + p.string() + " timeout=30";
}

std::filesystem::path default_plugin_dir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "plugins";
  return (exe.parent_path() / ".." / "lib" / "yizhan" / "plugins").lexically_normal();
}

std::filesystem::path default_web_root() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "web";
  return (exe.parent_path() / ".." / "share" / "yizhan" / "web").lexically_normal();
}

HubConfig load_hub_config(const std::filesystem::path& file,
                          const std::optional<std::filesystem::path>& data_dir_override) {
  const YAML::Node root = load_yaml(file);
  HubConfig c;
  c.file = file;
  Reader r{.base = file.parent_path()};
  if (!root.IsMap()) throw ConfigError(file.string() + ": expected a mapping at the top level");
  r.known(root, "",
          {"data_dir", "database", "http", "pii", "plugin_dir", "plugins", "instances", "limits", "linking", "routing",
           "sla", "clock", "write_back", "auth", "web", "intake", "audit"});

  std::string data_dir = "data";
  r.get(root, "data_dir", "", data_dir);
  c.data_dir = data_dir_override ? *data_dir_override : std::filesystem::path(data_dir);

  if (auto n = root["database"]) read_database(r, n, c.database);
  if (auto n = root["http"]) read_http(r, n, c.http);
  if (auto n = root["pii"]) read_pii(r, n, c.pii_key_file);
  if (auto n = root["limits"]) read_limits(r, n, c.limits);
  if (auto n = root["linking"]) read_linking(r, n, c.linking);
  if (auto n = root["routing"]) read_routing(r, n, c.routing);
  if (auto n = root["sla"]) read_sla(r, n, c.sla);
  if (auto n = root["clock"]) read_clock(r, n, c.clock);
  if (auto n = root["write_back"]) read_write_back(r, n, c.write_back);
  if (auto n = root["auth"]) read_auth(r, n, c.auth);
  if (auto n = root["web"]) read_web(r, n, c.web);
  if (auto n = root["intake"]) read_intake(r, n, c.intake);
  if (auto n = root["audit"]) read_audit(r, n, c.audit);
  std::string plugin_dir;
  r.get(root, "plugin_dir", "", plugin_dir);
  c.plugin_dir = plugin_dir.empty() ? default_plugin_dir() : r.resolve(plugin_dir);
  if (auto n = root["plugins"]) read_plugins(r, n, c.plugin_dir, c.plugins);
  if (auto n = root["instances"]) read_instances(r, n, c.plugins, c.instances);
  check_authority_names(r, c.linking);
  if (!r.errors.empty()) {
    std::string all = file.string() + ": invalid configuration:";
    for (const auto& e : r.errors) all += "\n  " + e;
    throw ConfigError(all);
  }
  return c;
}

}  // namespace yizhan::core
