// Yizhan SDK — reading an instance's config inside a plugin.
//
// The hub validates every instance's config against the plugin's schema (its
// yz_config_field table) before anything starts, fills in defaults, and hands the
// plugin a JSON object. Config reads it with typed getters. A plugin therefore
// never sees an unknown key or a value of the wrong type; a getter for a key that
// is not in the schema is a programming error and throws std::out_of_range.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::sdk {

class Config {
 public:
  // Parses the validated JSON object. Throws std::invalid_argument if it is not one.
  explicit Config(std::string_view json);
  Config(const Config&);
  Config& operator=(const Config&);
  ~Config();

  bool has(std::string_view key) const;
  std::string string(std::string_view key) const;
  std::int64_t integer(std::string_view key) const;
  bool boolean(std::string_view key) const;
  double number(std::string_view key) const;
  std::map<std::string, std::string> string_map(std::string_view key) const;
  std::vector<std::string> string_list(std::string_view key) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yizhan::sdk
