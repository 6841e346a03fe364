// The `clock:` section of the hub config (docs/configuration.md): a training or test
// installation may start the hub clock (core/time.hpp) at another instant (`start`, ISO
// 8601 with a zone) and let an admin move it forward (`adjustable`: POST
// /api/v1/admin/clock). Production leaves both unset.
#pragma once

#include <string>

#include "core/config_reader.hpp"

namespace yizhan::core {

struct ClockConfig {
  std::string start;
  bool adjustable = false;
};

void read_clock_config(ConfigReader& r, const YAML::Node& n, ClockConfig& out);

}  // namespace yizhan::core
