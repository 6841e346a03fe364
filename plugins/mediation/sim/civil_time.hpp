// The simulators' shared civil_time (plugins/county_scenario/sim_support), under this
// simulator's namespace.
#pragma once

#include "sim_support/civil_time.hpp"

namespace yizhan::sim::mediation {
using sim::civil_from_days;
using sim::CivilDate;
using sim::days_from_civil;
using sim::epoch_ms;
using sim::floor_div;
using sim::format_local;
using sim::format_ymd;
using sim::kBeijingOffsetSeconds;
using sim::parse_iso_to_local;
}  // namespace yizhan::sim::mediation
