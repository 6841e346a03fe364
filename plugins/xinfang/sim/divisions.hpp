// The real administrative divisions the simulator puts petitions in (统计用区划代码: the
// demo county's real towns and villages, never made-up codes), read at run time from the project's division table
// (--divisions FILE).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace yizhan::sim::xinfang {

// One village-level unit (村委会 or 社区居委会).
struct Village {
  std::string code;    // 12 digits, e.g. 140929100200
  std::string name;    // e.g. 东街村委会
  std::string town;    // its township-level unit, e.g. 岚漪镇
  std::string county;  // e.g. 岢岚县
};

// The village-level rows of a division CSV (level,code,name,parent_code), in file order.
// Throws std::runtime_error naming the file and line on a malformed file or one with no
// villages.
std::vector<Village> read_villages(const std::filesystem::path& csv);

}  // namespace yizhan::sim::xinfang
