// Reading one section of the hub's config file (docs/configuration.md). Each layer owns
// its section: its struct and a `read_<section>_config(ConfigReader&, node, out)` in
// `<layer>/<section>_config.hpp`; cli/hub_config composes them into the file. The
// reader collects every problem with its path ("http.port: expected an integer (line
// 4)") so one run of the loader reports them all.
#pragma once

#include <cstddef>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace YAML {
class Node;
}

namespace yizhan::core {

// A config that cannot be used; what() lists every problem, one per line.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class ConfigReader {
 public:
  // base: the config file's folder, which relative paths in it are against.
  explicit ConfigReader(std::filesystem::path base) : base_(std::move(base)) {}

  // A path the file gives, against the file's folder ("" stays "").
  std::filesystem::path resolve(const std::string& p) const;

  // Each key of the mapping n not among keys is an error "<path>.<key>: unknown key (known: …)".
  void known(const YAML::Node& n, const std::string& path, const std::set<std::string>& keys);

  // n[key] into out when present; a value of the wrong type is an error with its line.
  void get(const YAML::Node& n, const char* key, const std::string& path, std::string& out);
  void get(const YAML::Node& n, const char* key, const std::string& path, int& out);
  void get(const YAML::Node& n, const char* key, const std::string& path, std::size_t& out);
  void get(const YAML::Node& n, const char* key, const std::string& path, double& out);
  void get(const YAML::Node& n, const char* key, const std::string& path, bool& out);
  // A list of strings; anything else is an error "<path>.<key>: expected <what>".
  void get_list(const YAML::Node& n, const char* key, const std::string& path, std::vector<std::string>& out,
                const std::string& what);

  void error(std::string message) { errors_.push_back(std::move(message)); }
  const std::vector<std::string>& errors() const { return errors_; }

 private:
  template <class T>
  void get_as(const YAML::Node& n, const char* key, const std::string& path, T& out, const char* expected);

  std::filesystem::path base_;
  std::vector<std::string> errors_;
};

// A lower_snake_case name, as plugin and instance names are: [a-z][a-z0-9_]*.
bool is_config_identifier(const std::string& s);

// The folder beside the running executable at <exe dir>/../<relative>, e.g. the plugins
// (lib/yizhan/plugins) or the page (share/yizhan/web) as installed; `fallback` when the
// executable cannot be found.
std::filesystem::path beside_executable(const std::filesystem::path& relative, const std::filesystem::path& fallback);

}  // namespace yizhan::core
