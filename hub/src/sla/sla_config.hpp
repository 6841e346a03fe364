// The `sla:` section of the hub config (docs/architecture.md §5): the durations file and
// the folder of the official calendars (calendar-cn-YYYY.yaml), resolved against the
// config file's folder; the overdue sweep runs every sweep_interval_ms. No section: no
// obligations.
#pragma once

#include <filesystem>

#include "core/config_reader.hpp"

namespace yizhan::sla {

struct SlaConfig {
  std::filesystem::path file;
  std::filesystem::path calendars;
  int sweep_interval_ms = 60000;
};

void read_sla_config(core::ConfigReader& r, const YAML::Node& n, SlaConfig& out);

}  // namespace yizhan::sla
