// Yizhan SDK plugin helpers — resident ID numbers (居民身份证号码, GB 11643-1999).
//
// An ID number is 17 digits (region, birth date, sequence) and a check character
// computed with ISO 7064 MOD 11-2: 0-9 or X. Department systems send them with a
// lower-case x now and then, and with wrong check characters more often than one
// would like; a plugin keeps a valid one (upper-cased) and drops an invalid one,
// logging it masked with sdk::mask (yizhan/sdk/plugin.hpp), never in clear.
//
//   using namespace yizhan::sdk::support;
//   if (valid_id_number(raw)) record.reporter.id_number = normalized_id_number(raw);
//   else if (!raw.empty()) warnings.push_back("ID number " + sdk::mask(raw) + " fails the GB 11643 check");
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace yizhan::sdk::support {

// The check character ('0'-'9' or 'X') of the first 17 characters of `first17`, which
// must be 17 ASCII digits or more (characters after the 17th are ignored); nullopt
// otherwise. E.g. "14092919670428204" → '3'.
std::optional<char> id_number_check_char(std::string_view first17);

// True for exactly 18 characters: 17 ASCII digits and the check character that matches
// them (a lower-case 'x' is accepted for 'X'). Nothing else is checked (not the region,
// not the birth date): that is what the upstream systems themselves check.
bool valid_id_number(std::string_view id);

// `id` with a lower-case check character 'x' made 'X'; anything else unchanged.
std::string normalized_id_number(std::string_view id);

}  // namespace yizhan::sdk::support
