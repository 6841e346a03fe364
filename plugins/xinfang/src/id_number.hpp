// Resident ID numbers (居民身份证号码, GB 11643-1999).
#pragma once

#include <string>
#include <string_view>

namespace yizhan::plugins::xinfang {

// True for 17 digits and the check character (0-9 or X, x accepted) that matches them.
bool valid_id_number(std::string_view s);

// The number with a lower-case check character made upper case.
std::string normalized_id_number(std::string_view valid);

}  // namespace yizhan::plugins::xinfang
