#include "core/config_reader.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::core {

std::filesystem::path ConfigReader::resolve(const std::string& p) const {
  return p.empty()                                ? std::filesystem::path()
         : std::filesystem::path(p).is_relative() ? base_ / p
                                                  : std::filesystem::path(p);
}

void ConfigReader::known(const YAML::Node& n, const std::string& path, const std::set<std::string>& keys) {
  if (!n.IsMap()) return;
  for (const auto& kv : n) {
    auto k = kv.first.as<std::string>();
    if (keys.contains(k)) continue;
    std::string list;
    for (const auto& x : keys) list += (list.empty() ? "" : ", ") + x;
    errors_.push_back(path + (path.empty() ? "" : ".") + k + ": unknown key (known: " + list + ")");
  }
}

template <class T>
void ConfigReader::get_as(const YAML::Node& n, const char* key, const std::string& path, T& out, const char* expected) {
  if (!n[key]) return;
  try {
    out = n[key].as<T>();
  } catch (const YAML::Exception&) {
    errors_.push_back(path + (path.empty() ? "" : ".") + key + ": expected " + expected + " (line " +
                      std::to_string(n[key].Mark().line + 1) + ")");
  }
}

void ConfigReader::get(const YAML::Node& n, const char* key, const std::string& path, std::string& out) {
  get_as(n, key, path, out, "a string");
}
void ConfigReader::get(const YAML::Node& n, const char* key, const std::string& path, int& out) {
  get_as(n, key, path, out, "an integer");
}
void ConfigReader::get(const YAML::Node& n, const char* key, const std::string& path, std::size_t& out) {
  get_as(n, key, path, out, "a non-negative integer");
}
void ConfigReader::get(const YAML::Node& n, const char* key, const std::string& path, double& out) {
  get_as(n, key, path, out, "a number");
}
void ConfigReader::get(const YAML::Node& n, const char* key, const std::string& path, bool& out) {
  get_as(n, key, path, out, "true or false");
}

void ConfigReader::get_list(const YAML::Node& n, const char* key, const std::string& path,
                            std::vector<std::string>& out, const std::string& what) {
  if (!n[key]) return;
  try {
    out = n[key].as<std::vector<std::string>>();
  } catch (const YAML::Exception&) {
    errors_.push_back(path + (path.empty() ? "" : ".") + key + ": expected " + what + " (line " +
                      std::to_string(n[key].Mark().line + 1) + ")");
  }
}

bool is_config_identifier(const std::string& s) {
  if (s.empty() || !(s[0] >= 'a' && s[0] <= 'z')) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

std::filesystem::path beside_executable(const std::filesystem::path& relative, const std::filesystem::path& fallback) {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return fallback;
  return (exe.parent_path() / ".." / relative).lexically_normal();
}

}  // namespace yizhan::core
