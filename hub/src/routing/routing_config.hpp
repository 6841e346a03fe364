// The `routing:` section of the hub config (docs/architecture.md §5): the rule file and
// the county file whose department ids rules may name; both resolved against the config
// file's folder. No section: no routing.
#pragma once

#include <filesystem>

#include "core/config_reader.hpp"

namespace yizhan::routing {

struct RoutingConfig {
  std::filesystem::path rules;
  std::filesystem::path county;
};

void read_routing_config(core::ConfigReader& r, const YAML::Node& n, RoutingConfig& out);

}  // namespace yizhan::routing
