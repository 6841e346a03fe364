// The simulators' shared shared_matters (plugins/county_scenario/sim_support), under this
// simulator's namespace.
#pragma once

#include "sim_support/shared_matters.hpp"

namespace yizhan::sim::zongzhi {
using sim::read_shared_matters;
using sim::SharedMatter;
}  // namespace yizhan::sim::zongzhi
