// What a 信访件 says and who brings it: names (some with characters outside GB2312,
// such as 镕 and 堃, so that GBK matters), ID numbers, phones, and per category the
// legacy code, a title, a summary the way 信访 staff write them (with commas, quotes
// and line breaks that the CSV must quote) and the usual handling unit.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "divisions.hpp"
#include "sim_support/rng.hpp"

namespace yizhan::sim::xinfang {

// One legacy 问题分类 code and the hub taxonomy id the example config maps it to.
struct CategoryCode {
  std::string_view code;      // e.g. "1001"
  std::string_view name;      // e.g. 土地承包
  std::string_view taxonomy;  // e.g. 矛盾纠纷/土地; empty: not in the example's category_map
  std::string_view unit;      // the county unit that usually handles it; empty: the town government
};
std::span<const CategoryCode> category_codes();
// The code for a hub taxonomy id (for shared matters); the catch-all code if none.
const CategoryCode& code_for_taxonomy(std::string_view taxonomy);

std::string person_name(Rng& rng);
std::string mobile_phone(Rng& rng);
// A valid 18-character ID number of someone born in 1950-2000 in `division6`.
std::string id_number(Rng& rng, std::string_view division6);
// The same number with its check character changed to a wrong one.
std::string with_wrong_check_digit(std::string id);
// An address in the village, e.g. 岢岚县岚漪镇东街村12号.
std::string address_in(const Village& v, Rng& rng);

struct PetitionText {
  std::string title;
  std::string summary;
};
PetitionText petition_text(const CategoryCode& category, const Village& v, std::string_view form, Rng& rng);

// The opening 信访 staff put before a shared matter's text, by 信访形式.
std::string_view staff_prefix(std::string_view form);

}  // namespace yizhan::sim::xinfang
