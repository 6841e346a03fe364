// The simulators' shared rng (plugins/county_scenario/sim_support), under this
// simulator's namespace.
#pragma once

#include "sim_support/rng.hpp"

namespace yizhan::sim::mediation {
using sim::mix64;
using sim::Rng;
}  // namespace yizhan::sim::mediation
