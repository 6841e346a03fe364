// The `auth:` section of the hub config (docs/configuration.md): tokens required (the
// default; false only for a hub whose API no one else can reach), and the departments
// whose operators are the one-stop counter (they triage, pass on, join and close every case).
#pragma once

#include <string>
#include <vector>

#include "core/config_reader.hpp"

namespace yizhan::auth {

struct AuthConfig {
  bool required = true;
  std::vector<std::string> counter_departments;
};

void read_auth_config(core::ConfigReader& r, const YAML::Node& n, AuthConfig& out);

}  // namespace yizhan::auth
