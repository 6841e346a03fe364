#include "http/http_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::http {

void read_http_config(core::ConfigReader& r, const YAML::Node& h, HttpConfig& out) {
  r.known(h, "http", {"bind", "port", "threads"});
  r.get(h, "bind", "http", out.bind);
  r.get(h, "port", "http", out.port);
  r.get(h, "threads", "http", out.threads);
  if (out.port < 0 || out.port > 65535) r.error("http.port: out of range 0..65535");
  if (out.threads < 1 || out.threads > 64) r.error("http.threads: out of range 1..64");
}

void read_web_config(core::ConfigReader& r, const YAML::Node& w, WebConfig& out) {
  r.known(w, "web", {"root", "idle_timeout_minutes", "system_labels"});
  if (auto labels = w["system_labels"]) {
    try {
      out.system_labels = labels.as<std::map<std::string, std::map<std::string, std::string>>>();
    } catch (const YAML::Exception&) {
      r.error(
          "web.system_labels: expected {system: {language: name}} (e.g. {my_system: {zh-CN: 某系统, en: My system}})");
    }
  }
  std::string web_root;
  r.get(w, "root", "web", web_root);
  if (!web_root.empty()) out.root = r.resolve(web_root);
  r.get(w, "idle_timeout_minutes", "web", out.idle_timeout_minutes);
  if (out.idle_timeout_minutes < 1 || out.idle_timeout_minutes > 24 * 60)
    r.error("web.idle_timeout_minutes: expected 1 to 1440");
}

std::filesystem::path default_web_root() { return core::beside_executable("share/yizhan/web", "web"); }

}  // namespace yizhan::http
