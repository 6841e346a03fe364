// The places the simulated mediation system knows: the real towns and villages of 岢岚县,
// read at run time from the project's divisions CSV.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace yizhan::sim::mediation {

// One village-level unit (村委会 or 社区居委会).
struct Village {
  std::string code;       // 12 digits, e.g. 140929100201
  std::string name;       // e.g. 西街村委会
  std::string town_code;  // 9 digits
  std::string town_name;  // e.g. 岚漪镇
};

// Reads the CSV (header "level,code,name,parent_code"; rows of level county, town and
// village). Throws std::runtime_error naming the file and line of a bad row, or if the
// file has no villages.
std::vector<Village> load_villages(const std::filesystem::path& csv);

// Strips 村委会 / 社区居委会 / 居委会 so a village reads naturally in a sentence: 西街村, 东城社区.
std::string short_place(std::string_view name);

}  // namespace yizhan::sim::mediation
