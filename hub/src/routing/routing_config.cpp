#include "routing/routing_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::routing {

void read_routing_config(core::ConfigReader& r, const YAML::Node& rt, RoutingConfig& out) {
  r.known(rt, "routing", {"rules", "county"});
  std::string rules, county;
  r.get(rt, "rules", "routing", rules);
  r.get(rt, "county", "routing", county);
  out.rules = r.resolve(rules);
  out.county = r.resolve(county);
  if (rules.empty()) r.error("routing.rules: required when routing is given (the rule file)");
}

}  // namespace yizhan::routing
