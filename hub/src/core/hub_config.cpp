#include "core/hub_config.hpp"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <set>
#include <yizhan/sdk/host.hpp>

#include "core/time.hpp"

namespace yizhan::core {
namespace {

struct Reader {
  std::vector<std::string> errors;

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
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    throw ConfigError(file.string() + ": cannot read the file");
  } catch (const YAML::Exception& e) {
    throw ConfigError(file.string() + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  HubConfig c;
  c.file = file;
  Reader r;
  auto base = file.parent_path();
  if (!root.IsMap()) throw ConfigError(file.string() + ": expected a mapping at the top level");
  r.known(root, "",
          {"data_dir", "database", "http", "pii", "plugin_dir", "plugins", "instances", "limits", "linking", "routing",
           "sla", "clock", "write_back", "auth", "web", "intake", "audit"});

  std::string data_dir = "data";
  r.get(root, "data_dir", "", data_dir);
  c.data_dir = data_dir_override ? *data_dir_override : std::filesystem::path(data_dir);

  if (auto db = root["database"]) {
    r.known(db, "database", {"backend", "path", "connection"});
    r.get(db, "backend", "database", c.database.backend);
    r.get(db, "path", "database", c.database.path);
    r.get(db, "connection", "database", c.database.connection);
    if (c.database.backend != "sqlite" && c.database.backend != "postgresql")
      r.errors.push_back("database.backend: '" + c.database.backend + "' is not one of sqlite, postgresql");
    if (c.database.backend == "postgresql" && c.database.connection.empty())
      r.errors.push_back("database.connection: required for postgresql (e.g. \"host=127.0.0.1 dbname=yizhan\")");
  }
  if (auto h = root["http"]) {
    r.known(h, "http", {"bind", "port", "threads"});
    r.get(h, "bind", "http", c.http.bind);
    r.get(h, "port", "http", c.http.port);
    r.get(h, "threads", "http", c.http.threads);
    if (c.http.port < 0 || c.http.port > 65535) r.errors.push_back("http.port: out of range 0..65535");
    if (c.http.threads < 1 || c.http.threads > 64) r.errors.push_back("http.threads: out of range 1..64");
  }
  if (auto p = root["pii"]) {
    r.known(p, "pii", {"key_file"});
    std::string k;
    r.get(p, "key_file", "pii", k);
    if (!k.empty()) c.pii_key_file = k;
  }
  if (auto l = root["limits"]) {
    r.known(l, "limits", {"title_max_bytes", "description_max_bytes", "field_max_bytes", "raw_max_bytes"});
    r.get(l, "title_max_bytes", "limits", c.limits.title_max_bytes);
    r.get(l, "description_max_bytes", "limits", c.limits.description_max_bytes);
    r.get(l, "field_max_bytes", "limits", c.limits.field_max_bytes);
    r.get(l, "raw_max_bytes", "limits", c.limits.raw_max_bytes);
  }
  if (auto l = root["linking"]) {
    r.known(
        l, "linking",
        {"enabled", "window_days", "auto_join_score", "propose_score", "max_candidates", "same_instance", "authority"});
    auto& k = c.linking;
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
    if (auto a = l["authority"]) {
      static const std::set<std::string> fields = {"title",         "description",   "category", "channel", "urgency",
                                                   "division_code", "division_year", "address",  "grid_id"};
      if (!a.IsMap()) r.errors.push_back("linking.authority: expected a mapping of field: [systems]");
      r.known(a, "linking.authority", fields);
      for (const auto& kv : a.IsMap() ? a : YAML::Node()) {
        const auto field = kv.first.as<std::string>();
        if (!fields.contains(field)) continue;
        try {
          k.authority[field] = kv.second.as<std::vector<std::string>>();
        } catch (const YAML::Exception&) {
          r.errors.push_back("linking.authority." + field + ": expected a list of system (plugin) names (line " +
                             std::to_string(kv.second.Mark().line + 1) + ")");
        }
      }
    }
  }
  // A path the file gives, against the file's folder ("" stays "").
  auto resolve = [&](const std::string& p) {
    return p.empty()                                ? std::filesystem::path()
           : std::filesystem::path(p).is_relative() ? base / p
                                                    : std::filesystem::path(p);
  };
  if (auto rt = root["routing"]) {
    r.known(rt, "routing", {"rules", "county"});
    std::string rules, county;
    r.get(rt, "rules", "routing", rules);
    r.get(rt, "county", "routing", county);
    c.routing.rules = resolve(rules);
    c.routing.county = resolve(county);
    if (rules.empty()) r.errors.push_back("routing.rules: required when routing is given (the rule file)");
  }
  if (auto sl = root["sla"]) {
    r.known(sl, "sla", {"file", "calendars", "sweep_interval_ms"});
    std::string file, calendars;
    r.get(sl, "file", "sla", file);
    r.get(sl, "calendars", "sla", calendars);
    r.get(sl, "sweep_interval_ms", "sla", c.sla.sweep_interval_ms);
    c.sla.file = resolve(file);
    c.sla.calendars = resolve(calendars);
    if (file.empty() || calendars.empty())
      r.errors.push_back("sla: both file (the SLA durations) and calendars (their folder) are required");
    if (c.sla.sweep_interval_ms < 100) r.errors.push_back("sla.sweep_interval_ms: must be at least 100");
  }
  if (auto ck = root["clock"]) {
    r.known(ck, "clock", {"start", "adjustable"});
    r.get(ck, "start", "clock", c.clock.start);
    r.get(ck, "adjustable", "clock", c.clock.adjustable);
    if (!c.clock.start.empty() && !parse_instant(c.clock.start))
      r.errors.push_back("clock.start: '" + c.clock.start +
                         "' is not ISO 8601 with a zone (e.g. 2026-02-12T09:00:00+08:00)");
  }
  if (auto wb = root["write_back"]) {
    r.known(wb, "write_back", {"retry_initial_ms", "check_interval_ms"});
    r.get(wb, "retry_initial_ms", "write_back", c.write_back.retry_initial_ms);
    r.get(wb, "check_interval_ms", "write_back", c.write_back.check_interval_ms);
    if (c.write_back.retry_initial_ms < 10) r.errors.push_back("write_back.retry_initial_ms: must be at least 10");
    if (c.write_back.check_interval_ms < 10) r.errors.push_back("write_back.check_interval_ms: must be at least 10");
  }
  if (auto au = root["auth"]) {
    r.known(au, "auth", {"required", "counter_departments"});
    r.get(au, "required", "auth", c.auth.required);
    if (auto cd = au["counter_departments"]) {
      try {
        c.auth.counter_departments = cd.as<std::vector<std::string>>();
      } catch (const YAML::Exception&) {
        r.errors.push_back("auth.counter_departments: expected a list of department ids");
      }
    }
  }
  if (auto w = root["web"]) {
    r.known(w, "web", {"root", "idle_timeout_minutes", "system_labels"});
    if (auto labels = w["system_labels"]) {
      try {
        c.web.system_labels = labels.as<std::map<std::string, std::map<std::string, std::string>>>();
      } catch (const YAML::Exception&) {
        r.errors.push_back(
            "web.system_labels: expected {system: {language: name}} (e.g. {hotline12345: {zh-CN: 12345热线}})");
      }
    }
    std::string web_root;
    r.get(w, "root", "web", web_root);
    if (!web_root.empty()) c.web.root = resolve(web_root);
    r.get(w, "idle_timeout_minutes", "web", c.web.idle_timeout_minutes);
    if (c.web.idle_timeout_minutes < 1 || c.web.idle_timeout_minutes > 24 * 60)
      r.errors.push_back("web.idle_timeout_minutes: expected 1 to 1440");
  }
  if (auto in = root["intake"]) {
    r.known(in, "intake", {"system", "taxonomy"});
    r.get(in, "system", "intake", c.intake.system);
    std::string taxonomy;
    r.get(in, "taxonomy", "intake", taxonomy);
    if (!taxonomy.empty()) c.intake.taxonomy = resolve(taxonomy);
    if (c.intake.system.empty() || c.intake.system.size() > 32)
      r.errors.push_back("intake.system: expected a name of 1 to 32 characters");
  }
  if (auto a = root["audit"]) {
    r.known(a, "audit", {"checkpoint_interval_minutes"});
    r.get(a, "checkpoint_interval_minutes", "audit", c.audit.checkpoint_interval_minutes);
    if (c.audit.checkpoint_interval_minutes < 0 || c.audit.checkpoint_interval_minutes > 7 * 24 * 60)
      r.errors.push_back("audit.checkpoint_interval_minutes: expected 0 (on demand only) to 10080");
  }
  std::string plugin_dir;
  r.get(root, "plugin_dir", "", plugin_dir);
  c.plugin_dir =
      plugin_dir.empty()
          ? default_plugin_dir()
          : (std::filesystem::path(plugin_dir).is_relative() ? base / plugin_dir : std::filesystem::path(plugin_dir));
  std::set<std::string> plugin_names, instance_names;
  if (auto ps = root["plugins"]) {
    if (!ps.IsSequence()) r.errors.push_back("plugins: expected a list of {name, file}");
    for (size_t i = 0; ps.IsSequence() && i < ps.size(); ++i) {
      std::string path = "plugins[" + std::to_string(i) + "]";
      r.known(ps[i], path, {"name", "file"});
      PluginFile pf;
      std::string f;
      r.get(ps[i], "name", path, pf.name);
      r.get(ps[i], "file", path, f);
      if (!is_identifier(pf.name)) r.errors.push_back(path + ".name: '" + pf.name + "' is not a lower_snake_case name");
      if (!plugin_names.insert(pf.name).second) r.errors.push_back(path + ".name: '" + pf.name + "' is listed twice");
      if (f.empty()) f = "yizhan_" + pf.name + ".so";
      pf.file = std::filesystem::path(f).is_relative() ? c.plugin_dir / f : std::filesystem::path(f);
      c.plugins.push_back(pf);
    }
  }
  if (auto is = root["instances"]) {
    if (!is.IsSequence()) r.errors.push_back("instances: expected a list");
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
      c.instances.push_back(std::move(ic));
    }
  }
  // A system not loaded here is allowed (one config for several hubs, a system switched
  // off for a while): `yizhan serve` warns about it.
  for (const auto& [field, systems] : c.linking.authority)
    for (const auto& system : systems)
      if (!is_identifier(system))
        r.errors.push_back("linking.authority." + field + ": '" + system + "' is not a plugin name");
  if (!r.errors.empty()) {
    std::string all = file.string() + ": invalid configuration:";
    for (const auto& e : r.errors) all += "\n  " + e;
    throw ConfigError(all);
  }
  return c;
}

}  // namespace yizhan::core
