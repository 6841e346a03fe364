#include "link/linking_config.hpp"

#include <yaml-cpp/yaml.h>

namespace yizhan::link {
namespace {

// linking.authority: field -> the systems most authoritative for it.
void read_authority(core::ConfigReader& r, const YAML::Node& a, std::map<std::string, std::vector<std::string>>& out) {
  static const std::set<std::string> fields = {"title",         "description",   "category", "channel", "urgency",
                                               "division_code", "division_year", "address",  "grid_id"};
  if (!a.IsMap()) r.error("linking.authority: expected a mapping of field: [systems]");
  r.known(a, "linking.authority", fields);
  for (const auto& kv : a.IsMap() ? a : YAML::Node()) {
    const auto field = kv.first.as<std::string>();
    if (!fields.contains(field)) continue;
    try {
      out[field] = kv.second.as<std::vector<std::string>>();
    } catch (const YAML::Exception&) {
      r.error("linking.authority." + field + ": expected a list of system (plugin) names (line " +
              std::to_string(kv.second.Mark().line + 1) + ")");
      continue;
    }
    for (const auto& system : out[field])
      if (!core::is_config_identifier(system))
        r.error("linking.authority." + field + ": '" + system + "' is not a plugin name");
  }
}

}  // namespace

void read_linking_config(core::ConfigReader& r, const YAML::Node& l, LinkingConfig& k) {
  r.known(
      l, "linking",
      {"enabled", "window_days", "auto_join_score", "propose_score", "max_candidates", "same_instance", "authority"});
  r.get(l, "enabled", "linking", k.enabled);
  r.get(l, "window_days", "linking", k.window_days);
  r.get(l, "auto_join_score", "linking", k.auto_join_score);
  r.get(l, "propose_score", "linking", k.propose_score);
  r.get(l, "max_candidates", "linking", k.max_candidates);
  r.get(l, "same_instance", "linking", k.same_instance);
  if (k.window_days < 0 || k.window_days > 3650) r.error("linking.window_days: must be 0..3650");
  if (k.max_candidates < 1 || k.max_candidates > 1000) r.error("linking.max_candidates: must be 1..1000");
  if (!(k.propose_score > 0 && k.propose_score <= k.auto_join_score && k.auto_join_score <= 1))
    r.error("linking: need 0 < propose_score <= auto_join_score <= 1 (got " + std::to_string(k.propose_score) +
            " and " + std::to_string(k.auto_join_score) + ")");
  if (auto a = l["authority"]) read_authority(r, a, k.authority);
}

}  // namespace yizhan::link
