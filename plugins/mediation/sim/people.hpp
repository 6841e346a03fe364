// The simulators' shared people (plugins/county_scenario/sim_support), under this
// simulator's namespace.
#pragma once

#include "sim_support/people.hpp"

namespace yizhan::sim::mediation {
using sim::full_name;
using sim::id_number;
using sim::id_number_check_char;
using sim::mobile_phone;
using sim::surname;
}  // namespace yizhan::sim::mediation
