// Made-up people: names, mobile phones and resident ID numbers (GB 11643 check digit).
#pragma once

#include <string>
#include <string_view>

#include "sim_support/rng.hpp"

namespace yizhan::sim {

std::string full_name(Rng& rng);
std::string surname(Rng& rng);
std::string mobile_phone(Rng& rng);
// An 18-character ID number registered in `region6` (6 digits), born 1940-2006.
std::string id_number(Rng& rng, std::string_view region6);
// The GB 11643 check character of the first 17 digits (the SDK's
// sdk::support::id_number_check_char); '?' when they are not 17 digits.
char id_number_check_char(std::string_view first17);

}  // namespace yizhan::sim
