// The `linking:` section of the hub config (docs/architecture.md §6, docs/configuration.md
// "linking"): which open cases a new record is compared with, what score joins it to one
// or proposes it, and which system's value of a field a merged case shows.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/config_reader.hpp"

namespace yizhan::link {

struct LinkingConfig {
  bool enabled = true;
  int window_days = 30;           // candidates by place: received within ± this many days
  double auto_join_score = 0.75;  // at or above: the record joins the case (a merge event)
  double propose_score = 0.5;     // at or above (and below auto_join_score): a proposal for staff
  int max_candidates = 50;        // per lookup (reporter, grid, division), nearest in time first
  bool same_instance = false;     // also link records of one instance (its system dedups its own)
  // Field authority: field -> systems (plugin names), most authoritative first. Where
  // the sources of one case disagree on a field, the first listed system that has a
  // value wins; systems not listed follow, earliest joined first. The losing values are
  // kept as field_conflict events. (store::CaseGroups applies it.)
  std::map<std::string, std::vector<std::string>> authority;
};

// A system named in authority but not loaded is allowed (one config for several hubs, a
// system switched off for a while): `yizhan serve` warns about it. A name that cannot be
// a plugin's is an error.
void read_linking_config(core::ConfigReader& r, const YAML::Node& n, LinkingConfig& out);

}  // namespace yizhan::link
