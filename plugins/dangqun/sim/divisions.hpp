// The real administrative divisions the simulator puts orders in (统计用区划代码: the demo
// county's real towns and villages, never made-up codes), read at
// run time from the project's CSV (config/divisions-kelan-140929-2023.csv).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace yizhan::sim::dangqun {

// One village-level unit (村委会 or 社区居委会) and its township-level unit.
struct Village {
  std::string code;  // 12 digits, e.g. 140929100200
  std::string name;  // e.g. 东街村委会
  std::string town;  // e.g. 岚漪镇
};

// The village-level rows of a "level,code,name,parent_code" CSV, in file order.
// Throws std::runtime_error naming the file and line of anything it cannot read, or
// when the file holds no villages.
std::vector<Village> read_villages(const std::filesystem::path& csv);

}  // namespace yizhan::sim::dangqun
